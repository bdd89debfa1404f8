//! The commune's monthly lists of persons eligible for a loan (tag `loan-lists`).

use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::{NotADraft, NotCertified};
use crate::auth::{Auth, Op};
use crate::db::loans::{self as db, ListRow};
use crate::db::DbConnection;
use crate::dto::loans::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::http::unit_param;
use crate::services::loan_lists::{self as service, ListStep};
use crate::services::loans::month_bounds;
use crate::state::AppState;
use crate::time::today_vn;

fn list_view(conn: &mut DbConnection, l: &ListRow) -> ApiResult<LoanList> {
    let entries = db::entries(conn, &l.id)?
        .into_iter()
        .map(|(e, name)| LoanListEntry {
            person_id: e.person_id,
            full_name: name,
            purpose: e.purpose,
            amount_wished_vnd: e.amount_wished_vnd,
            note: e.note,
        })
        .collect();
    Ok(LoanList {
        id: l.id.clone(),
        unit: l.unit_code.clone(),
        month: l.month.clone(),
        version_no: l.version_no,
        status: l.status,
        supersedes_id: l.supersedes_id.clone(),
        certified_decision_number: l.certified_decision_number.clone(),
        certified_on: l.certified_on,
        sent_on: l.sent_on,
        acknowledged_on: l.acknowledged_on,
        entries,
        version: l.version,
    })
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
            let list = service::create_list(conn, auth, &input)?;
            list_view(conn, &list)
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
    query: ApiQuery<LoanListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = unit_param(q.unit.as_deref())?;
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

async fn advance_list(
    state: web::Data<AppState>,
    auth: Auth,
    id: String,
    (op, step): (Op, ListStep),
    on: chrono::NaiveDate,
    decision: Option<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    if on > today_vn() {
        return Err(ApiError::invalid("on", "must not be in the future"));
    }
    let view = state
        .run(&auth, op, move |conn, auth| {
            let list = service::advance_list(conn, auth, &id, step, on, decision.as_deref())?;
            list_view(conn, &list)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The commune People's Committee certifies the list (decision, date); it is frozen from then on.
#[utoipa::path(
    tag = "loan-lists",
    request_body = CertifyList,
    params(("id" = String, Path)),
    responses((status = 200, body = LoanList), NotADraft)
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
        (Op::CertifyLoanList, service::CERTIFY),
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
    responses((status = 200, body = LoanList), NotCertified)
)]
#[post("/loan-eligibility-lists/{id}/send")]
pub async fn send_loan_list(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<DatedAction>,
) -> ApiResult<HttpResponse> {
    advance_list(state, auth, id.into_inner(), (Op::SendLoanList, service::SEND), body.0.on, None).await
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
    advance_list(state, auth, id.into_inner(), (Op::AcknowledgeLoanList, service::ACKNOWLEDGE), body.0.on, None).await
}
