//! Targets on the wire.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::enums::TargetMeasure;
use crate::dto::no_control_chars;

/// A target for an indicator in a year.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    /// Unit setting the target (defaults to yours).
    pub unit: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    pub year: i32,
    /// An indicator key as listed by the indicators' CSV (`rates.reoffending_of_managed`,
    /// `support.trained_persons`, …).
    #[validate(length(min = 1, max = 120))]
    #[schema(example = "rates.reoffending_of_managed")]
    pub indicator: String,
    pub measure: TargetMeasure,
    /// Lower bound, inclusive (percent for rates).
    pub min: Option<f64>,
    /// Upper bound, inclusive (percent for rates): "under 1 %" is `max: 1`.
    #[schema(example = 1.0)]
    pub max: Option<f64>,
    #[validate(length(max = 500), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Target {
    pub id: String,
    pub unit: String,
    pub year: i32,
    pub indicator: String,
    pub measure: TargetMeasure,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub note: Option<String>,
    pub version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// Unit whose effective targets to list (defaults to yours).
    pub unit: Option<String>,
    pub year: i32,
}

/// The targets that apply to a unit in a year: its own, else its province's, else national.
#[derive(Debug, Serialize, ToSchema)]
pub struct EffectiveTargets {
    pub unit: String,
    pub year: i32,
    pub items: Vec<EffectiveTarget>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EffectiveTarget {
    #[serde(flatten)]
    pub target: Target,
    /// Whether the unit set it itself (false: inherited).
    pub own: bool,
}
