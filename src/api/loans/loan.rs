//! Loans (tag `loans`): eligibility, applications, the bank's operations (idempotent
//! postings), use-of-funds checks and the monthly portfolio.

use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::{NotADraft, NotCertified, NotSubmitted, PersonNotFound};
use crate::auth::{Auth, Op};
use crate::db::loans::{self as db, LoanDetails, LoanRow};
use crate::db::DbConnection;
use crate::domain::interest;
use crate::domain::loan_lifecycle::LoanAction;
use crate::dto::loans::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiQuery;
use crate::http::extract::{ApiJson, ApiJsonOrDefault};
use crate::http::idempotency::{request_hash, IdempotencyKey};
use crate::http::pagination::{Page, PageRequest};
use crate::http::{id_param, unit_param};
use crate::services::loans::{self as service, month_bounds};
use crate::state::AppState;
use crate::time::today_vn;

/// Whether a person may apply, the maximum amount, and every failed condition in plain words.
#[utoipa::path(
    tag = "loans",
    params(("id" = String, Path), EligibilityQuery),
    responses((status = 200, body = Eligibility), PersonNotFound)
)]
#[get("/persons/{id}/loan-eligibility")]
pub async fn get_loan_eligibility(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: ApiQuery<EligibilityQuery>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let q = query.into_inner();
    let as_of = q.as_of.unwrap_or_else(today_vn);
    let decision = state
        .run(&auth, Op::GetLoanEligibility, move |conn, auth| {
            service::eligibility(conn, auth, &id, q.purpose, as_of, q.course_months)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Eligibility {
        eligible: decision.eligible,
        purpose: q.purpose,
        as_of,
        max_amount_vnd: decision.max_amount_vnd,
        max_term_months: decision.max_term_months,
        counted_from: decision.counted_from,
        deadline: decision.deadline,
        failures: decision
            .failures
            .into_iter()
            .map(|f| FailedCondition { code: f.code.into(), message: f.message })
            .collect(),
    }))
}

/// The views of a page of loans: their postings, steps and borrowers read in one query each.
fn loan_views(conn: &mut DbConnection, rows: &[LoanRow], full: bool) -> ApiResult<Vec<Loan>> {
    let details = db::details(conn, rows)?;
    Ok(rows.iter().map(|l| loan_view(l, &details, full)).collect())
}

fn one_loan_view(conn: &mut DbConnection, l: &LoanRow) -> ApiResult<Loan> {
    let details = db::details(conn, std::slice::from_ref(l))?;
    Ok(loan_view(l, &details, true))
}

fn loan_view(l: &LoanRow, details: &LoanDetails, full: bool) -> Loan {
    let postings = details.postings_of(&l.id);
    let borrower_name = match &l.person_id {
        Some(pid) => details.names.get(pid).cloned(),
        None => l.establishment_name.clone(),
    };
    let schedule = match (l.approved_amount_vnd, l.approved_on) {
        (Some(amount), Some(start)) if full => Some(
            interest::schedule(
                amount,
                start,
                l.term_months.max(1) as u32,
                if l.purpose == crate::domain::loan_rules::Purpose::VocationalTraining { 1 } else { 6 }
                    .min(l.term_months.max(1) as u32),
            )
            .into_iter()
            .map(|i| ScheduleLine { due_on: i.due_on, principal_vnd: i.principal_vnd })
            .collect(),
        ),
        _ => None,
    };
    let steps = details.steps_of(&l.id);
    let last_reached = |status: &str| steps.iter().rev().find(|(s, _)| s == status).map(|(_, d)| *d);
    Loan {
        submitted_on: last_reached("submitted"),
        certified_on: last_reached("certified"),
        id: l.id.clone(),
        unit: l.unit_code.clone(),
        borrower_kind: l.borrower_kind,
        person_id: l.person_id.clone(),
        borrower_name,
        household_rep_name: l.household_rep_name.clone(),
        establishment_name: l.establishment_name.clone(),
        establishment_registration: l.establishment_registration.clone(),
        workforce: l.workforce,
        qualifying_employees: l.qualifying_employees,
        collateral: l.collateral,
        purpose: l.purpose,
        course_name: l.course_name.clone(),
        course_months: l.course_months,
        amount_vnd: l.amount_vnd,
        term_months: l.term_months,
        entrusting_organisation: l.entrusting_organisation,
        savings_group: l.savings_group.clone(),
        application_date: l.application_date,
        status: l.status,
        status_reason: l.status_reason.clone(),
        approved_amount_vnd: l.approved_amount_vnd,
        approved_on: l.approved_on,
        rate_bp: l.rate_bp,
        overdue_rate_bp: l.rate_bp.map(|r| interest::overdue_rate_bp(r.max(0) as u32) as i32),
        due_on: l.due_on,
        disbursed_total_vnd: l.disbursed_total_vnd,
        principal_repaid_vnd: l.principal_repaid_vnd,
        principal_outstanding_vnd: l.disbursed_total_vnd - l.principal_repaid_vnd,
        interest_paid_vnd: l.interest_paid_vnd,
        interest_due_vnd: service::interest_due(l, postings, today_vn()),
        postings: full.then(|| {
            postings
                .iter()
                .map(|p| Posting {
                    id: p.id.clone(),
                    kind: p.kind.clone(),
                    principal_vnd: p.principal_vnd,
                    interest_vnd: p.interest_vnd,
                    value_date: p.value_date,
                    bank_reference: p.bank_reference.clone(),
                    created_at: p.created_at.and_utc(),
                })
                .collect()
        }),
        schedule,
        version: l.version,
        programme: l.programme,
        programme_name: l.programme_name.clone(),
    }
}

