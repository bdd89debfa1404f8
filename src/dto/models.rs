use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::dto::no_control_chars;

/// A reintegration model (mô hình), e.g. "Tổ tự quản hỗ trợ tái hòa nhập cộng đồng".
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewModel {
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub name: String,
    pub model_type: ModelType,
    /// Commune code.
    pub unit: String,
    pub sponsor_organisation: Option<Organisation>,
    pub committee_id: Option<String>,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub founding_decision_number: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub founding_decision_date: Option<NaiveDate>,
    #[validate(length(max = 5000), custom(function = "no_control_chars"))]
    pub description: Option<String>,
    /// Business lines of an employment model.
    #[validate(custom(function = "crate::dto::each_single_line"), length(max = 50))]
    #[serde(default)]
    pub business_lines: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Milestone {
    pub step: ModelStep,
    pub achieved_on: NaiveDate,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Participant {
    pub id: String,
    pub role: ParticipantRole,
    pub person_id: Option<String>,
    pub member_id: Option<String>,
    pub helper_name: Option<String>,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    pub id: String,
    pub kind: ReviewKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub reviewed_on: NaiveDate,
    pub rating: ReviewRating,
    pub findings: Option<String>,
    pub commendation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Model {
    pub id: String,
    pub unit: String,
    pub name: String,
    pub model_type: ModelType,
    pub sponsor_organisation: Option<Organisation>,
    pub committee_id: Option<String>,
    pub founding_decision_number: Option<String>,
    pub founding_decision_date: Option<NaiveDate>,
    pub description: Option<String>,
    pub business_lines: Vec<String>,
    pub status: ModelStatus,
    pub status_since: NaiveDate,
    /// Persons taking part now.
    pub active_participants: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestones: Option<Vec<Milestone>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<Vec<Review>>,
    pub version: i32,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMilestone {
    pub step: ModelStep,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub achieved_on: NaiveDate,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeInput {
    /// `active`, `suspended` or `dissolved`.
    pub status: ModelStatus,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub on: NaiveDate,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub reason: Option<String>,
}

/// A person taking part (`participant`) or a committee member helping (`helper`).
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParticipant {
    pub role: ParticipantRole,
    pub person_id: Option<String>,
    pub member_id: Option<String>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub helper_name: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub joined_on: NaiveDate,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveInput {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub left_on: NaiveDate,
}

/// Sơ kết / tổng kết, optionally with a commendation.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReview {
    pub kind: ReviewKind,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub period_from: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub period_to: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub reviewed_on: NaiveDate,
    pub rating: ReviewRating,
    #[validate(length(max = 5000), custom(function = "no_control_chars"))]
    pub findings: Option<String>,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub commendation: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ModelQuery {
    /// A province (covers its communes) or a commune inside your unit.
    pub unit: Option<String>,
    pub model_type: Option<ModelType>,
    pub status: Option<ModelStatus>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// Models per type in a unit, and coverage of communes with managed persons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelSummary {
    pub unit: String,
    pub by_type: Vec<ModelTypeCount>,
    /// Communes of the unit with at least one person under management.
    pub communes_with_managed_persons: i64,
    /// …of which run at least one active model.
    pub communes_with_active_model: i64,
    /// communes_with_active_model ÷ communes_with_managed_persons, in percent (2 decimals).
    pub coverage_percent: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelTypeCount {
    pub model_type: ModelType,
    pub models: i64,
    pub active: i64,
    /// Persons currently taking part in active models.
    pub participants: i64,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutreachEvent {
    /// Commune code; or a province code or `VN` for an event above the communes (provincial
    /// TV or radio, a national campaign), counted for that unit and the units above it, never
    /// for its communes.
    pub unit: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub held_on: NaiveDate,
    pub kind: OutreachKind,
    #[validate(length(min = 1, max = 500), custom(function = "crate::dto::single_line"))]
    pub topic: String,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub organiser: Option<String>,
    #[validate(range(min = 0, max = 1_000_000))]
    #[serde(default)]
    pub audience_count: i32,
    /// E.g. leaflets handed out, news items broadcast.
    #[validate(range(min = 0, max = 10_000_000))]
    #[serde(default)]
    pub quantity: i32,
    pub model_id: Option<String>,
    /// What the event was about; `other` when absent. `topic` stays as the event's title.
    #[serde(default = "crate::dto::models::other_topic")]
    pub topic_code: OutreachTopic,
}

pub fn other_topic() -> OutreachTopic {
    OutreachTopic::Other
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutreachEvent {
    pub id: String,
    pub unit: String,
    pub held_on: NaiveDate,
    pub kind: OutreachKind,
    pub topic: String,
    pub organiser: Option<String>,
    pub audience_count: i32,
    pub quantity: i32,
    pub model_id: Option<String>,
    /// What the event was about (`topic` is its title).
    pub topic_code: OutreachTopic,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutreachQuery {
    pub unit: Option<String>,
    pub kind: Option<OutreachKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutreachTotals {
    pub kind: OutreachKind,
    pub events: i64,
    pub audience: i64,
    pub quantity: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutreachSummary {
    pub by_kind: Vec<OutreachTotals>,
    pub events: i64,
    pub audience: i64,
    /// Communes of the unit that held at least one event in the period.
    pub communes_holding_outreach: i64,
    /// Communes of the unit with at least one active propagandist.
    pub communes_with_propagandists: i64,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPropagandist {
    pub unit: String,
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    pub full_name: String,
    pub organisation: Option<Organisation>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub from_date: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub to_date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Propagandist {
    pub id: String,
    pub unit: String,
    pub full_name: String,
    pub organisation: Option<Organisation>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}
