//! Plans on the wire: the province's Đề án, the district's plan, the commune's model plan,
//! each with targets that quote the document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::enums::TargetMeasure;
pub use crate::domain::plans::{PlanProgress, TargetProgress};
use crate::dto::no_control_chars;

/// The decision that issued a plan.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    #[schema(example = "15/QĐ-UBND")]
    pub number: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub date: NaiveDate,
    /// Who signed it (`UBND tỉnh Lâm Đồng`).
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub issuer: String,
}

/// A bound (percent for rates), as answered. "từ 70% đến 80%" is `min: 70, aim: 80`;
/// "dưới 1%" is `max: 1, max_exclusive: true`.
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq)]
pub struct Bound {
    /// Below it the target is not met.
    pub min: Option<f64>,
    /// At or above it the target is exceeded.
    pub aim: Option<f64>,
    /// Above it (at it too, with `max_exclusive`) the target is not met.
    pub max: Option<f64>,
    pub max_exclusive: bool,
}

/// A bound that replaces the target's from a later year on ("Đến năm 2030 giảm xuống 0,5%").
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LaterBound {
    pub from_year: i32,
    pub min: Option<f64>,
    pub aim: Option<f64>,
    pub max: Option<f64>,
    #[serde(default)]
    pub max_exclusive: bool,
}

/// A target as the document writes it.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanTargetInput {
    /// The document's own sentence.
    #[validate(length(min = 1, max = 2000), custom(function = "no_control_chars"))]
    #[schema(example = "Phấn đấu tỷ lệ tái phạm tội dưới 1%; đến năm 2030 giảm xuống 0,5%")]
    pub text: String,
    /// An indicator key as the indicators' CSV lists them; `rates.*` are percentages.
    #[validate(length(min = 1, max = 120))]
    #[schema(example = "rates.reoffending_of_managed")]
    pub indicator: String,
    /// First year the target applies (default: the plan's first, or the deadline's year).
    pub from_year: Option<i32>,
    /// Last year it applies (default: the plan's last, or the deadline's year).
    pub to_year: Option<i32>,
    /// Below it the target is not met (percent for rates).
    pub min: Option<f64>,
    /// At or above it the target is exceeded; needs `min` ("từ 70% đến 80%": min 70, aim 80).
    pub aim: Option<f64>,
    /// Above it the target is not met ("dưới 1%": max 1 with `max_exclusive`).
    pub max: Option<f64>,
    /// The maximum itself is not met either.
    #[serde(default)]
    pub max_exclusive: bool,
    /// A deadline ("trước ngày 10/11/2025"): the target is measured on this date.
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub later_bounds: Vec<LaterBound>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    #[validate(length(min = 1, max = 500), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Đề án tái hòa nhập cộng đồng giai đoạn 2025–2030")]
    pub name: String,
    #[validate(nested)]
    pub decision: Decision,
    /// A unit inside yours (default: yours), or a named area `area:<id>`.
    pub unit: Option<String>,
    pub from_year: i32,
    pub to_year: i32,
    #[validate(length(max = 100), nested)]
    #[serde(default)]
    pub targets: Vec<PlanTargetInput>,
}

/// Changes to a plan; `targets`, when given, replaces them all.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanPatch {
    #[validate(length(min = 1, max = 500), custom(function = "crate::dto::single_line"))]
    pub name: Option<String>,
    #[validate(nested)]
    pub decision: Option<Decision>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    #[validate(length(max = 100), nested)]
    pub targets: Option<Vec<PlanTargetInput>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanTarget {
    pub id: String,
    pub text: String,
    pub indicator: String,
    pub measure: TargetMeasure,
    pub from_year: i32,
    pub to_year: i32,
    /// The bound of the target's first year.
    #[serde(flatten)]
    pub bound: Bound,
    pub due_on: Option<NaiveDate>,
    pub later_bounds: Vec<LaterBound>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub decision: Decision,
    /// A unit code or `area:<id>`.
    pub unit: String,
    pub from_year: i32,
    pub to_year: i32,
    pub targets: Vec<PlanTarget>,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanListQuery {
    /// Plans of this unit or area (`area:<id>`).
    pub unit: Option<String>,
    /// Plans whose period includes the year.
    pub year: Option<i32>,
    /// Include archived plans.
    pub archived: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// The year measured (within the plan's period).
    pub year: i32,
}
