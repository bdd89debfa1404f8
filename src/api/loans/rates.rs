//! The dated lending-rate table (tag `loans`).

use actix_web::{get, post, web, HttpResponse};

use crate::auth::{Auth, Jurisdiction, Op};
use crate::db::loans as db;
use crate::dto::loans::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::services::loans as service;
use crate::state::AppState;

/// The dated lending-rate table (poor-household rate).
#[utoipa::path(tag = "loans", responses((status = 200, body = Vec<LoanRate>)))]
#[get("/loan-rates")]
pub async fn list_loan_rates(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
) -> ApiResult<HttpResponse> {
    let rows = state.run(&auth, Op::ListLoanRates, |conn, _| db::rates(conn)).await?;
    Ok(crate::http::etag::cacheable_json(
        &req,
        &rows
            .into_iter()
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
    let row = state.run(&auth, Op::CreateLoanRate, move |conn, auth| service::create_rate(conn, auth, &input)).await?;
    let rate = LoanRate { effective_from: row.effective_from, annual_rate_bp: row.annual_rate_bp, note: row.note };
    Ok(HttpResponse::Created().json(rate))
}