/// Apply for a loan (draft). Individuals borrow through their household representative;
/// establishments directly.
#[utoipa::path(tag = "loans", request_body = NewLoan, responses((status = 201, body = Loan)))]
#[post("/loans")]
pub async fn create_loan(state: web::Data<AppState>, auth: Auth, body: ApiJson<NewLoan>) -> ApiResult<HttpResponse> {
    let input = body.0;
    if input.application_date > today_vn() {
        return Err(ApiError::invalid("application_date", "must not be in the future"));
    }
    if input.purpose == crate::domain::loan_rules::Purpose::VocationalTraining && input.course_months.is_none() {
        return Err(ApiError::invalid("course_months", "is required for vocational training"));
    }
    let view = state
        .run(&auth, Op::CreateLoan, move |conn, auth| {
            let row = service::create_loan(conn, auth, &input)?;
            one_loan_view(conn, &row)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Loans in your unit, newest application first.
#[utoipa::path(tag = "loans", params(LoanQuery), responses((status = 200, body = Page<Loan>)))]
#[get("/loans")]
pub async fn list_loans(state: web::Data<AppState>, auth: Auth, query: ApiQuery<LoanQuery>) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = db::LoanFilter {
        unit: unit_param(q.unit.as_deref())?,
        status: q.status.map(|s| s.as_str().into()),
        person_id: id_param("person_id", q.person_id.as_deref(), "an id")?,
    };
    let (items, total) = state
        .run(&auth, Op::ListLoans, move |conn, auth| {
            let (rows, total) = db::list_loans(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)?;
            Ok((loan_views(conn, &rows, false)?, total))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// One loan with its postings, schedule, rate and interest due today.
#[utoipa::path(
    tag = "loans",
    params(("id" = String, Path)),
    responses((status = 200, body = Loan), (status = 404, description = "No such loan in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/loans/{id}")]
pub async fn get_loan(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let view = state
        .run(&auth, Op::GetLoan, move |conn, auth| {
            let l = db::find_loan(conn, &auth.jurisdiction, &id)?;
            one_loan_view(conn, &l)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Runs a lifecycle step on the locked loan (one write, see `services::loans::on_locked_loan`).
async fn loan_step<F>(state: &AppState, auth: &Auth, op: Op, id: String, f: F) -> ApiResult<HttpResponse>
where
    F: FnOnce(&mut DbConnection, &Auth, LoanRow) -> ApiResult<LoanRow> + Send + 'static,
{
    let id = parse_id(&id)?;
    let view = state
        .run(auth, op, move |conn, auth| {
            let loan = service::on_locked_loan(conn, auth, &id, f)?;
            one_loan_view(conn, &loan)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A step that only moves the status, dated `on` (reported as `field`), with an optional reason.
async fn dated_step(
    state: &AppState,
    auth: &Auth,
    op: Op,
    id: String,
    action: LoanAction,
    (on, field): (chrono::NaiveDate, &'static str),
    reason: Option<String>,
) -> ApiResult<HttpResponse> {
    loan_step(state, auth, op, id, move |conn, auth, before| {
        service::dated_step(conn, auth, before, action, (on, field), reason.as_deref())
    })
    .await
}

/// Submit: amounts above the cap or an ineligible borrower are refused with the engine's
/// reasons (422, one `invalid_params` entry per failed condition).
/// The optional body `{"on": "YYYY-MM-DD"}` dates the submission (paper records); without
/// it, or with an empty body, the submission is dated today.
#[utoipa::path(
    tag = "loans",
    request_body(content = Option<StepDate>, description = "Optional: the day of the submission (today when absent)"),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Loan),
        (status = 422, description = "Not eligible: every failed condition listed; or `on` in the future or before the previous step", body = Problem, content_type = "application/problem+json"),
        NotADraft
    )
)]
#[post("/loans/{id}/submit")]
pub async fn submit_loan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJsonOrDefault<StepDate>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    loan_step(&state, &auth, Op::SubmitLoan, id.into_inner(), move |conn, auth, before| {
        service::submit(conn, auth, before, input.on)
    })
    .await
}

/// The commune People's Committee certifies the application; the optional body
/// `{"on": "YYYY-MM-DD"}` dates it (today when absent).
#[utoipa::path(
    tag = "loans",
    request_body(content = Option<StepDate>, description = "Optional: the day of the certification (today when absent)"),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Loan),
        (status = 422, description = "`on` in the future or before the submission", body = Problem, content_type = "application/problem+json"),
        NotSubmitted
    )
)]
#[post("/loans/{id}/certify")]
pub async fn certify_loan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJsonOrDefault<StepDate>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let on = input.on.unwrap_or_else(today_vn);
    dated_step(&state, &auth, Op::CertifyLoan, id.into_inner(), LoanAction::Certify, (on, "on"), None).await
}

/// The bank approves (rate in force on the approval date; due date from the term).
#[utoipa::path(
    tag = "loans",
    request_body = Approval,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Loan),
        (status = 422, description = "Amount above the request or the cap", body = Problem, content_type = "application/problem+json"),
        NotCertified
    )
)]
#[post("/loans/{id}/approve")]
pub async fn approve_loan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<Approval>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    loan_step(&state, &auth, Op::ApproveLoan, id.into_inner(), move |conn, auth, before| {
        service::approve(conn, auth, before, &input)
    })
    .await
}

