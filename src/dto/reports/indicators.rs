//! Live indicators on the wire: the figures (from `domain::indicators`) and their query.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

pub use crate::domain::indicators::{
    Caseload, Exits, Figure, FigureValue, Indicators, KindCount, LoanFigures, Organisation, PreRelease, Rate, Rates,
    Receptions, Support, TargetCheck, SECTION_TITLES,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// `VN`, a province or a commune code; defaults to your unit. Or a set of up to 50 such
    /// units, comma-separated (`24616,24620,24631`), none overlapping another (a province and
    /// one of its communes, or `VN` and anything, is a 422): each person is counted once across
    /// the set, a move between two of its units is neither a reception nor an exit, and rates
    /// come from the set's own numerators and denominators. A set has no targets. You need
    /// jurisdiction over every unit. A named area is `area:<id>` (see `POST /areas`).
    pub unit: Option<String>,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (included).
    pub to: NaiveDate,
    /// `json` (default), `csv` or `xlsx`.
    #[param(schema_with = crate::dto::query_words::json_csv_xlsx)]
    pub format: Option<String>,
}
