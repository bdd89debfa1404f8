//! Loans under Decision 22/2023/QĐ-TTg: eligibility, monthly lists, applications, the
//! bank's operations (idempotent postings), use-of-funds checks and the monthly portfolio.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Months;

use crate::api::parse_id;
use crate::auth::{Auth, Jurisdiction, Op};
use crate::db::loans::{self as db, EntryRow, ListRow, LoanRow};
use crate::db::persons::{self, PersonScope};
use crate::db::{admin_units, audit, idempotency, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::interest;
use crate::domain::loan_lifecycle::LoanAction;
use crate::dto::loans::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::{ApiJson, ApiJsonOrDefault};
use crate::http::idempotency::{request_hash, IdempotencyKey, StoredResponse};
use crate::http::pagination::{Page, PageRequest};
use crate::services::loans::{self as service, month_bounds, parse_purpose, purpose_str};
use crate::state::AppState;
use crate::time::today_vn;

fn national() -> PersonScope {
    PersonScope::unit(Jurisdiction::National)
}

/// Whether a person may apply, the maximum amount, and every failed condition in plain words.
#[utoipa::path(
    tag = "loans",
    params(("id" = String, Path), EligibilityQuery),
    responses((status = 200, body = Eligibility), (status = 404, description = "No such person in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/persons/{id}/loan-eligibility")]
pub async fn get_loan_eligibility(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: web::Query<EligibilityQuery>,
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

fn list_view(conn: &mut DbConnection, l: &ListRow) -> ApiResult<LoanList> {
    let entries = db::entries(conn, &l.id)?
        .into_iter()
        .map(|(e, name)| LoanListEntry {
            person_id: e.person_id,
            full_name: name,
            purpose: parse_purpose(&e.purpose),
            amount_wished_vnd: e.amount_wished_vnd,
            note: e.note,
        })
        .collect();
    Ok(LoanList {
        id: l.id.clone(),
        unit: l.unit_code.clone(),
        month: l.month.clone(),
        version_no: l.version_no,
        status: LoanListStatus::parse(&l.status).unwrap_or(LoanListStatus::Draft),
        supersedes_id: l.supersedes_id.clone(),
        certified_decision_number: l.certified_decision_number.clone(),
        certified_on: l.certified_on,
        sent_on: l.sent_on,
        acknowledged_on: l.acknowledged_on,
        entries,
        version: l.version,
    })
}

fn audit_list(conn: &mut DbConnection, auth: &Auth, action: &str, l: &ListRow) -> ApiResult<()> {
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action,
            entity_type: "loan_list",
            entity_id: Some(&l.id),
            unit_code: Some(&l.unit_code),
            province_code: Some(&l.province_code),
            after: Some(serde_json::json!({"month": l.month, "version_no": l.version_no, "status": l.status})),
            ..Default::default()
        },
    )
}

