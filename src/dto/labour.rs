use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::dto::no_control_chars;

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTraining {
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Sửa chữa xe máy")]
    pub course: String,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub provider: Option<String>,
    pub level: TrainingLevel,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub start_date: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub end_date: Option<NaiveDate>,
    #[validate(length(max = 500), custom(function = "no_control_chars"))]
    pub result: Option<String>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub certificate: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Training {
    pub id: String,
    pub person_id: String,
    pub course: String,
    pub provider: Option<String>,
    pub level: TrainingLevel,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub result: Option<String>,
    pub certificate: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJobReferral {
    /// An employer of the pool (`/employers`), or just a name.
    pub employer_id: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub employer_name: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub referred_on: NaiveDate,
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub job: String,
    #[serde(default = "pending")]
    pub outcome: ReferralOutcome,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub outcome_on: Option<NaiveDate>,
}

fn pending() -> ReferralOutcome {
    ReferralOutcome::Pending
}

/// The outcome of a referral; `hired` sets the person's employment to `stable`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralOutcomeInput {
    pub outcome: ReferralOutcome,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub outcome_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobReferral {
    pub id: String,
    pub person_id: String,
    pub employer_id: Option<String>,
    pub employer_name: String,
    pub referred_on: NaiveDate,
    pub job: String,
    pub outcome: ReferralOutcome,
    pub outcome_on: Option<NaiveDate>,
    pub version: i32,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSocialAssistance {
    pub kind: AssistanceKind,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub decision_number: Option<String>,
    /// VND (per month for monthly allowances).
    #[validate(range(min = 0, max = 10_000_000_000_i64))]
    pub amount_vnd: i64,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub period_from: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub period_to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SocialAssistance {
    pub id: String,
    pub person_id: String,
    pub kind: AssistanceKind,
    pub decision_number: Option<String>,
    pub amount_vnd: i64,
    pub period_from: NaiveDate,
    pub period_to: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// An employer or cooperative that takes on returnees.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployer {
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub name: String,
    /// Commune or province code.
    pub unit: String,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub sector: Option<String>,
    /// `enterprise`, `cooperative`, `cooperative_group`, `business_household`…
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub legal_form: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub contact: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Employer {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub sector: Option<String>,
    pub legal_form: Option<String>,
    pub contact: Option<String>,
    /// Returnees hired through referrals.
    pub taken_on: i64,
    pub version: i32,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EmployerQuery {
    pub unit: Option<String>,
    /// Accent-insensitive name search.
    pub q: Option<String>,
    pub sector: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
