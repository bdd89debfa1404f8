//! What a judgment imposes besides the principal penalty, as a conviction records it: the
//! same shape on the wire and, as JSON, in the conviction's row.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::enums::{ObligationKind, SupplementaryKind};

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplementary {
    pub kind: SupplementaryKind,
    /// Term in months, where the penalty has one.
    #[validate(range(min = 1, max = 600))]
    pub term_months: Option<i32>,
    /// When the term ends.
    #[validate(custom(function = "crate::domain::dates::date_from_1900"))]
    pub ends_on: Option<NaiveDate>,
    /// When it was served (or exempted).
    #[validate(custom(function = "crate::domain::dates::date_from_1900"))]
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
    #[validate(custom(function = "crate::domain::dates::date_from_1900"))]
    pub paid_on: Option<NaiveDate>,
}