/// Compile the month's list (commune police). A list for a month whose latest version is
/// certified or later becomes a new version (the certified one stays frozen); a draft is replaced.
#[utoipa::path(
    tag = "loan-lists",
    request_body = NewLoanList,
    responses(
        (status = 201, body = LoanList),
        (status = 422, description = "Invalid month, unit or person", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loan-eligibility-lists")]
pub async fn create_loan_list(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewLoanList>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    if month_bounds(&input.month).is_none() {
        return Err(ApiError::invalid("month", "must be YYYY-MM"));
    }
    let view = state
        .run(&auth, Op::CreateLoanList, move |conn, auth| {
            let unit = crate::services::persons::resolve_commune(conn, auth, &input.unit, "unit")?;
            write_tx(conn, |conn| {
                let latest = db::latest_list(conn, &unit.code, &input.month)?;
                if latest.as_ref().is_some_and(|l| l.status == "draft") {
                    return Err(ApiError::conflict(
                        "draft_exists",
                        "a draft list for this month exists: certify it first",
                    ));
                }
                let now = crate::time::now();
                let list = ListRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    unit_code: unit.code.clone(),
                    province_code: unit.province_code.clone().unwrap_or_default(),
                    month: input.month.clone(),
                    version_no: latest.as_ref().map(|l| l.version_no + 1).unwrap_or(1),
                    status: "draft".into(),
                    supersedes_id: latest.map(|l| l.id),
                    certified_decision_number: None,
                    certified_on: None,
                    sent_on: None,
                    acknowledged_on: None,
                    created_by: Some(auth.sub.clone()),
                    created_at: now,
                    updated_at: now,
                    version: 1,
                };
                let mut entries = Vec::with_capacity(input.entries.len());
                for (i, e) in input.entries.iter().enumerate() {
                    let pid = parse_id(&e.person_id)
                        .map_err(|_| ApiError::invalid(format!("entries[{i}].person_id"), "is not an id"))?;
                    let person = persons::find_in(conn, &PersonScope::of(auth), &pid).map_err(|_| {
                        ApiError::invalid(format!("entries[{i}].person_id"), "no such person in your unit")
                    })?;
                    if person.unit_code != unit.code {
                        return Err(ApiError::invalid(format!("entries[{i}].person_id"), "lives in another commune"));
                    }
                    if entries.iter().any(|x: &EntryRow| x.person_id == pid && x.purpose == purpose_str(e.purpose)) {
                        return Err(ApiError::invalid(
                            format!("entries[{i}]"),
                            "the person is already listed for this purpose",
                        ));
                    }
                    entries.push(EntryRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        list_id: list.id.clone(),
                        person_id: pid,
                        purpose: purpose_str(e.purpose).into(),
                        amount_wished_vnd: e.amount_wished_vnd,
                        note: e.note.clone(),
                    });
                }
                db::insert_list(conn, &list, &entries)?;
                audit_list(conn, auth, "loan_list.create", &list)?;
                list_view(conn, &list)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Lists in your unit, newest month first.
#[utoipa::path(tag = "loan-lists", params(LoanListQuery), responses((status = 200, body = Page<LoanList>)))]
#[get("/loan-eligibility-lists")]
pub async fn list_loan_lists(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<LoanListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = q
        .unit
        .as_deref()
        .map(|c| {
            Jurisdiction::parse(c).ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))
        })
        .transpose()?;
    let (items, total) = state
        .run(&auth, Op::ListLoanLists, move |conn, auth| {
            let (rows, total) = db::list_lists(
                conn,
                &auth.jurisdiction,
                unit.as_ref(),
                q.month.as_deref(),
                q.status.map(|s| s.as_str()),
                page.offset(),
                page.page_size,
            )?;
            let items = rows.iter().map(|l| list_view(conn, l)).collect::<ApiResult<Vec<_>>>()?;
            Ok((items, total))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// One list with its entries.
#[utoipa::path(
    tag = "loan-lists",
    params(("id" = String, Path)),
    responses((status = 200, body = LoanList), (status = 404, description = "No such list in your unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/loan-eligibility-lists/{id}")]
pub async fn get_loan_list(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let view = state
        .run(&auth, Op::GetLoanList, move |conn, auth| {
            let l = db::find_list(conn, &auth.jurisdiction, &id)?;
            list_view(conn, &l)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// One step of a list: the operation, the status it needs and the status it leads to.
struct ListStep {
    op: Op,
    from: &'static str,
    to: &'static str,
}

async fn advance_list(
    state: web::Data<AppState>,
    auth: Auth,
    id: String,
    step: ListStep,
    on: chrono::NaiveDate,
    decision: Option<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    if on > today_vn() {
        return Err(ApiError::invalid("on", "must not be in the future"));
    }
    let ListStep { op, from, to } = step;
    let view = state
        .run(&auth, op, move |conn, auth| {
            write_tx(conn, |conn| {
                let l = db::find_list(conn, &auth.jurisdiction, &id)?;
                if l.status != from {
                    return Err(ApiError::Conflict {
                        code: "list_state",
                        detail: format!("the list is `{}`; this step needs `{from}`", l.status),
                        allowed: None,
                    });
                }
                let column = if to == "certified" {
                    "certified"
                } else if to == "sent" {
                    "sent"
                } else {
                    "acknowledged"
                };
                db::update_list_status(conn, &l, to, (column, on), decision.as_deref())?;
                let after = db::find_list(conn, &auth.jurisdiction, &id)?;
                audit_list(conn, auth, &format!("loan_list.{to}"), &after)?;
                if to == "sent" {
                    crate::db::events::emit(
                        conn,
                        "loan_list.sent",
                        "loan_list",
                        &after.id,
                        &after.unit_code,
                        &after.province_code,
                    )?;
                }
                list_view(conn, &after)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The commune People's Committee certifies the list (decision, date); it is frozen from then on.
#[utoipa::path(
    tag = "loan-lists",
    request_body = CertifyList,
    params(("id" = String, Path)),
    responses((status = 200, body = LoanList), (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"))
)]
#[post("/loan-eligibility-lists/{id}/certify")]
pub async fn certify_loan_list(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<CertifyList>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    advance_list(
        state,
        auth,
        id.into_inner(),
        ListStep { op: Op::CertifyLoanList, from: "draft", to: "certified" },
        b.certified_on,
        Some(b.decision_number),
    )
    .await
}

/// The police send the certified list to the bank.
#[utoipa::path(
    tag = "loan-lists",
    request_body = DatedAction,
    params(("id" = String, Path)),
    responses((status = 200, body = LoanList), (status = 409, description = "Not certified", body = Problem, content_type = "application/problem+json"))
)]
#[post("/loan-eligibility-lists/{id}/send")]
pub async fn send_loan_list(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<DatedAction>,
) -> ApiResult<HttpResponse> {
    advance_list(
        state,
        auth,
        id.into_inner(),
        ListStep { op: Op::SendLoanList, from: "certified", to: "sent" },
        body.0.on,
        None,
    )
    .await
}

/// The bank acknowledges the list.
#[utoipa::path(
    tag = "loan-lists",
    request_body = DatedAction,
    params(("id" = String, Path)),
    responses((status = 200, body = LoanList), (status = 409, description = "Not sent", body = Problem, content_type = "application/problem+json"))
)]
#[post("/loan-eligibility-lists/{id}/acknowledge")]
pub async fn acknowledge_loan_list(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<DatedAction>,
) -> ApiResult<HttpResponse> {
    advance_list(
        state,
        auth,
        id.into_inner(),
        ListStep { op: Op::AcknowledgeLoanList, from: "sent", to: "acknowledged" },
        body.0.on,
        None,
    )
    .await
}

fn loan_view(conn: &mut DbConnection, l: &LoanRow, full: bool) -> ApiResult<Loan> {
    let postings = db::postings(conn, &l.id)?;
    let borrower_name = match &l.person_id {
        Some(pid) => persons::find_in(conn, &national(), pid).ok().map(|p| p.full_name),
        None => l.establishment_name.clone(),
    };
    let schedule = match (l.approved_amount_vnd, l.approved_on) {
        (Some(amount), Some(start)) if full => Some(
            interest::schedule(
                amount,
                start,
                l.term_months.max(1) as u32,
                if parse_purpose(&l.purpose) == crate::domain::loan_rules::Purpose::VocationalTraining { 1 } else { 6 }
                    .min(l.term_months.max(1) as u32),
            )
            .into_iter()
            .map(|i| ScheduleLine { due_on: i.due_on, principal_vnd: i.principal_vnd })
            .collect(),
        ),
        _ => None,
    };
    let steps = db::step_dates(conn, &l.id)?;
    let last_reached = |status: &str| steps.iter().rev().find(|(s, _)| s == status).map(|(_, d)| *d);
    Ok(Loan {
        submitted_on: last_reached("submitted"),
        certified_on: last_reached("certified"),
        id: l.id.clone(),
        unit: l.unit_code.clone(),
        borrower_kind: BorrowerKind::parse(&l.borrower_kind).unwrap_or(BorrowerKind::Person),
        person_id: l.person_id.clone(),
        borrower_name,
        household_rep_name: l.household_rep_name.clone(),
        establishment_name: l.establishment_name.clone(),
        establishment_registration: l.establishment_registration.clone(),
        workforce: l.workforce,
        qualifying_employees: l.qualifying_employees,
        collateral: l.collateral,
        purpose: parse_purpose(&l.purpose),
        course_name: l.course_name.clone(),
        course_months: l.course_months,
        amount_vnd: l.amount_vnd,
        term_months: l.term_months,
        entrusting_organisation: l.entrusting_organisation.as_deref().and_then(EntrustingOrganisation::parse),
        savings_group: l.savings_group.clone(),
        application_date: l.application_date,
        status: LoanStatus::parse(&l.status).unwrap_or(LoanStatus::Draft),
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
        interest_due_vnd: service::interest_due(l, &postings, today_vn()),
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
        programme: LoanProgramme::parse(&l.programme).unwrap_or(LoanProgramme::Decision_22),
        programme_name: l.programme_name.clone(),
    })
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
    let (programme, programme_name) = service::programme_columns(input.programme, input.programme_name.as_deref())?;
    let view = state
        .run(&auth, Op::CreateLoan, move |conn, auth| {
            let (unit_code, province_code, person_id) = match (input.borrower_kind, &input.person_id) {
                (BorrowerKind::Person, Some(pid)) => {
                    let pid = parse_id(pid).map_err(|_| ApiError::invalid("person_id", "is not an id"))?;
                    let p = persons::find_in(conn, &PersonScope::of(auth), &pid)
                        .map_err(|_| ApiError::invalid("person_id", "no such person in your unit"))?;
                    if input.household_rep_name.is_none() {
                        return Err(ApiError::invalid(
                            "household_rep_name",
                            "individuals borrow through their household: name the representative",
                        ));
                    }
                    (p.unit_code, p.province_code, Some(p.id))
                }
                (BorrowerKind::Person, None) => {
                    return Err(ApiError::invalid("person_id", "is required for an individual"))
                }
                (BorrowerKind::Establishment, _) => {
                    if input.establishment_name.is_none()
                        || input.workforce.is_none()
                        || input.qualifying_employees.is_none()
                    {
                        return Err(ApiError::invalid(
                            "establishment_name",
                            "an establishment needs its name, workforce and qualifying employees",
                        ));
                    }
                    let code = input
                        .unit
                        .as_deref()
                        .ok_or_else(|| ApiError::invalid("unit", "is required for an establishment"))?;
                    let u = crate::services::persons::resolve_commune(conn, auth, code, "unit")?;
                    (u.code, u.province_code.unwrap_or_default(), None)
                }
            };
            write_tx(conn, |conn| {
                let now = crate::time::now();
                let row = LoanRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    unit_code: unit_code.clone(),
                    province_code: province_code.clone(),
                    borrower_kind: input.borrower_kind.as_str().into(),
                    person_id: person_id.clone(),
                    household_rep_name: input.household_rep_name.clone(),
                    household_rep_id_number: input.household_rep_id_number.clone(),
                    establishment_name: input.establishment_name.clone(),
                    establishment_registration: input.establishment_registration.clone(),
                    workforce: input.workforce,
                    qualifying_employees: input.qualifying_employees,
                    plan_certified: input.plan_certified,
                    collateral: input.collateral,
                    collateral_description: input.collateral_description.clone(),
                    outstanding_same_purpose: input.outstanding_same_purpose,
                    purpose: purpose_str(input.purpose).into(),
                    course_name: input.course_name.clone(),
                    course_months: input.course_months,
                    amount_vnd: input.amount_vnd,
                    term_months: input.term_months,
                    entrusting_organisation: input.entrusting_organisation.map(|o| o.as_str().into()),
                    savings_group: input.savings_group.clone(),
                    application_date: input.application_date,
                    status: LoanStatus::Draft.as_str().into(),
                    status_reason: None,
                    approved_amount_vnd: None,
                    approved_on: None,
                    rate_bp: None,
                    due_on: None,
                    disbursed_total_vnd: 0,
                    principal_repaid_vnd: 0,
                    interest_paid_vnd: 0,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                    programme: programme.clone(),
                    programme_name: programme_name.clone(),
                };
                db::insert_loan(conn, &row)?;
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        action: "loan.create",
                        entity_type: "loan",
                        entity_id: Some(&row.id),
                        unit_code: Some(&row.unit_code),
                        province_code: Some(&row.province_code),
                        after: serde_json::to_value(&row).ok(),
                        ..Default::default()
                    },
                )?;
                loan_view(conn, &row, true)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Loans in your unit, newest application first.
#[utoipa::path(tag = "loans", params(LoanQuery), responses((status = 200, body = Page<Loan>)))]
#[get("/loans")]
pub async fn list_loans(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<LoanQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = db::LoanFilter {
        unit: q
            .unit
            .as_deref()
            .map(|c| {
                Jurisdiction::parse(c)
                    .ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))
            })
            .transpose()?,
        status: q.status.map(|s| s.as_str().into()),
        person_id: q
            .person_id
            .as_deref()
            .map(parse_id)
            .transpose()
            .map_err(|_| ApiError::invalid("person_id", "is not an id"))?,
    };
    let (items, total) = state
        .run(&auth, Op::ListLoans, move |conn, auth| {
            let (rows, total) = db::list_loans(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)?;
            let items = rows.iter().map(|l| loan_view(conn, l, false)).collect::<ApiResult<Vec<_>>>()?;
            Ok((items, total))
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
            loan_view(conn, &l, true)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Runs a lifecycle step on a locked loan inside one transaction.
async fn loan_step<F>(state: &AppState, auth: &Auth, op: Op, id: String, f: F) -> ApiResult<HttpResponse>
where
    F: FnOnce(&mut DbConnection, &Auth, LoanRow) -> ApiResult<LoanRow> + Send + 'static,
{
    let id = parse_id(&id)?;
    let view = state
        .run(auth, op, move |conn, auth| {
            write_tx(conn, |conn| {
                let before = db::find_loan_for_update(conn, &auth.jurisdiction, &id)?;
                let after = f(conn, auth, before)?;
                loan_view(conn, &after, true)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
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
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not eligible: every failed condition listed; or `on` in the future or before the previous step", body = Problem, content_type = "application/problem+json")
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
        service::ensure_allowed(&before, LoanAction::Submit)?;
        let today = today_vn();
        let on = input.on.unwrap_or(today);
        service::check_step_date(conn, &before, on, today, "on")?;
        let decision = service::check_loan(conn, &before)?;
        if !decision.eligible {
            return Err(service::failures_to_problem(&decision));
        }
        service::step(conn, auth, &before, before.clone(), LoanAction::Submit, on, None, false)
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
        (status = 409, description = "Not submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`on` in the future or before the submission", body = Problem, content_type = "application/problem+json")
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
    loan_step(&state, &auth, Op::CertifyLoan, id.into_inner(), move |conn, auth, before| {
        service::ensure_allowed(&before, LoanAction::Certify)?;
        let today = today_vn();
        let on = input.on.unwrap_or(today);
        service::check_step_date(conn, &before, on, today, "on")?;
        service::step(conn, auth, &before, before.clone(), LoanAction::Certify, on, None, false)
    })
    .await
}

/// The bank approves (rate in force on the approval date; due date from the term).
#[utoipa::path(
    tag = "loans",
    request_body = Approval,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Loan),
        (status = 409, description = "Not certified", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Amount above the request or the cap", body = Problem, content_type = "application/problem+json")
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
        service::ensure_allowed(&before, LoanAction::Approve)?;
        service::check_step_date(conn, &before, input.approved_on, today_vn(), "approved_on")?;
        if input.approved_amount_vnd > before.amount_vnd {
            return Err(ApiError::invalid("approved_amount_vnd", "exceeds the amount applied for"));
        }
        let mut after = before.clone();
        if let Some(debt) = input.outstanding_same_purpose {
            after.outstanding_same_purpose = debt;
            if debt {
                return Err(ApiError::unprocessable(
                    "outstanding_debt_same_purpose",
                    "the borrower has outstanding Social Policy Bank debt for the same purpose: reject instead",
                ));
            }
        }
        let rate = service::rate_on(conn, input.approved_on)?;
        after.approved_amount_vnd = Some(input.approved_amount_vnd);
        after.approved_on = Some(input.approved_on);
        after.rate_bp = Some(rate as i32);
        after.due_on = input.approved_on.checked_add_months(Months::new(before.term_months.max(0) as u32));
        service::step(conn, auth, &before, after, LoanAction::Approve, input.approved_on, None, false)
    })
    .await
}

/// The bank rejects, with its reason.
#[utoipa::path(tag = "loans", request_body = Rejection, params(("id" = String, Path)), responses((status = 200, body = Loan), (status = 409, description = "Not certified", body = Problem, content_type = "application/problem+json")))]
#[post("/loans/{id}/reject")]
pub async fn reject_loan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<Rejection>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    loan_step(&state, &auth, Op::RejectLoan, id.into_inner(), move |conn, auth, before| {
        service::ensure_allowed(&before, LoanAction::Reject)?;
        service::check_step_date(conn, &before, input.rejected_on, today_vn(), "rejected_on")?;
        service::step(
            conn,
            auth,
            &before,
            before.clone(),
            LoanAction::Reject,
            input.rejected_on,
            Some(&input.reason),
            false,
        )
    })
    .await
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
    let id = parse_id(&id)?;
    let input = body.0;
    let hash = request_hash(&format!("post_disbursement:{id}"), &input);
    let response = state
        .run(&auth, Op::PostDisbursement, move |conn, auth| {
            idempotency::once(conn, &auth.sub, idem.0.as_deref(), "post_disbursement", &hash, |conn| {
                let (loan, _) = service::disburse(
                    conn,
                    auth,
                    &id,
                    input.amount_vnd,
                    input.value_date,
                    &input.bank_reference,
                    today_vn(),
                )?;
                StoredResponse::fresh(StatusCode::CREATED, &loan_view(conn, &loan, true)?)
            })
        })
        .await?;
    Ok(response.into_response())
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
    let id = parse_id(&id)?;
    let input = body.0;
    let hash = request_hash(&format!("post_repayment:{id}"), &input);
    let response = state
        .run(&auth, Op::PostRepayment, move |conn, auth| {
            idempotency::once(conn, &auth.sub, idem.0.as_deref(), "post_repayment", &hash, |conn| {
                let (loan, _) = service::repay(
                    conn,
                    auth,
                    &id,
                    input.principal_vnd,
                    input.interest_vnd,
                    input.paid_on,
                    &input.bank_reference,
                    today_vn(),
                )?;
                StoredResponse::fresh(StatusCode::CREATED, &loan_view(conn, &loan, true)?)
            })
        })
        .await?;
    Ok(response.into_response())
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
    loan_step(&state, &auth, Op::MarkLoanOverdue, id.into_inner(), move |conn, auth, before| {
        service::ensure_allowed(&before, LoanAction::MarkOverdue)?;
        service::check_step_date(conn, &before, input.on, today_vn(), "on")?;
        service::step(
            conn,
            auth,
            &before,
            before.clone(),
            LoanAction::MarkOverdue,
            input.on,
            input.reason.as_deref(),
            false,
        )
    })
    .await
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
    loan_step(&state, &auth, Op::WriteOffLoan, id.into_inner(), move |conn, auth, before| {
        service::ensure_allowed(&before, LoanAction::WriteOff)?;
        service::check_step_date(conn, &before, input.on, today_vn(), "on")?;
        service::step(
            conn,
            auth,
            &before,
            before.clone(),
            LoanAction::WriteOff,
            input.on,
            input.reason.as_deref(),
            false,
        )
    })
    .await
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
        if before.disbursed_total_vnd == 0 {
            return Err(ApiError::conflict("nothing_disbursed", "nothing has been disbursed yet"));
        }
        db::record_check(
            conn,
            &before.id,
            input.checked_on,
            input.result.as_str(),
            input.findings.as_deref(),
            &auth.sub,
        )?;
        match input.result {
            UseCheckResult::Misused => service::step(
                conn,
                auth,
                &before,
                before.clone(),
                LoanAction::FindMisuse,
                input.checked_on,
                input.findings.as_deref().or(Some("misuse found")),
                false,
            ),
            UseCheckResult::Proper => {
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        action: "loan.use_check",
                        entity_type: "loan",
                        entity_id: Some(&before.id),
                        unit_code: Some(&before.unit_code),
                        province_code: Some(&before.province_code),
                        after: Some(serde_json::json!({"result": "proper", "checked_on": input.checked_on})),
                        ..Default::default()
                    },
                )?;
                Ok(before)
            }
        }
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
    query: web::Query<PortfolioQuery>,
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
            let (scope, code) = match unit.as_deref() {
                None => (auth.jurisdiction.clone(), auth.unit.clone()),
                Some(c) => {
                    let j = Jurisdiction::parse(c)
                        .ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))?;
                    let u = admin_units::resolve(conn, c, "unit")?;
                    crate::api::auth::ensure_covers(auth, &u.code, u.province_code.as_deref(), "unit")?;
                    (j, u.code)
                }
            };
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

/// The dated lending-rate table (poor-household rate).
#[utoipa::path(tag = "loans", responses((status = 200, body = Vec<LoanRate>)))]
#[get("/loan-rates")]
pub async fn list_loan_rates(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let rows = state.run(&auth, Op::ListLoanRates, |conn, _| db::rates(conn)).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|r| LoanRate { effective_from: r.effective_from, annual_rate_bp: r.annual_rate_bp, note: r.note })
            .collect::<Vec<_>>(),
    ))
}

/// Add a rate taking effect on a date (national bank or admin).
#[utoipa::path(tag = "loans", request_body = NewRate, responses((status = 201, body = LoanRate), (status = 409, description = "A rate already starts that day", body = Problem, content_type = "application/problem+json")))]
#[post("/loan-rates")]
pub async fn create_loan_rate(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewRate>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    if auth.jurisdiction != Jurisdiction::National {
        return Err(ApiError::Forbidden("rates are set nationally".into()));
    }
    let rate = state
        .run(&auth, Op::CreateLoanRate, move |conn, auth| {
            write_tx(conn, |conn| {
                let row = db::RateRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    effective_from: input.effective_from,
                    annual_rate_bp: input.annual_rate_bp,
                    note: input.note.clone(),
                    created_at: crate::time::now(),
                };
                db::insert_rate(conn, &row)?;
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        action: "loan_rate.create",
                        entity_type: "loan_rate",
                        entity_id: Some(&row.id),
                        after: Some(serde_json::json!({"effective_from": row.effective_from, "annual_rate_bp": row.annual_rate_bp})),
                        ..Default::default()
                    },
                )?;
                Ok(LoanRate { effective_from: row.effective_from, annual_rate_bp: row.annual_rate_bp, note: row.note })
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(rate))
}
