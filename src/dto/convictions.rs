use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::convictions::{ConvictionRow, JudicialRecordRow, VersionRow};
use crate::db::json_text::JsonText;
use crate::domain::enums::*;
use crate::domain::expungement as rules;
pub use crate::domain::penalties::{Obligation, Supplementary};
use crate::dto::no_control_chars;

/// Principal penalty as pronounced.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// Months of imprisonment (required for `imprisonment`, 1–360).
    pub months: Option<i32>,
}

/// A judgment against the person.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvictionInput {
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    #[schema(example = "45/2019/HS-ST")]
    pub judgment_number: String,
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub court: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub judgment_date: NaiveDate,
    /// Criminal Code article numbers, e.g. `["249"]`.
    #[validate(custom(function = "crate::dto::each_single_line"), length(min = 1, max = 20))]
    pub offence_articles: Vec<String>,
    pub offence_group: OffenceGroup,
    /// Chapter of the Criminal Code (XIII = 13 national security, XXVI = 26 peace/war crimes
    /// go to the court track).
    #[validate(range(min = 1, max = 26))]
    pub chapter: i32,
    pub principal: Principal,
    #[validate(nested)]
    #[serde(default)]
    pub supplementary: Vec<Supplementary>,
    #[validate(nested)]
    #[serde(default)]
    pub obligations: Vec<Obligation>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub detention_facility: Option<String>,
    /// When the principal penalty was served: release, end of suspended-sentence
    /// probation, or exemption. Defaults to the release date.
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub sentence_completed_on: Option<NaiveDate>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<ReleaseType>,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub certificate_number: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub certificate_date: Option<NaiveDate>,
    /// End of the probation period for conditional early release.
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub probation_end: Option<NaiveDate>,
    /// A new crime committed while under management: marks the person `reoffended` and
    /// restarts the expungement clock (Art. 73).
    #[serde(default)]
    pub new_offence: bool,
    /// Day the crime was committed (not after the judgment). Decides the age at the
    /// offence (Art. 107) and the order of several convictions (Arts. 69(1), 73(2)).
    pub offence_date: Option<NaiveDate>,
    /// Category of the most serious crime by its statutory maximum (Art. 9).
    pub crime_category: Option<CrimeCategory>,
    /// `intentional` or `negligent` (Arts. 10, 11): with the category it decides whether
    /// the conviction leaves a record (Arts. 69(2), 107(1)).
    pub culpability: Option<Culpability>,
    /// Expungement of this conviction recorded by the justice office or a court.
    pub expunged_on: Option<NaiveDate>,
}

