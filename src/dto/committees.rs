use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::dto::no_control_chars;

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub body: CommitteeBody,
    pub role: MemberRole,
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    pub full_name: String,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub title: Option<String>,
    pub organisation: Option<Organisation>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub contact: Option<String>,
    /// Staff account acting for the member.
    pub account_id: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub from_date: NaiveDate,
    /// The member this one replaces (ended the same day, in the same transaction).
    pub replaces: Option<String>,
}

/// A commune's steering committee, established by decision of the commune chairman.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommittee {
    /// Commune code.
    pub unit: String,
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Ban Chỉ đạo mô hình THNCĐ xã Ngọc Liên")]
    pub name: String,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub working_group_name: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub decision_number: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub decision_date: NaiveDate,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub signer: Option<String>,
    /// Initial members: exactly one head and one standing deputy among them.
    #[validate(nested, length(min = 2, max = 100))]
    pub members: Vec<NewMember>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub id: String,
    pub body: CommitteeBody,
    pub role: MemberRole,
    pub full_name: String,
    pub title: Option<String>,
    pub organisation: Option<Organisation>,
    pub contact: Option<String>,
    pub account_id: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub consolidation_id: Option<String>,
    /// Active supervision assignments this member still holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_assignments: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Committee {
    pub id: String,
    pub unit: String,
    pub name: String,
    pub working_group_name: Option<String>,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub signer: Option<String>,
    pub status: CommitteeStatus,
    pub dissolution_decision_number: Option<String>,
    pub dissolved_on: Option<NaiveDate>,
    /// The composition on `as_of` (today by default).
    pub as_of: NaiveDate,
    pub members: Vec<Member>,
    pub consolidations: Vec<Consolidation>,
    pub version: i32,
}

/// One membership change inside a consolidation.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum MemberChange {
    /// A new member from the decision date.
    Add { member: NewMember },
    /// A member leaves on the decision date.
    End { member_id: String, reason: Option<String> },
}

/// Kiện toàn: a set of membership changes under one decision, recorded as one event.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsolidation {
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub decision_number: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub decision_date: NaiveDate,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    pub note: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub changes: Vec<MemberChange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Consolidation {
    pub id: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndMember {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub to_date: NaiveDate,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dissolution {
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub decision_number: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub dissolved_on: NaiveDate,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CommitteeQuery {
    /// The composition on this date (default today).
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CommitteeListQuery {
    pub unit: Option<String>,
    pub status: Option<CommitteeStatus>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitteeSummary {
    pub id: String,
    pub unit: String,
    pub name: String,
    pub status: CommitteeStatus,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
}
