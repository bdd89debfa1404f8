//! Indicators, targets and periodic reports on the wire. The figures and their counting rules
//! are in `domain::indicators`; they are re-exported here under the same names.

mod areas;
mod indicators;
mod targets;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

pub use self::areas::*;
pub use self::indicators::*;
pub use self::targets::*;
use crate::domain::enums::{PeriodKind, ReportStatus};
use crate::dto::no_control_chars;

/// Narrative sections clerks fill in, following the usual report layout.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReportSections {
    /// Tình hình chung.
    #[validate(length(max = 20000), custom(function = "no_control_chars"))]
    pub situation: Option<String>,
    /// Công tác chỉ đạo, ban hành văn bản.
    #[validate(length(max = 20000), custom(function = "no_control_chars"))]
    pub direction_and_documents: Option<String>,
    /// Đánh giá — ưu điểm.
    #[validate(length(max = 20000), custom(function = "no_control_chars"))]
    pub strengths: Option<String>,
    /// Đánh giá — hạn chế, nguyên nhân.
    #[validate(length(max = 20000), custom(function = "no_control_chars"))]
    pub limits: Option<String>,
    /// Đề xuất, kiến nghị.
    #[validate(length(max = 20000), custom(function = "no_control_chars"))]
    pub recommendations: Option<String>,
    /// Phương hướng, nhiệm vụ thời gian tới.
    #[validate(length(max = 20000), custom(function = "no_control_chars"))]
    pub next_tasks: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// Reporting unit (defaults to yours).
    pub unit: Option<String>,
    pub period_kind: PeriodKind,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[schema(example = "2026-01-01")]
    pub period_from: NaiveDate,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[schema(example = "2026-06-30")]
    pub period_to: NaiveDate,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Báo cáo 6 tháng đầu năm 2026 về công tác tái hòa nhập cộng đồng")]
    pub title: Option<String>,
    #[validate(nested)]
    #[serde(default)]
    pub sections: ReportSections,
    /// Overrides the configured due date (phase, five-year and custom reports have none).
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub due_on: Option<NaiveDate>,
}

/// Section edits on a draft (fields left out stay as they are).
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportPatch {
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = String)]
    pub title: Option<String>,
    #[validate(nested)]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = ReportSections)]
    pub sections: Option<ReportSections>,
    /// Recompute the frozen figures from the live data now.
    #[serde(default)]
    pub refresh_figures: bool,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDecision {
    /// Required when returning a report.
    #[validate(length(max = 5000), custom(function = "no_control_chars"))]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Report {
    pub id: String,
    pub unit: String,
    #[schema(example = "Phường Ba Đình, Thành phố Hà Nội")]
    pub unit_name: String,
    pub period_kind: PeriodKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub year: i32,
    /// 1 for the first report of this unit and period; corrections count up.
    pub version_no: i32,
    pub supersedes_id: Option<String>,
    pub status: ReportStatus,
    #[schema(example = "Báo cáo 6 tháng đầu năm 2026 về công tác tái hòa nhập cộng đồng")]
    pub title: String,
    pub sections: ReportSections,
    /// The figures frozen when the report was created (or last refreshed as a draft).
    pub figures: Indicators,
    pub due_on: Option<NaiveDate>,
    /// Submitted after the due date.
    pub late: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    #[schema(example = "Đã tiếp nhận, đề nghị bổ sung số liệu vay vốn")]
    pub decision_comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSummary {
    pub id: String,
    pub unit: String,
    pub period_kind: PeriodKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub year: i32,
    pub version_no: i32,
    pub status: ReportStatus,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportListQuery {
    /// A unit inside yours: its own reports and, for a province, its communes'.
    pub unit: Option<String>,
    pub period_kind: Option<PeriodKind>,
    pub year: Option<i32>,
    pub status: Option<ReportStatus>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv`, `xlsx` or `html`.
    #[param(schema_with = crate::dto::query_words::csv_xlsx_html)]
    pub format: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    /// Parent unit whose sub-units to check (defaults to yours).
    pub unit: Option<String>,
    pub period_kind: PeriodKind,
    pub year: i32,
}

/// Units one level below that have not submitted a report of the kind for the year by its
/// due date.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueUnits {
    pub unit: String,
    pub period_kind: PeriodKind,
    pub year: i32,
    pub due_on: Option<NaiveDate>,
    /// Whether the due date has passed (before it, the list shows who has not submitted yet).
    pub past_due: bool,
    pub items: Vec<OverdueUnit>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueUnit {
    pub unit: String,
    pub name: String,
    /// Status of the unit's latest report for the period, if any (`draft`, `returned`).
    pub latest_status: Option<ReportStatus>,
}

/// A figure that differs between a commune's submitted report and the live data.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureDifference {
    pub key: String,
    pub label: String,
    pub submitted: Option<i64>,
    pub live: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneFigures {
    pub unit: String,
    pub name: String,
    /// The commune's latest submitted or accepted report for the same period kind and dates.
    pub report_id: Option<String>,
    pub report_status: Option<ReportStatus>,
    /// The submitted figures (null when nothing was submitted).
    pub submitted: Option<Indicators>,
    /// The same figures computed now.
    pub live: Indicators,
    /// Figures that differ (rates in hundredths of a percent).
    pub differences: Vec<FigureDifference>,
}

/// A province report beside its communes' submitted and live figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consolidated {
    pub report_id: String,
    pub unit: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub communes: Vec<CommuneFigures>,
    /// Communes with managed persons in the period but no submitted report.
    pub missing: Vec<String>,
}