/// Corrections to a conviction (`PATCH` with `If-Match` and a reason). Absent fields are
/// kept; the replaced version is kept in the conviction's history.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvictionPatch {
    /// Why the conviction is corrected (e.g. "completion certificate received").
    #[validate(length(min = 1, max = 1000), custom(function = "no_control_chars"))]
    pub reason: String,
    #[validate(length(min = 1, max = 100), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = String)]
    pub judgment_number: Option<String>,
    #[validate(length(min = 1, max = 300), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = String)]
    pub court: Option<String>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = NaiveDate)]
    pub judgment_date: Option<NaiveDate>,
    #[validate(length(min = 1, max = 20))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Vec<String>)]
    pub offence_articles: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = OffenceGroup)]
    pub offence_group: Option<OffenceGroup>,
    #[validate(range(min = 1, max = 26))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = i32)]
    pub chapter: Option<i32>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Principal)]
    pub principal: Option<Principal>,
    #[validate(nested)]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Vec<Supplementary>)]
    pub supplementary: Option<Vec<Supplementary>>,
    #[validate(nested)]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Vec<Obligation>)]
    pub obligations: Option<Vec<Obligation>>,
    #[validate(length(max = 300), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub detention_facility: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub sentence_completed_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub release_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<ReleaseType>)]
    pub release_type: Option<Option<ReleaseType>>,
    #[validate(length(max = 100), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub certificate_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub certificate_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub probation_end: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub offence_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<CrimeCategory>)]
    pub crime_category: Option<Option<CrimeCategory>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<Culpability>)]
    pub culpability: Option<Option<Culpability>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub expunged_on: Option<Option<NaiveDate>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conviction {
    pub id: String,
    pub person_id: String,
    pub judgment_number: String,
    pub court: String,
    pub judgment_date: NaiveDate,
    pub offence_articles: Vec<String>,
    pub offence_group: OffenceGroup,
    pub chapter: i32,
    pub principal: Principal,
    pub supplementary: Vec<Supplementary>,
    pub obligations: Vec<Obligation>,
    pub detention_facility: Option<String>,
    pub sentence_completed_on: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<ReleaseType>,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub new_offence: bool,
    pub offence_date: Option<NaiveDate>,
    pub crime_category: Option<CrimeCategory>,
    pub culpability: Option<Culpability>,
    /// Day this conviction's record was expunged: recorded by the justice office or a
    /// court, or computed (automatic track, period run and every condition met).
    pub expunged_on: Option<NaiveDate>,
    /// `recorded` or `computed` when `expunged_on` is set.
    pub expunged_on_source: Option<String>,
    /// `record`, `no_record` (Art. 69(2) or 107(1)) or `undetermined` (a fact is missing;
    /// see the expungement view's `blocking`).
    pub record: String,
    /// The article that decides this conviction's record, e.g. `Art. 107(2)`.
    pub record_article: String,
    pub created_at: DateTime<Utc>,
    /// Current version (for `If-Match` on PATCH); also sent as the `ETag`.
    pub version: i32,
}

/// A replaced version of a conviction, kept when it is corrected.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConvictionVersion {
    pub version: i32,
    /// The conviction as it was (the fields of `Conviction`, without the computed ones).
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    pub reason: String,
    pub replaced_at: DateTime<Utc>,
    pub replaced_by: String,
}

/// When the record can be expunged, and what stands in the way.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpungementView {
    /// `automatic` (Art. 70, or Art. 107(2) for offenders aged 16–18), `court_decision`
    /// (Art. 71) or `no_record` (Art. 69(2) or 107(1): nothing to expunge).
    pub track: String,
    /// Whole years of the waiting period (0 for the 6-month period of Art. 107(2)(a)).
    pub waiting_period_years: u32,
    /// The waiting period in calendar months.
    pub waiting_period_months: u32,
    /// Completion date the period counts from.
    pub counted_from: Option<NaiveDate>,
    /// Earliest date the record can be expunged.
    pub earliest_date: Option<NaiveDate>,
    /// Earliest date under Art. 72 (one third of the period in calendar months, by court
    /// decision).
    pub special_case_earliest_date: Option<NaiveDate>,
    /// Whether it can be expunged today (nothing blocking and the date reached; always true
    /// for `no_record`).
    pub eligible_today: bool,
    pub blocking: Vec<BlockingReason>,
    /// For `no_record`: a sentence naming the article.
    pub note: Option<String>,
    /// What each conviction leaves, in judgment order.
    pub convictions: Vec<ConvictionExpungement>,
    /// Court refusals recorded so far (Art. 71(3)).
    pub refusals: i32,
    pub last_refused_on: Option<NaiveDate>,
    /// The justice office's decision so far.
    pub status: ExpungementStatus,
    pub decided_on: Option<NaiveDate>,
    pub basis: Option<String>,
    pub judicial_record_number: Option<String>,
    pub judicial_record_issuer: Option<String>,
    /// `automatic` or `court_decision`: the basis of the decision recorded.
    pub basis_kind: Option<ExpungementBasisKind>,
    /// The court decision's number, for `court_decision`.
    pub decision_number: Option<String>,
    /// Current version of the person (for `If-Match` on PUT).
    pub version: i32,
}