/// The bank rejects, with its reason.
#[utoipa::path(
    tag = "loans",
    request_body = Rejection,
    params(("id" = String, Path)),
    responses((status = 200, body = Loan), NotCertified)
)]
#[post("/loans/{id}/reject")]
pub async fn reject_loan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<Rejection>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let step = (input.rejected_on, "rejected_on");
    dated_step(&state, &auth, Op::RejectLoan, id.into_inner(), LoanAction::Reject, step, Some(input.reason)).await
}

/// A posting's operation: its permission and its name for `Idempotency-Key` replays.
struct PostingOp {
    op: Op,
    operation: &'static str,
}

/// Posts to the loan under `Idempotency-Key`: a retried post replays the first answer.
async fn post_to_loan<B, F>(
    state: &AppState,
    auth: &Auth,
    PostingOp { op, operation }: PostingOp,
    id: String,
    idem: IdempotencyKey,
    input: B,
    post: F,
) -> ApiResult<HttpResponse>
where
    B: serde::Serialize + Send + 'static,
    F: FnOnce(&mut DbConnection, &Auth, &str, B) -> ApiResult<(LoanRow, db::PostingRow)> + Send + 'static,
{
    let id = parse_id(&id)?;
    let hash = request_hash(&format!("{operation}:{id}"), &input);
    let response = state
        .run(auth, op, move |conn, auth| {
            let key = (idem.0.as_deref(), operation, hash.as_str());
            service::post_once(conn, auth, key, |conn| post(conn, auth, &id, input), one_loan_view)
        })
        .await?;
    Ok(response.into_response())
}

/// Post a disbursement (bank). Takes `Idempotency-Key`: a retried post replays the first
/// answer. A bank reference is unique; tranches may never exceed the approved amount, even
/// when posted at the same moment (the loan row is locked).
#[utoipa::path(
    tag = "loans",
    request_body = NewDisbursement,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = Loan),
        (status = 409, description = "Not approved, or bank reference already posted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Would exceed the approved amount, or the key was used for another request", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loans/{id}/disbursements")]
pub async fn post_disbursement(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    idem: IdempotencyKey,
    body: ApiJson<NewDisbursement>,
) -> ApiResult<HttpResponse> {
    let post = PostingOp { op: Op::PostDisbursement, operation: "post_disbursement" };
    post_to_loan(&state, &auth, post, id.into_inner(), idem, body.0, |conn, auth, id, input: NewDisbursement| {
        service::disburse(conn, auth, id, input.amount_vnd, input.value_date, &input.bank_reference, today_vn())
    })
    .await
}

/// Post a repayment of principal and/or interest (bank, `Idempotency-Key`). Repaying the
/// whole principal settles the loan.
#[utoipa::path(
    tag = "loans",
    request_body = NewRepayment,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = Loan),
        (status = 409, description = "Nothing disbursed, or bank reference already posted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than the principal outstanding", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loans/{id}/repayments")]
pub async fn post_repayment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    idem: IdempotencyKey,
    body: ApiJson<NewRepayment>,
) -> ApiResult<HttpResponse> {
    let post = PostingOp { op: Op::PostRepayment, operation: "post_repayment" };
    post_to_loan(&state, &auth, post, id.into_inner(), idem, body.0, |conn, auth, id, input: NewRepayment| {
        let (principal, interest) = (input.principal_vnd, input.interest_vnd);
        service::repay(conn, auth, id, principal, interest, input.paid_on, &input.bank_reference, today_vn())
    })
    .await
}

