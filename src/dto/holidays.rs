use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::working_days::DayKind;
use crate::dto::no_control_chars;

/// A dated day of the holiday calendar deadlines are counted with (working days, and the end
/// of a period on a day off, Civil Code Art. 148(5)).
#[derive(Debug, Serialize, ToSchema)]
pub struct Holiday {
    pub date: NaiveDate,
    /// `holiday` (Labour Code 2019 Art. 112(1)), `compensatory` (nghỉ bù, Art. 111(3)),
    /// `swapped` (a working day given off for a make-up Saturday) or `workday` (a working day
    /// by announcement, e.g. a make-up Saturday).
    pub kind: DayKind,
    pub name: String,
    /// `announced` (the Government's announcement for the year), `statutory` (a fixed day of
    /// the Labour Code) or `computed` (statute and lunar calendar; no announcement known).
    #[schema(example = "announced")]
    pub basis: String,
    /// `shipped` (the table in data/holidays-vn.csv), `statute` (computed for a year the table
    /// does not hold) or `added` (by an admin; replaces a shipped entry on the same date).
    #[schema(example = "shipped")]
    pub source: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    /// Calendar year (2000–2100).
    pub year: i32,
}

/// A day an admin adds from the Government's announcement.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHoliday {
    pub date: NaiveDate,
    pub kind: DayKind,
    #[validate(length(min = 1, max = 200), custom(function = "no_control_chars"))]
    #[schema(example = "Quốc khánh (ngày liền kề)")]
    pub name: String,
    /// The announcement it comes from (defaults to `announced`).
    #[validate(length(min = 1, max = 200), custom(function = "no_control_chars"))]
    pub basis: Option<String>,
}