/// One conviction in the expungement view.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConvictionExpungement {
    pub conviction_id: String,
    pub judgment_number: String,
    /// `record`, `no_record` or `undetermined`.
    pub record: String,
    /// The article deciding it, e.g. `Art. 69(2)`.
    pub article: String,
    /// When this conviction's record was expunged (recorded, or computed on the automatic
    /// track): a later crime does not revive it (Art. 69(1)).
    pub expunged_on: Option<NaiveDate>,
    /// `recorded` or `computed`.
    pub expunged_on_source: Option<String>,
    /// Part of the record the forecast is about.
    pub in_current_record: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockingReason {
    pub code: String,
    pub message: String,
}

/// The justice office's update of the expungement status.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpungementDecision {
    /// `pending`, `expunged` or `rejected`.
    pub status: ExpungementStatus,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub decided_on: NaiveDate,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub basis: Option<String>,
    /// Judicial-record certificate (Phiếu lý lịch tư pháp) number.
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub judicial_record_number: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub judicial_record_issuer: Option<String>,
    /// For `expunged`: `automatic` (default; only on or after the forecast's
    /// `earliest_date`, else 422 naming it) or `court_decision` (with `decision_number`;
    /// only on or after `special_case_earliest_date`, Art. 72, else 422). For `rejected`,
    /// a court's refusal (Art. 71(3)).
    pub basis_kind: Option<ExpungementBasisKind>,
    /// Number of the court decision.
    #[validate(length(min = 1, max = 100), custom(function = "no_control_chars"))]
    pub decision_number: Option<String>,
}

/// A request for a judicial-record certificate and its outcome.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudicialRecordRequestInput {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub requested_on: NaiveDate,
    #[validate(length(max = 500), custom(function = "no_control_chars"))]
    pub purpose: Option<String>,
    /// `pending`, `issued` or `refused`.
    #[validate(length(min = 1, max = 20))]
    pub outcome: String,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub certificate_number: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub issued_on: Option<NaiveDate>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub issuer: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JudicialRecordRequest {
    pub id: String,
    pub person_id: String,
    pub requested_on: NaiveDate,
    pub purpose: Option<String>,
    pub outcome: String,
    pub certificate_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub created_at: DateTime<Utc>,
}

// Mapping between conviction rows and their DTOs lives here, not in `db/`: the DTOs know the
// rows, the rows do not know the DTOs.

