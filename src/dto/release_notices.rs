use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::VerificationResult;
use crate::dto::no_control_chars;
use crate::dto::persons::NewPerson;

/// A facility's notice, about two months before release, to the destination commune.
/// Either names an existing person (`person_id`, e.g. someone released before) or carries
/// the identity of a new one (`person`).
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReleaseNotice {
    pub person_id: Option<String>,
    #[validate(nested)]
    pub person: Option<NewPerson>,
    /// Destination commune when `person_id` is given (defaults to the person's commune).
    pub destination_unit: Option<String>,
    /// The sending facility. A `facility` principal may leave it out (its `facility_name`
    /// is used) or must give that same name; other senders must give it.
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Trại giam Nam Hà")]
    pub facility: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub notice_date: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub expected_release_date: NaiveDate,
    /// In-facility counselling sessions given.
    #[validate(range(min = 0, max = 1000))]
    #[serde(default)]
    pub counselling_sessions: i32,
    /// When the counselling was held (default: `notice_date`). The indicators count the
    /// sessions on this date, not on the notice date.
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub counselling_held_on: Option<NaiveDate>,
    /// Travel allowance paid on release, VND.
    #[validate(range(min = 0, max = 100_000_000))]
    #[serde(default)]
    pub travel_allowance_vnd: i64,
    /// When the travel allowance is paid (default: `expected_release_date`). The indicators
    /// count the allowance on this date.
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub travel_allowance_paid_on: Option<NaiveDate>,
}

/// Identity fields of the person a notice names: all a facility reads of that person.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticePerson {
    pub full_name: String,
    pub gender: Option<crate::domain::enums::Gender>,
    pub date_of_birth: Option<NaiveDate>,
    /// CCCD, 12 digits.
    pub id_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseNotice {
    pub id: String,
    pub person_id: String,
    /// The person's identity fields (absent if the person record is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<NoticePerson>,
    /// Destination commune.
    pub unit: String,
    pub facility: String,
    pub notice_date: NaiveDate,
    pub expected_release_date: NaiveDate,
    pub counselling_sessions: i32,
    /// When the counselling was held (counted in the indicators on this date).
    pub counselling_held_on: NaiveDate,
    pub travel_allowance_vnd: i64,
    /// When the travel allowance is paid (counted in the indicators on this date).
    pub travel_allowance_paid_on: NaiveDate,
    /// The commune police must verify the address by this date (3 working days).
    pub verification_due_on: NaiveDate,
    pub verified_on: Option<NaiveDate>,
    pub verification_result: Option<VerificationResult>,
    pub verification_note: Option<String>,
    /// Unverified past the due date.
    pub verification_overdue: bool,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

impl ReleaseNotice {
    pub fn build(
        r: &crate::db::release_notices::NoticeRow,
        person: Option<&crate::db::release_notices::NoticePersonRow>,
        today: NaiveDate,
    ) -> ReleaseNotice {
        ReleaseNotice {
            id: r.id.clone(),
            person_id: r.person_id.clone(),
            person: person.map(|p| NoticePerson {
                full_name: p.full_name.clone(),
                gender: Some(p.gender),
                date_of_birth: p.date_of_birth,
                id_number: p.id_number.clone(),
            }),
            unit: r.unit_code.clone(),
            facility: r.facility.clone(),
            notice_date: r.notice_date,
            expected_release_date: r.expected_release_date,
            counselling_sessions: r.counselling_sessions,
            counselling_held_on: r.counselling_held_on.unwrap_or(r.notice_date),
            travel_allowance_vnd: r.travel_allowance_vnd,
            travel_allowance_paid_on: r.travel_allowance_paid_on.unwrap_or(r.expected_release_date),
            verification_due_on: r.verification_due_on,
            verified_on: r.verified_on,
            verification_result: r.verification_result,
            verification_note: r.verification_note.clone(),
            verification_overdue: r.verified_on.is_none() && r.verification_due_on < today,
            created_at: r.created_at.and_utc(),
            version: r.version,
        }
    }
}

/// The commune police's address check with the family.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub verified_on: NaiveDate,
    pub result: VerificationResult,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReleaseNoticeQuery {
    pub unit: Option<String>,
    /// Only notices whose address check is overdue (unverified after 3 working days).
    pub verification_overdue: Option<bool>,
    pub person_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
