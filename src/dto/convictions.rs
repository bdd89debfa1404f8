use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::dto::no_control_chars;

/// Principal penalty as pronounced.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// Months of imprisonment (required for `imprisonment`, 1–360).
    pub months: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplementary {
    pub kind: SupplementaryKind,
    /// Term in months, where the penalty has one.
    #[validate(range(min = 1, max = 600))]
    pub term_months: Option<i32>,
    /// When the term ends.
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub ends_on: Option<NaiveDate>,
    /// When it was served (or exempted).
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub completed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub kind: ObligationKind,
    /// Amount in VND.
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    pub amount_vnd: i64,
    pub paid: bool,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub paid_on: Option<NaiveDate>,
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
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// When the record can be expunged, and what stands in the way.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpungementView {
    /// `automatic` (Art. 70) or `court_decision` (Art. 71).
    pub track: String,
    pub waiting_period_years: u32,
    /// Completion date the period counts from.
    pub counted_from: Option<NaiveDate>,
    /// Earliest date the record can be expunged.
    pub earliest_date: Option<NaiveDate>,
    /// Earliest date under Art. 72 (one third of the period, by court decision).
    pub special_case_earliest_date: Option<NaiveDate>,
    /// Whether it can be expunged today (nothing blocking and the date reached).
    pub eligible_today: bool,
    pub blocking: Vec<BlockingReason>,
    /// The justice office's decision so far.
    pub status: ExpungementStatus,
    pub decided_on: Option<NaiveDate>,
    pub basis: Option<String>,
    pub judicial_record_number: Option<String>,
    pub judicial_record_issuer: Option<String>,
    /// Current version of the person (for `If-Match` on PUT).
    pub version: i32,
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
