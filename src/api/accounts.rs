//! Staff accounts: admins manage those inside their unit; everyone changes their own password.

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::{AccountNotFound, IfMatchMissing};
use crate::auth::{password, Auth, Op};
use crate::db::accounts;
use crate::dto::accounts::{Account, AccountQuery, ChangePassword, CreateAccount, UpdateAccount};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::{json_with_etag, IfMatch};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::idempotency::{request_hash, IdempotencyKey};
use crate::http::pagination::{Page, PageRequest};
use crate::services::accounts as service;
use crate::state::AppState;

/// Accounts inside the caller's unit, by username.
#[utoipa::path(tag = "accounts", params(AccountQuery), responses((status = 200, body = Page<Account>)))]
#[get("/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<AccountQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = accounts::ListFilter {
        q: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        role: q.role.map(|r| r.as_str().to_string()),
        disabled: q.disabled,
    };
    let (rows, total) = state
        .run(&auth, Op::ListAccounts, move |conn, auth| {
            accounts::list(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(|r| r.view()).collect(), total)))
}

/// Create a staff account inside the caller's unit. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "accounts",
    request_body = CreateAccount,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for the same key and body")),
    responses(
        (status = 201, body = Account),
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/accounts")]
pub async fn create_account(
    state: web::Data<AppState>,
    auth: Auth,
    idem: IdempotencyKey,
    body: ApiJson<CreateAccount>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    if let Err(reason) = password::check_strength(&body.password) {
        return Err(ApiError::invalid("password", reason));
    }
    crate::auth::roles::check_facility_name(&body.roles, body.facility_name.as_deref())
        .map_err(|reason| ApiError::invalid("facility_name", reason))?;
    // The hash covers everything but the password, which must not be kept in any form but Argon2.
    let hash = request_hash("create_account", &service::create_key(&body));
    let response = state
        .run(&auth, Op::CreateAccount, move |conn, auth| service::create(conn, auth, &body, idem.0.as_deref(), &hash))
        .await?;
    Ok(response.into_response())
}

/// One account inside the caller's unit.
#[utoipa::path(
    tag = "accounts",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Account, headers(("ETag" = String, description = "Send back in If-Match to update"))),
        AccountNotFound
    )
)]
#[get("/accounts/{id}")]
pub async fn get_account(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row =
        state.run(&auth, Op::GetAccount, move |conn, auth| accounts::find_in(conn, &auth.jurisdiction, &id)).await?;
    Ok(json_with_etag(row.version, &row.view()))
}

/// Change an account's name, roles, unit or agency (requires `If-Match`). Changing roles or
/// unit revokes the account's live tokens.
#[utoipa::path(
    tag = "accounts",
    request_body = UpdateAccount,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = 200, body = Account),
        (status = 412, description = "The account changed since it was read", body = Problem, content_type = "application/problem+json"),
        AccountNotFound, IfMatchMissing
    )
)]
#[patch("/accounts/{id}")]
pub async fn update_account(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ApiJson<UpdateAccount>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let row = state
        .run(&auth, Op::UpdateAccount, move |conn, auth| service::update(conn, auth, &id, &if_match, &input))
        .await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(json_with_etag(row.version, &row.view()))
}

async fn set_disabled(state: web::Data<AppState>, auth: Auth, id: String, disabled: bool) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let op = if disabled { Op::DisableAccount } else { Op::EnableAccount };
    let row = state.run(&auth, op, move |conn, auth| service::set_disabled(conn, auth, &id, disabled)).await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(json_with_etag(row.version, &row.view()))
}

/// Disable an account: its live tokens stop working at once.
#[utoipa::path(
    tag = "accounts",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Account),
        (status = 409, description = "Cannot disable yourself", body = Problem, content_type = "application/problem+json"),
        AccountNotFound
    )
)]
#[post("/accounts/{id}/disable")]
pub async fn disable_account(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    set_disabled(state, auth, id.into_inner(), true).await
}

/// Enable an account again (also lifts a login lock).
#[utoipa::path(
    tag = "accounts",
    params(("id" = String, Path)),
    responses((status = 200, body = Account), AccountNotFound)
)]
#[post("/accounts/{id}/enable")]
pub async fn enable_account(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    set_disabled(state, auth, id.into_inner(), false).await
}

/// Change a password: your own (with `current_password`), or, as admin, any account in your
/// unit. All the account's tokens are revoked.
#[utoipa::path(
    tag = "accounts",
    request_body = ChangePassword,
    params(("id" = String, Path)),
    responses((status = 204, description = "Changed; log in again"), AccountNotFound)
)]
#[post("/accounts/{id}/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<ChangePassword>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let body = body.0;
    if let Err(reason) = password::check_strength(&body.new_password) {
        return Err(ApiError::invalid("new_password", reason));
    }
    let keys = state.keys.clone();
    state
        .run(&auth, Op::ChangePassword, move |conn, auth| service::change_password(conn, auth, &keys, &id, &body))
        .await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(HttpResponse::NoContent().insert_header((header::CACHE_CONTROL, "no-store")).finish())
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_accounts)
        .service(create_account)
        .service(get_account)
        .service(update_account)
        .service(disable_account)
        .service(enable_account)
        .service(change_password);
}