impl ConvictionRow {
    pub fn from_input(person_id: &str, input: &ConvictionInput) -> ConvictionRow {
        let now = crate::time::now();
        ConvictionRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person_id.to_string(),
            judgment_number: input.judgment_number.trim().to_string(),
            court: crate::text::normalize(&input.court),
            judgment_date: input.judgment_date,
            offence_articles: input.offence_articles.iter().map(|a| a.trim()).collect::<Vec<_>>().join(","),
            offence_group: input.offence_group,
            chapter: input.chapter,
            principal_kind: input.principal.kind,
            principal_months: input.principal.months,
            supplementary: JsonText(input.supplementary.clone()),
            obligations: JsonText(input.obligations.clone()),
            detention_facility: input.detention_facility.clone(),
            // A parolee serves the sentence at the end of probation (Criminal Code Art. 66).
            sentence_completed_on: input.sentence_completed_on.or(
                if input.release_type == Some(ReleaseType::ConditionalEarlyRelease) {
                    input.probation_end
                } else {
                    input.release_date
                },
            ),
            release_date: input.release_date,
            release_type: input.release_type,
            certificate_number: input.certificate_number.clone(),
            certificate_date: input.certificate_date,
            probation_end: input.probation_end,
            new_offence: input.new_offence,
            created_at: now,
            updated_at: now,
            version: 1,
            offence_date: input.offence_date,
            crime_category: input.crime_category,
            culpability: input.culpability,
            expunged_on: input.expunged_on,
        }
    }

    /// The conviction as an input again, for a correction to start from.
    pub fn to_input(&self) -> ConvictionInput {
        ConvictionInput {
            judgment_number: self.judgment_number.clone(),
            court: self.court.clone(),
            judgment_date: self.judgment_date,
            offence_articles: self.articles(),
            offence_group: self.offence_group,
            chapter: self.chapter,
            principal: self.principal(),
            supplementary: self.supplementary.0.clone(),
            obligations: self.obligations.0.clone(),
            detention_facility: self.detention_facility.clone(),
            sentence_completed_on: self.sentence_completed_on,
            release_date: self.release_date,
            release_type: self.release_type,
            certificate_number: self.certificate_number.clone(),
            certificate_date: self.certificate_date,
            probation_end: self.probation_end,
            new_offence: self.new_offence,
            offence_date: self.offence_date,
            crime_category: self.crime_category,
            culpability: self.culpability,
            expunged_on: self.expunged_on,
        }
    }

    /// This conviction with `patch` applied (absent fields kept); id, person, creation and
    /// version are the caller's to keep.
    pub fn patched(&self, patch: &ConvictionPatch) -> ConvictionInput {
        let mut i = self.to_input();
        macro_rules! take {
            ($($field:ident),+) => { $(if let Some(v) = &patch.$field { i.$field = v.clone(); })+ };
        }
        // JSON Merge Patch: the optional facts are `Option<Option<_>>`, so `null` clears them.
        take!(
            judgment_number,
            court,
            judgment_date,
            offence_articles,
            offence_group,
            chapter,
            principal,
            supplementary,
            obligations
        );
        take!(
            detention_facility,
            sentence_completed_on,
            release_date,
            release_type,
            certificate_number,
            certificate_date,
            probation_end,
            offence_date,
            crime_category,
            culpability,
            expunged_on
        );
        i
    }

    pub(crate) fn articles(&self) -> Vec<String> {
        self.offence_articles.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }

    pub(crate) fn principal(&self) -> Principal {
        Principal { kind: self.principal_kind, months: self.principal_months }
    }

    /// The conviction with what the forecast says about it.
    pub fn view(&self, outcome: Option<&rules::ConvictionOutcome>) -> Conviction {
        Conviction {
            id: self.id.clone(),
            person_id: self.person_id.clone(),
            judgment_number: self.judgment_number.clone(),
            court: self.court.clone(),
            judgment_date: self.judgment_date,
            offence_articles: self.articles(),
            offence_group: self.offence_group,
            chapter: self.chapter,
            principal: self.principal(),
            supplementary: self.supplementary.0.clone(),
            obligations: self.obligations.0.clone(),
            detention_facility: self.detention_facility.clone(),
            sentence_completed_on: self.sentence_completed_on,
            release_date: self.release_date,
            release_type: self.release_type,
            certificate_number: self.certificate_number.clone(),
            certificate_date: self.certificate_date,
            probation_end: self.probation_end,
            new_offence: self.new_offence,
            offence_date: self.offence_date,
            crime_category: self.crime_category,
            culpability: self.culpability,
            expunged_on: outcome.and_then(|o| o.expunged_on).or(self.expunged_on),
            expunged_on_source: outcome
                .and_then(|o| o.expunged_on_source)
                .or(self.expunged_on.map(|_| "recorded"))
                .map(str::to_string),
            record: outcome.map_or("undetermined", |o| o.record).to_string(),
            record_article: outcome.map_or("", |o| o.article).to_string(),
            created_at: self.created_at.and_utc(),
            version: self.version,
        }
    }

    /// The facts the expungement rules need.
    pub fn facts(&self) -> rules::ConvictionFacts {
        let principal = match self.principal_kind {
            PrincipalKind::Warning => rules::PrincipalPenalty::Warning,
            PrincipalKind::Fine => rules::PrincipalPenalty::Fine,
            PrincipalKind::NonCustodialReform => rules::PrincipalPenalty::NonCustodialReform,
            PrincipalKind::Suspended => rules::PrincipalPenalty::Suspended,
            PrincipalKind::Life => rules::PrincipalPenalty::Life,
            PrincipalKind::DeathCommuted => rules::PrincipalPenalty::DeathCommuted,
            PrincipalKind::Exempted => rules::PrincipalPenalty::Exempted,
            PrincipalKind::Imprisonment => {
                rules::PrincipalPenalty::Imprisonment { months: self.principal_months.unwrap_or(0).max(0) as u32 }
            }
        };
        rules::ConvictionFacts {
            judgment_number: self.judgment_number.clone(),
            chapter: self.chapter.clamp(0, 255) as u8,
            principal,
            principal_completed_on: self.sentence_completed_on,
            supplementary: self
                .supplementary
                .iter()
                .map(|s| rules::SupplementaryPenalty {
                    kind: supplementary_label(s.kind).to_string(),
                    ends_on: s.ends_on,
                    completed_on: s.completed_on,
                })
                .collect(),
            obligations: self
                .obligations
                .iter()
                .map(|o| rules::Obligation {
                    kind: obligation_label(o.kind).to_string(),
                    amount_vnd: o.amount_vnd,
                    paid: o.paid,
                    paid_on: o.paid_on,
                })
                .collect(),
            judgment_date: self.judgment_date,
            offence_date: self.offence_date,
            crime_category: self.crime_category.map(|k| match k {
                CrimeCategory::LessSerious => rules::CrimeCategory::LessSerious,
                CrimeCategory::Serious => rules::CrimeCategory::Serious,
                CrimeCategory::VerySerious => rules::CrimeCategory::VerySerious,
                CrimeCategory::EspeciallySerious => rules::CrimeCategory::EspeciallySerious,
            }),
            culpability: self.culpability.map(|k| match k {
                Culpability::Intentional => rules::Culpability::Intentional,
                Culpability::Negligent => rules::Culpability::Negligent,
            }),
            release_date: self.release_date,
            conditional_release: self.release_type == Some(ReleaseType::ConditionalEarlyRelease),
            probation_end: self.probation_end,
            recorded_expunged_on: self.expunged_on,
        }
    }
}

