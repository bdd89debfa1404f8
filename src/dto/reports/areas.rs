//! Named areas on the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::dto::no_control_chars;

/// A named area: a saved set of reporting units, usable as `unit=area:<id>` wherever a set
/// of units is (the indicators, their CSV and XLSX).
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArea {
    #[validate(length(min = 1, max = 200), custom(function = "no_control_chars"))]
    #[schema(example = "Huyện Đắk Glong (cũ)")]
    pub name: String,
    /// 1 to 50 units (communes, provinces or `VN`), none overlapping another, each in your
    /// jurisdiction.
    #[schema(example = json!(["24616", "24620", "24631", "24637"]))]
    pub units: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Area {
    pub id: String,
    pub name: String,
    pub units: Vec<String>,
    /// The province every unit lies in, or `VN` when they span provinces.
    pub province_code: String,
    /// Use as `unit=` on `GET /reports/indicators`.
    #[schema(example = "area:0190f0c8-7d3a-7c3e-9c1a-2f6d1b9e4a10")]
    pub unit: String,
    pub created_at: DateTime<Utc>,
}
