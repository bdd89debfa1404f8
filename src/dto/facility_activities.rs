//! Work recorded inside detention facilities (`/facility-activities`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::facility::{BriefingTopic, FacilityActivityKind};
use crate::dto::no_control_chars;

/// One piece of work inside a facility, on its own date. Counted in the indicators
/// (`pre_release`) of the facility's unit and of the units above it.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFacilityActivity {
    pub kind: FacilityActivityKind,
    /// The day it happened (for `population`, the day counted).
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub occurred_on: NaiveDate,
    /// The facility. A `facility` principal may leave it out (its `facility_name` is used)
    /// or must give that same name; police must give it.
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Nhà tạm giữ Công an tỉnh Lâm Đồng")]
    pub facility: Option<String>,
    /// Where the facility sits: `VN`, a province or a commune code. A `facility` principal's
    /// records lie in its own unit (leave it out or give that unit); police default to theirs.
    pub unit: Option<String>,
    /// Required for `policy_briefing`, refused otherwise.
    pub topic_code: Option<BriefingTopic>,
    /// The number of persons concerned (prisoners taken in, trained, paid, counted...).
    /// Defaults to the number of `person_ids`.
    #[validate(range(min = 0, max = 100_000))]
    pub persons: Option<i32>,
    /// The persons by id, when they are on record (a facility: persons of its own notices).
    #[validate(length(max = 500))]
    pub person_ids: Option<Vec<String>>,
    /// Attendance of a session (briefing, education, counselling). Defaults to `persons`.
    #[validate(range(min = 0, max = 100_000))]
    pub attendance: Option<i32>,
    /// VND: the total travel allowance paid (`travel_allowance`), or another cost (`other`).
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[serde(default)]
    pub amount_vnd: i64,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    pub notes: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityActivity {
    pub id: String,
    pub kind: FacilityActivityKind,
    pub occurred_on: NaiveDate,
    pub facility: String,
    /// The facility's unit.
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic_code: Option<BriefingTopic>,
    pub persons: i32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub person_ids: Vec<String>,
    pub attendance: i32,
    pub amount_vnd: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl FacilityActivity {
    pub fn build(r: &crate::db::facility_activities::FacilityActivityRow) -> FacilityActivity {
        FacilityActivity {
            id: r.id.clone(),
            kind: r.kind,
            occurred_on: r.occurred_on,
            facility: r.facility.clone(),
            unit: r.unit_code.clone(),
            topic_code: r.topic_code,
            persons: r.persons,
            person_ids: r.person_ids.as_ref().map(|ids| ids.0.clone()).unwrap_or_default(),
            attendance: r.attendance,
            amount_vnd: r.amount_vnd,
            notes: r.notes.clone(),
            created_at: r.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FacilityActivityQuery {
    pub kind: Option<FacilityActivityKind>,
    /// `VN`, a province or a commune code inside your unit.
    pub unit: Option<String>,
    /// Occurred on or after.
    pub from: Option<NaiveDate>,
    /// Occurred on or before.
    pub to: Option<NaiveDate>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