/// The bank marks the loan overdue (overdue interest at 130 % of the rate from the due date).
#[utoipa::path(tag = "loans", request_body = DatedAction, params(("id" = String, Path)), responses((status = 200, body = Loan), (status = 409, description = "Not repaying", body = Problem, content_type = "application/problem+json")))]
#[post("/loans/{id}/mark-overdue")]
pub async fn mark_loan_overdue(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<DatedAction>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let step = (input.on, "on");
    dated_step(&state, &auth, Op::MarkLoanOverdue, id.into_inner(), LoanAction::MarkOverdue, step, input.reason).await
}

/// The bank writes off an overdue or recovering loan.
#[utoipa::path(tag = "loans", request_body = DatedAction, params(("id" = String, Path)), responses((status = 200, body = Loan), (status = 409, description = "Not overdue or in recovery", body = Problem, content_type = "application/problem+json")))]
#[post("/loans/{id}/write-off")]
pub async fn write_off_loan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<DatedAction>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let step = (input.on, "on");
    dated_step(&state, &auth, Op::WriteOffLoan, id.into_inner(), LoanAction::WriteOff, step, input.reason).await
}

/// Police or commune record a use-of-funds check; misuse moves the loan to `recovery`.
#[utoipa::path(
    tag = "loans",
    request_body = NewUseCheck,
    params(("id" = String, Path)),
    responses((status = 200, body = Loan), (status = 409, description = "Nothing disbursed to check", body = Problem, content_type = "application/problem+json"))
)]
#[post("/loans/{id}/use-checks")]
pub async fn record_use_check(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewUseCheck>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    if input.checked_on > today_vn() {
        return Err(ApiError::invalid("checked_on", "must not be in the future"));
    }
    loan_step(&state, &auth, Op::RecordUseCheck, id.into_inner(), move |conn, auth, before| {
        service::record_use_check(conn, auth, before, &input)
    })
    .await
}

/// The monthly figures the bank sends the provincial police — as JSON or, with
/// `format=csv`, as CSV.
#[utoipa::path(
    tag = "loans",
    params(PortfolioQuery),
    responses((status = 200, description = "The month's figures", content((Portfolio = "application/json"), (String = "text/csv"))))
)]
#[get("/loans/portfolio")]
pub async fn get_loan_portfolio(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<PortfolioQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let (first, last) = match (&q.month, q.from, q.to) {
        (Some(m), None, None) => month_bounds(m).ok_or_else(|| ApiError::invalid("month", "must be YYYY-MM"))?,
        (None, Some(from), Some(to)) if from <= to => (from, to),
        (None, Some(_), Some(_)) => return Err(ApiError::invalid("to", "must not be before `from`")),
        (Some(_), _, _) => return Err(ApiError::invalid("month", "give either `month` or `from` and `to`, not both")),
        (None, None, _) => return Err(ApiError::invalid("from", "is required (or give `month`)")),
        (None, Some(_), None) => return Err(ApiError::invalid("to", "is required with `from`")),
    };
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::invalid("format", "json or csv")),
    };
    let month = q.month.clone();
    let unit = q.unit.clone();
    let p = state
        .run(&auth, Op::GetLoanPortfolio, move |conn, auth| {
            let (scope, code) = crate::services::scope_for(conn, auth, unit.as_deref())?;
            let f = db::portfolio(conn, &scope, first, last)?;
            Ok(Portfolio {
                unit: code,
                month: month.clone(),
                from: first,
                to: last,
                listed_eligible: f.listed_eligible,
                applications: f.applications,
                approved: f.approved,
                disbursed_loans: f.disbursed_loans,
                disbursed_vnd: f.disbursed_vnd,
                outstanding_vnd: f.outstanding_vnd,
                overdue_loans: f.overdue_loans,
                overdue_vnd: f.overdue_vnd,
                recovered_vnd: f.recovered_vnd,
            })
        })
        .await?;
    if csv {
        let body = format!(
            "unit,month,listed_eligible,applications,approved,disbursed_loans,disbursed_vnd,outstanding_vnd,overdue_loans,overdue_vnd,recovered_vnd,from,to\n{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            p.unit, p.month.as_deref().unwrap_or(""), p.listed_eligible, p.applications, p.approved, p.disbursed_loans, p.disbursed_vnd, p.outstanding_vnd, p.overdue_loans, p.overdue_vnd, p.recovered_vnd, p.from, p.to
        );
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "content-disposition",
                format!(
                    "attachment; filename=\"portfolio-{}-{}.csv\"",
                    p.unit,
                    p.month.clone().unwrap_or_else(|| format!("{}-{}", p.from, p.to))
                ),
            ))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(p))
}
