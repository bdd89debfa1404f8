//! Convictions of a person, and the expungement facts derived from them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{conviction_versions as cv, convictions as c, judicial_record_requests as jr};
use super::DbConnection;
use crate::domain::enums::{
    CrimeCategory, Culpability, ObligationKind, OffenceGroup, PrincipalKind, ReleaseType, SupplementaryKind,
};
use crate::domain::expungement as rules;
use crate::dto::convictions::{
    Conviction, ConvictionInput, ConvictionPatch, ConvictionVersion, Obligation, Principal, Supplementary,
};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub struct ConvictionRow {
    pub id: String,
    pub person_id: String,
    pub judgment_number: String,
    pub court: String,
    pub judgment_date: NaiveDate,
    pub offence_articles: String,
    pub offence_group: String,
    pub chapter: i32,
    pub principal_kind: String,
    pub principal_months: Option<i32>,
    pub supplementary: String,
    pub obligations: String,
    pub detention_facility: Option<String>,
    pub sentence_completed_on: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<String>,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub new_offence: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub offence_date: Option<NaiveDate>,
    pub crime_category: Option<String>,
    pub culpability: Option<String>,
    pub expunged_on: Option<NaiveDate>,
}

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
            offence_group: input.offence_group.as_str().to_string(),
            chapter: input.chapter,
            principal_kind: input.principal.kind.as_str().to_string(),
            principal_months: input.principal.months,
            supplementary: serde_json::to_string(&input.supplementary).unwrap_or_else(|_| "[]".into()),
            obligations: serde_json::to_string(&input.obligations).unwrap_or_else(|_| "[]".into()),
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
            release_type: input.release_type.map(|t| t.as_str().to_string()),
            certificate_number: input.certificate_number.clone(),
            certificate_date: input.certificate_date,
            probation_end: input.probation_end,
            new_offence: input.new_offence,
            created_at: now,
            updated_at: now,
            version: 1,
            offence_date: input.offence_date,
            crime_category: input.crime_category.map(|k| k.as_str().to_string()),
            culpability: input.culpability.map(|k| k.as_str().to_string()),
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
            offence_group: OffenceGroup::parse(&self.offence_group).unwrap_or(OffenceGroup::Other),
            chapter: self.chapter,
            principal: self.principal(),
            supplementary: self.supplementary(),
            obligations: self.obligations(),
            detention_facility: self.detention_facility.clone(),
            sentence_completed_on: self.sentence_completed_on,
            release_date: self.release_date,
            release_type: self.release_type.as_deref().and_then(ReleaseType::parse),
            certificate_number: self.certificate_number.clone(),
            certificate_date: self.certificate_date,
            probation_end: self.probation_end,
            new_offence: self.new_offence,
            offence_date: self.offence_date,
            crime_category: self.crime_category.as_deref().and_then(CrimeCategory::parse),
            culpability: self.culpability.as_deref().and_then(Culpability::parse),
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
        macro_rules! take_opt {
            ($($field:ident),+) => { $(if patch.$field.is_some() { i.$field = patch.$field.clone(); })+ };
        }
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
        take_opt!(
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

    fn articles(&self) -> Vec<String> {
        self.offence_articles.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }

    fn principal(&self) -> Principal {
        Principal {
            kind: PrincipalKind::parse(&self.principal_kind).unwrap_or(PrincipalKind::Imprisonment),
            months: self.principal_months,
        }
    }

    fn supplementary(&self) -> Vec<Supplementary> {
        serde_json::from_str(&self.supplementary).unwrap_or_default()
    }

    fn obligations(&self) -> Vec<Obligation> {
        serde_json::from_str(&self.obligations).unwrap_or_default()
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
            offence_group: OffenceGroup::parse(&self.offence_group).unwrap_or(OffenceGroup::Other),
            chapter: self.chapter,
            principal: self.principal(),
            supplementary: self.supplementary(),
            obligations: self.obligations(),
            detention_facility: self.detention_facility.clone(),
            sentence_completed_on: self.sentence_completed_on,
            release_date: self.release_date,
            release_type: self.release_type.as_deref().and_then(ReleaseType::parse),
            certificate_number: self.certificate_number.clone(),
            certificate_date: self.certificate_date,
            probation_end: self.probation_end,
            new_offence: self.new_offence,
            offence_date: self.offence_date,
            crime_category: self.crime_category.as_deref().and_then(CrimeCategory::parse),
            culpability: self.culpability.as_deref().and_then(Culpability::parse),
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
        let principal = match PrincipalKind::parse(&self.principal_kind) {
            Some(PrincipalKind::Warning) => rules::PrincipalPenalty::Warning,
            Some(PrincipalKind::Fine) => rules::PrincipalPenalty::Fine,
            Some(PrincipalKind::NonCustodialReform) => rules::PrincipalPenalty::NonCustodialReform,
            Some(PrincipalKind::Suspended) => rules::PrincipalPenalty::Suspended,
            Some(PrincipalKind::Life) => rules::PrincipalPenalty::Life,
            Some(PrincipalKind::DeathCommuted) => rules::PrincipalPenalty::DeathCommuted,
            Some(PrincipalKind::Exempted) => rules::PrincipalPenalty::Exempted,
            _ => rules::PrincipalPenalty::Imprisonment { months: self.principal_months.unwrap_or(0).max(0) as u32 },
        };
        rules::ConvictionFacts {
            judgment_number: self.judgment_number.clone(),
            chapter: self.chapter.clamp(0, 255) as u8,
            principal,
            principal_completed_on: self.sentence_completed_on,
            supplementary: self
                .supplementary()
                .into_iter()
                .map(|s| rules::SupplementaryPenalty {
                    kind: supplementary_label(s.kind).to_string(),
                    ends_on: s.ends_on,
                    completed_on: s.completed_on,
                })
                .collect(),
            obligations: self
                .obligations()
                .into_iter()
                .map(|o| rules::Obligation {
                    kind: obligation_label(o.kind).to_string(),
                    amount_vnd: o.amount_vnd,
                    paid: o.paid,
                    paid_on: o.paid_on,
                })
                .collect(),
            judgment_date: self.judgment_date,
            offence_date: self.offence_date,
            crime_category: self.crime_category.as_deref().and_then(CrimeCategory::parse).map(|k| match k {
                CrimeCategory::LessSerious => rules::CrimeCategory::LessSerious,
                CrimeCategory::Serious => rules::CrimeCategory::Serious,
                CrimeCategory::VerySerious => rules::CrimeCategory::VerySerious,
                CrimeCategory::EspeciallySerious => rules::CrimeCategory::EspeciallySerious,
            }),
            culpability: self.culpability.as_deref().and_then(Culpability::parse).map(|k| match k {
                Culpability::Intentional => rules::Culpability::Intentional,
                Culpability::Negligent => rules::Culpability::Negligent,
            }),
            release_date: self.release_date,
            conditional_release: self.release_type.as_deref() == Some(ReleaseType::ConditionalEarlyRelease.as_str()),
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

pub fn insert(conn: &mut DbConnection, row: &ConvictionRow) -> ApiResult<()> {
    diesel::insert_into(c::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, person_id: &str, id: &str) -> ApiResult<ConvictionRow> {
    c::table
        .filter(c::person_id.eq(person_id))
        .filter(c::id.eq(id))
        .select(ConvictionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Replaces a conviction if it is still at `expected_version`, keeping the replaced
/// version with the reason; returns the new row (version + 1).
pub fn replace(
    conn: &mut DbConnection,
    before: &ConvictionRow,
    after: &ConvictionRow,
    expected_version: i32,
    reason: &str,
    actor: &str,
) -> ApiResult<ConvictionRow> {
    let mut next = after.clone();
    next.version = expected_version + 1;
    next.updated_at = crate::time::now();
    let n = diesel::update(c::table.filter(c::id.eq(&before.id)).filter(c::version.eq(expected_version)))
        .set(ConvictionChangeset(&next))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    let snapshot = serde_json::to_string(&before.to_input()).unwrap_or_else(|_| "{}".into());
    diesel::insert_into(cv::table)
        .values((
            cv::id.eq(uuid::Uuid::now_v7().to_string()),
            cv::conviction_id.eq(&before.id),
            cv::person_id.eq(&before.person_id),
            cv::version.eq(before.version),
            cv::snapshot.eq(snapshot),
            cv::reason.eq(reason),
            cv::replaced_at.eq(next.updated_at),
            cv::replaced_by.eq(actor),
        ))
        .execute(conn)?;
    Ok(next)
}

struct ConvictionChangeset<'a>(&'a ConvictionRow);

impl<'a> AsChangeset for ConvictionChangeset<'a> {
    type Target = c::table;
    type Changeset = <ConvictionChangesetInner<'a> as AsChangeset>::Changeset;

    fn as_changeset(self) -> Self::Changeset {
        let r = self.0;
        ConvictionChangesetInner {
            judgment_number: &r.judgment_number,
            court: &r.court,
            judgment_date: r.judgment_date,
            offence_articles: &r.offence_articles,
            offence_group: &r.offence_group,
            chapter: r.chapter,
            principal_kind: &r.principal_kind,
            principal_months: r.principal_months,
            supplementary: &r.supplementary,
            obligations: &r.obligations,
            detention_facility: r.detention_facility.as_deref(),
            sentence_completed_on: r.sentence_completed_on,
            release_date: r.release_date,
            release_type: r.release_type.as_deref(),
            certificate_number: r.certificate_number.as_deref(),
            certificate_date: r.certificate_date,
            probation_end: r.probation_end,
            offence_date: r.offence_date,
            crime_category: r.crime_category.as_deref(),
            culpability: r.culpability.as_deref(),
            expunged_on: r.expunged_on,
            updated_at: r.updated_at,
            version: r.version,
        }
        .as_changeset()
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = c, treat_none_as_null = true)]
struct ConvictionChangesetInner<'a> {
    judgment_number: &'a str,
    court: &'a str,
    judgment_date: NaiveDate,
    offence_articles: &'a str,
    offence_group: &'a str,
    chapter: i32,
    principal_kind: &'a str,
    principal_months: Option<i32>,
    supplementary: &'a str,
    obligations: &'a str,
    detention_facility: Option<&'a str>,
    sentence_completed_on: Option<NaiveDate>,
    release_date: Option<NaiveDate>,
    release_type: Option<&'a str>,
    certificate_number: Option<&'a str>,
    certificate_date: Option<NaiveDate>,
    probation_end: Option<NaiveDate>,
    offence_date: Option<NaiveDate>,
    crime_category: Option<&'a str>,
    culpability: Option<&'a str>,
    expunged_on: Option<NaiveDate>,
    updated_at: NaiveDateTime,
    version: i32,
}

/// Records the justice office's expungement on the convictions of the current record that
/// have none yet.
pub fn record_expunged(conn: &mut DbConnection, ids: &[String], on: NaiveDate) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(c::table.filter(c::id.eq_any(ids)).filter(c::expunged_on.is_null()))
        .set(c::expunged_on.eq(on))
        .execute(conn)?;
    Ok(())
}

/// The kept versions of a conviction, oldest first.
pub fn versions(conn: &mut DbConnection, conviction_id: &str) -> ApiResult<Vec<ConvictionVersion>> {
    let rows: Vec<(i32, String, String, NaiveDateTime, String)> = cv::table
        .filter(cv::conviction_id.eq(conviction_id))
        .order(cv::version.asc())
        .select((cv::version, cv::snapshot, cv::reason, cv::replaced_at, cv::replaced_by))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(version, snapshot, reason, at, by)| ConvictionVersion {
            version,
            snapshot: serde_json::from_str(&snapshot).unwrap_or(serde_json::Value::Null),
            reason,
            replaced_at: at.and_utc(),
            replaced_by: by,
        })
        .collect())
}

pub fn for_person(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<ConvictionRow>> {
    Ok(c::table
        .filter(c::person_id.eq(person_id))
        .order((c::judgment_date.asc(), c::id.asc()))
        .select(ConvictionRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jr)]
pub struct JudicialRecordRow {
    pub id: String,
    pub person_id: String,
    pub requested_on: NaiveDate,
    pub purpose: Option<String>,
    pub outcome: String,
    pub certificate_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub created_at: NaiveDateTime,
}

impl JudicialRecordRow {
    pub fn view(&self) -> crate::dto::convictions::JudicialRecordRequest {
        crate::dto::convictions::JudicialRecordRequest {
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

pub fn insert_judicial_record(conn: &mut DbConnection, row: &JudicialRecordRow) -> ApiResult<()> {
    diesel::insert_into(jr::table).values(row).execute(conn)?;
    Ok(())
}

pub fn judicial_records(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<JudicialRecordRow>> {
    Ok(jr::table
        .filter(jr::person_id.eq(person_id))
        .order(jr::id.asc())
        .select(JudicialRecordRow::as_select())
        .load(conn)?)
}
