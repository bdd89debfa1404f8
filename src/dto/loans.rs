use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::domain::loan_rules::Purpose;
use crate::dto::no_control_chars;

/// Eligibility under Decision 22/2023/QĐ-TTg, with every failed condition in plain words.
#[derive(Debug, Serialize, ToSchema)]
pub struct Eligibility {
    pub eligible: bool,
    #[schema(value_type = String, example = "production_business")]
    pub purpose: Purpose,
    pub as_of: NaiveDate,
    /// The cap that applies (VND): 100,000,000 for production; for vocational training
    /// 4,000,000 per month of the course (Decision 22/2023 Art. 6).
    pub max_amount_vnd: i64,
    /// Longest term (months), disbursement and repayment together: 120 for production; for
    /// vocational training the course plus twice the course for programmes of up to 12
    /// months, plus once the course for longer ones (Art. 8(1)): 12 → 36, 13 → 26.
    pub max_term_months: u32,
    /// Completion of the prison sentence the 5 years count from (Art. 3(1)(c)): the latest
    /// judgment with a custodial penalty, served on release or, for a parolee, at the end of
    /// probation. Later non-custodial penalties do not move it.
    pub counted_from: Option<NaiveDate>,
    /// Last day a loan can be applied for: `counted_from` + 5 calendar years, moved to the
    /// next working day when that is a weekend day or public holiday (Civil Code Art. 148(5)).
    pub deadline: Option<NaiveDate>,
    pub failures: Vec<FailedCondition>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FailedCondition {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// `production_business` or `vocational_training`.
    #[param(value_type = String)]
    pub purpose: Purpose,
    /// Date of the application (default today).
    pub as_of: Option<NaiveDate>,
    /// Course length in months, for vocational training: the programme the loan finances,
    /// of any length (university, college, intermediate, vocational).
    pub course_months: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListEntryInput {
    pub person_id: String,
    #[schema(value_type = String, example = "production_business")]
    pub purpose: Purpose,
    #[validate(range(min = 1, max = 2_000_000_000_i64))]
    pub amount_wished_vnd: i64,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

/// The monthly list of returned persons who obey the law and want a loan, compiled by the
/// commune police.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLoanList {
    /// Commune code.
    pub unit: String,
    /// `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub month: String,
    #[validate(nested, length(max = 2000))]
    pub entries: Vec<ListEntryInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanListEntry {
    pub person_id: String,
    pub full_name: String,
    #[schema(value_type = String)]
    pub purpose: Purpose,
    pub amount_wished_vnd: i64,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanList {
    pub id: String,
    pub unit: String,
    pub month: String,
    /// 1 for the first list of the month; a changed certified list is a new version.
    pub version_no: i32,
    pub status: LoanListStatus,
    pub supersedes_id: Option<String>,
    pub certified_decision_number: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub sent_on: Option<NaiveDate>,
    pub acknowledged_on: Option<NaiveDate>,
    pub entries: Vec<LoanListEntry>,
    pub version: i32,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertifyList {
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub decision_number: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub certified_on: NaiveDate,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedAction {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub on: NaiveDate,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub reason: Option<String>,
}

/// The day a loan step was taken, for records brought in from paper: not in the future,
/// not before the loan's previous step; today when absent (an empty body is accepted too).
#[derive(Debug, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDate {
    #[schema(example = "2024-03-15")]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LoanListQuery {
    pub unit: Option<String>,
    pub month: Option<String>,
    pub status: Option<LoanListStatus>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// A loan application: an individual (through the household) or an establishment.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLoan {
    pub borrower_kind: BorrowerKind,
    /// For individuals.
    pub person_id: Option<String>,
    /// The household representative who transacts (individual loans).
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Nguyễn Thị Hoa")]
    pub household_rep_name: Option<String>,
    #[validate(length(equal = 12))]
    pub household_rep_id_number: Option<String>,
    /// Commune of an establishment (individuals: the person's commune).
    pub unit: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Hợp tác xã Mây tre đan Phú Vinh")]
    pub establishment_name: Option<String>,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub establishment_registration: Option<String>,
    #[validate(range(min = 1, max = 100000))]
    pub workforce: Option<i32>,
    #[validate(range(min = 0, max = 100000))]
    pub qualifying_employees: Option<i32>,
    #[serde(default)]
    pub plan_certified: bool,
    #[serde(default)]
    pub collateral: bool,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub collateral_description: Option<String>,
    /// Declared by the borrower; the bank may correct it.
    #[serde(default)]
    pub outstanding_same_purpose: bool,
    #[schema(value_type = String, example = "production_business")]
    pub purpose: Purpose,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    pub course_name: Option<String>,
    /// Months of the course the loan finances (any programme: 1 to 84 months); sets the cap
    /// (4,000,000 VND a month) and the longest term (see `Eligibility.max_term_months`).
    #[validate(range(min = 1, max = 84))]
    pub course_months: Option<i32>,
    #[validate(range(min = 1, max = 100_000_000_000_i64))]
    #[schema(example = 100000000)]
    pub amount_vnd: i64,
    #[validate(range(min = 1, max = 240))]
    #[schema(example = 60)]
    pub term_months: i32,
    pub entrusting_organisation: Option<EntrustingOrganisation>,
    #[validate(length(max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Tổ TK&VV thôn Đông Hạ")]
    pub savings_group: Option<String>,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    #[schema(example = "2026-03-10")]
    pub application_date: NaiveDate,
    /// The Social Policy Bank programme; `decision_22` when absent. Only Decision 22 loans are
    /// checked against the monthly list and the Decision 22 engine at submission; the others
    /// keep approval, postings and the portfolio, and are counted apart in the indicators.
    #[serde(default = "crate::dto::loans::decision_22")]
    pub programme: LoanProgramme,
    /// The programme's name, required with `programme: other` and refused otherwise.
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub programme_name: Option<String>,
}

pub fn decision_22() -> LoanProgramme {
    LoanProgramme::Decision_22
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Loan {
    pub id: String,
    pub unit: String,
    pub borrower_kind: BorrowerKind,
    pub person_id: Option<String>,
    #[schema(example = "Nguyễn Văn An")]
    pub borrower_name: Option<String>,
    #[schema(example = "Nguyễn Thị Hoa")]
    pub household_rep_name: Option<String>,
    #[schema(example = "Hợp tác xã Mây tre đan Phú Vinh")]
    pub establishment_name: Option<String>,
    pub establishment_registration: Option<String>,
    pub workforce: Option<i32>,
    pub qualifying_employees: Option<i32>,
    pub collateral: bool,
    #[schema(value_type = String)]
    pub purpose: Purpose,
    pub course_name: Option<String>,
    pub course_months: Option<i32>,
    #[schema(example = 100000000)]
    pub amount_vnd: i64,
    #[schema(example = 60)]
    pub term_months: i32,
    pub entrusting_organisation: Option<EntrustingOrganisation>,
    #[schema(example = "Tổ TK&VV thôn Đông Hạ")]
    pub savings_group: Option<String>,
    pub application_date: NaiveDate,
    pub status: LoanStatus,
    pub status_reason: Option<String>,
    /// Day the application was submitted (the latest submission), from the loan's history.
    pub submitted_on: Option<NaiveDate>,
    /// Day the commune People's Committee certified it, from the loan's history.
    pub certified_on: Option<NaiveDate>,
    pub approved_amount_vnd: Option<i64>,
    pub approved_on: Option<NaiveDate>,
    /// Rate in force at approval, basis points per year (660 = 6.60 %).
    pub rate_bp: Option<i32>,
    /// Overdue rate: 130 % of the loan rate.
    pub overdue_rate_bp: Option<i32>,
    pub due_on: Option<NaiveDate>,
    pub disbursed_total_vnd: i64,
    pub principal_repaid_vnd: i64,
    pub principal_outstanding_vnd: i64,
    pub interest_paid_vnd: i64,
    /// Interest accrued to today (actual/365, rounded half up to whole VND) less interest paid.
    pub interest_due_vnd: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postings: Option<Vec<Posting>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Vec<ScheduleLine>>,
    pub version: i32,
    /// The Social Policy Bank programme (`decision_22` for Decision 22/2023/QĐ-TTg).
    pub programme: LoanProgramme,
    /// The name of an `other` programme.
    pub programme_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleLine {
    pub due_on: NaiveDate,
    pub principal_vnd: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Posting {
    pub id: String,
    /// `disbursement` or `repayment`.
    pub kind: String,
    pub principal_vnd: i64,
    pub interest_vnd: i64,
    pub value_date: NaiveDate,
    pub bank_reference: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    #[validate(range(min = 1, max = 100_000_000_000_i64))]
    pub approved_amount_vnd: i64,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub approved_on: NaiveDate,
    /// The bank's correction of the declared outstanding debt, if any.
    pub outstanding_same_purpose: Option<bool>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub rejected_on: NaiveDate,
    #[validate(length(min = 1, max = 1000), custom(function = "no_control_chars"))]
    pub reason: String,
}

/// A disbursement tranche posted by the bank.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDisbursement {
    #[validate(range(min = 1, max = 100_000_000_000_i64))]
    pub amount_vnd: i64,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub value_date: NaiveDate,
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub bank_reference: String,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRepayment {
    #[validate(range(min = 0, max = 100_000_000_000_i64))]
    pub principal_vnd: i64,
    #[validate(range(min = 0, max = 100_000_000_000_i64))]
    pub interest_vnd: i64,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub paid_on: NaiveDate,
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub bank_reference: String,
}

/// A check that the money is used for its purpose.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUseCheck {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub checked_on: NaiveDate,
    pub result: UseCheckResult,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    pub findings: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LoanQuery {
    pub unit: Option<String>,
    pub status: Option<LoanStatus>,
    pub person_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PortfolioQuery {
    /// A province or commune inside your unit (default: your unit).
    pub unit: Option<String>,
    /// `YYYY-MM`: one month. Give either `month`, or `from` and `to`.
    pub month: Option<String>,
    /// First day of a period (`YYYY-MM-DD`), with `to`.
    pub from: Option<NaiveDate>,
    /// Last day of a period (`YYYY-MM-DD`), with `from`; both days included.
    pub to: Option<NaiveDate>,
    /// `json` (default) or `csv`.
    #[param(schema_with = crate::dto::query_words::json_csv)]
    pub format: Option<String>,
}

/// What the bank sends the provincial police each month, or for any period (`from`–`to`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Portfolio {
    pub unit: String,
    /// The month asked for; absent when a period was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// First and last day covered (the month's, or the period's), both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Distinct persons on certified (or later) lists of the months the period touches.
    pub listed_eligible: i64,
    /// Loans applied for in the period.
    pub applications: i64,
    /// Loans approved in the period.
    pub approved: i64,
    /// Loans with a disbursement in the period, and the amount disbursed in the period.
    pub disbursed_loans: i64,
    pub disbursed_vnd: i64,
    /// Principal outstanding at the period's end over all loans.
    pub outstanding_vnd: i64,
    /// Loans overdue (status now overdue) and their outstanding principal.
    pub overdue_loans: i64,
    pub overdue_vnd: i64,
    /// Principal repaid in the period.
    pub recovered_vnd: i64,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRate {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub effective_from: NaiveDate,
    /// Basis points per year.
    #[validate(range(min = 1, max = 5000))]
    pub annual_rate_bp: i32,
    #[validate(length(max = 500), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanRate {
    pub effective_from: NaiveDate,
    pub annual_rate_bp: i32,
    pub note: Option<String>,
}
