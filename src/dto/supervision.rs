use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::dto::no_control_chars;

/// Who supervises a person, decided by the commune chairman.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    pub supervisor_kind: SupervisorKind,
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Trần Thị Bình")]
    pub supervisor_name: String,
    pub organisation: Option<Organisation>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "0912 345 678")]
    pub contact: Option<String>,
    /// Staff account (role `supervisor`) that logs in for this supervisor.
    pub account_id: Option<String>,
    /// Steering-committee member, when the supervisor is one.
    pub committee_member_id: Option<String>,
    /// The primary supervisor; a new primary ends the previous one in the same transaction.
    #[serde(default = "yes")]
    pub primary: bool,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    #[schema(example = "15/QĐ-UBND")]
    pub decision_number: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub decision_date: Option<NaiveDate>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[schema(example = "2026-03-01")]
    pub from_date: NaiveDate,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assignment {
    pub id: String,
    pub person_id: String,
    #[schema(example = "00070")]
    pub unit: String,
    pub supervisor_kind: SupervisorKind,
    #[schema(example = "Trần Thị Bình")]
    pub supervisor_name: String,
    pub organisation: Option<Organisation>,
    #[schema(example = "0912 345 678")]
    pub contact: Option<String>,
    pub account_id: Option<String>,
    pub committee_member_id: Option<String>,
    pub primary: bool,
    #[schema(example = "15/QĐ-UBND")]
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub from_date: NaiveDate,
    /// Set when the assignment ended.
    pub to_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub active: bool,
    pub version: i32,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAssignment {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub to_date: NaiveDate,
    #[validate(length(min = 1, max = 1000), custom(function = "no_control_chars"))]
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssignmentQuery {
    /// The supervisor's account id (a supervisor token always sees only its own).
    pub supervisor: Option<String>,
    pub active: Option<bool>,
    pub person_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// Something done with or for a person: a fact, correctable (versioned) but never silently rewritten.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    pub kind: ActivityKind,
    /// Required for `legal_support`.
    pub legal_sub_kind: Option<LegalSubKind>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[schema(example = "2026-03-02")]
    pub occurred_on: NaiveDate,
    /// For `counselling_group`: the other persons in the session (one record each, one
    /// session id; a person listed twice counts once).
    #[validate(length(max = 200))]
    #[serde(default)]
    pub participant_ids: Vec<String>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Thượng úy Lê Văn Cường")]
    pub author_name: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Nhà riêng, thôn Đông Hạ")]
    pub place: Option<String>,
    #[validate(length(max = 5000), custom(function = "no_control_chars"))]
    #[schema(example = "Thăm gia đình; anh An đã có việc làm tại xưởng mộc của xã")]
    pub notes: Option<String>,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    #[schema(example = "Ổn định, không vi phạm")]
    pub outcome: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub next_follow_up_on: Option<NaiveDate>,
}

/// A correction; absent fields stay. `reason` is kept with the previous version.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityCorrection {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = NaiveDate)]
    pub occurred_on: Option<NaiveDate>,
    /// Required for `legal_support` (so it cannot be cleared).
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = LegalSubKind)]
    pub legal_sub_kind: Option<LegalSubKind>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub place: Option<Option<String>>,
    #[validate(length(max = 5000), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub outcome: Option<Option<String>>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub next_follow_up_on: Option<Option<NaiveDate>>,
    #[validate(length(min = 1, max = 1000), custom(function = "no_control_chars"))]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    pub id: String,
    pub person_id: String,
    pub unit: String,
    pub kind: ActivityKind,
    pub legal_sub_kind: Option<LegalSubKind>,
    pub occurred_on: NaiveDate,
    /// Shared by the records of one group counselling session.
    pub group_session_id: Option<String>,
    pub author_sub: String,
    #[schema(example = "Thượng úy Lê Văn Cường")]
    pub author_name: Option<String>,
    #[schema(example = "Nhà riêng, thôn Đông Hạ")]
    pub place: Option<String>,
    #[schema(example = "Thăm gia đình; anh An đã có việc làm tại xưởng mộc của xã")]
    pub notes: Option<String>,
    #[schema(example = "Ổn định, không vi phạm")]
    pub outcome: Option<String>,
    pub next_follow_up_on: Option<NaiveDate>,
    pub deleted: bool,
    pub deleted_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    pub kind: Option<ActivityKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Include deleted records (they keep their reason).
    pub include_deleted: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Why the record is deleted (kept in the audit trail).
    pub reason: String,
}

/// One area of the personal reintegration plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItem {
    pub area: PlanArea,
    pub goal: Option<String>,
    pub status: PlanStatus,
    pub responsible_agency: Option<ResponsibleAgency>,
    pub updated_on: Option<NaiveDate>,
    pub updates: Vec<PlanUpdate>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanUpdate {
    pub status: PlanStatus,
    pub note: Option<String>,
    pub updated_on: NaiveDate,
    pub actor_sub: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanItemInput {
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    pub goal: Option<String>,
    pub status: PlanStatus,
    pub responsible_agency: Option<ResponsibleAgency>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub updated_on: NaiveDate,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

/// Per area, how many persons of the unit are in each plan status.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanSummaryRow {
    pub area: PlanArea,
    pub not_started: i64,
    pub in_progress: i64,
    pub support_required: i64,
    pub done: i64,
    pub declined: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// A province or commune inside your unit.
    pub unit: Option<String>,
}

/// A unit and an as-of day for a summary of a state.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnitOnQuery {
    /// A province or commune inside your unit.
    pub unit: Option<String>,
    /// As-of day (`YYYY-MM-DD`, not in the future): the state on that day, from the dated
    /// history. Absent: the state as it stands now.
    pub on: Option<NaiveDate>,
}