fn supplementary_label(kind: SupplementaryKind) -> &'static str {
    match kind {
        SupplementaryKind::Probation => "probation (quản chế)",
        SupplementaryKind::ResidenceBan => "residence ban (cấm cư trú)",
        SupplementaryKind::PostBan => "ban on holding posts",
        SupplementaryKind::ProfessionBan => "ban on practising a profession",
        SupplementaryKind::LossOfCivicRights => "loss of civic rights",
        SupplementaryKind::Fine => "supplementary fine",
        SupplementaryKind::Confiscation => "confiscation of property",
        SupplementaryKind::Expulsion => "expulsion",
        SupplementaryKind::Other => "supplementary penalty",
    }
}

fn obligation_label(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::CivilCompensation => "civil compensation",
        ObligationKind::CourtFees => "court fees",
        ObligationKind::Restitution => "restitution",
        ObligationKind::Other => "obligation",
    }
}

impl JudicialRecordRow {
    pub fn view(&self) -> JudicialRecordRequest {
        JudicialRecordRequest {
            id: self.id.clone(),
            person_id: self.person_id.clone(),
            requested_on: self.requested_on,
            purpose: self.purpose.clone(),
            outcome: self.outcome.clone(),
            certificate_number: self.certificate_number.clone(),
            issued_on: self.issued_on,
            issuer: self.issuer.clone(),
            created_at: self.created_at.and_utc(),
        }
    }
}

impl From<VersionRow> for ConvictionVersion {
    fn from(r: VersionRow) -> ConvictionVersion {
        ConvictionVersion {
            version: r.version,
            snapshot: r.snapshot.0,
            reason: r.reason,
            replaced_at: r.replaced_at.and_utc(),
            replaced_by: r.replaced_by,
        }
    }
}
