//! Integration clients: agency systems that use `client_credentials`.

use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::ClientNotFound;
use crate::auth::{Auth, Op};
use crate::db::clients::{self, ClientRow};
use crate::dto::clients::{Client, ClientQuery, ClientWithSecret, CreateClient};
use crate::error::{ApiError, ApiResult};
use crate::http::etag::json_with_etag;
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::services::clients as service;
use crate::state::AppState;

/// Integration clients inside the caller's unit.
#[utoipa::path(tag = "clients", params(ClientQuery), responses((status = 200, body = Page<Client>)))]
#[get("/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<ClientQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let (rows, total) = state
        .run(&auth, Op::ListClients, move |conn, auth| {
            clients::list(conn, &auth.jurisdiction, q.disabled, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(|r| r.view()).collect(), total)))
}

/// Register an integration client. The secret is shown once, in this response.
#[utoipa::path(tag = "clients", request_body = CreateClient, responses((status = 201, body = ClientWithSecret)))]
#[post("/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<CreateClient>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    crate::auth::roles::check_facility_name(&input.roles, input.facility_name.as_deref())
        .map_err(|reason| ApiError::invalid("facility_name", reason))?;
    let (row, secret) =
        state.run(&auth, Op::CreateClient, move |conn, auth| service::create(conn, auth, &input)).await?;
    Ok(HttpResponse::Created().json(ClientWithSecret { client: row.view(), client_secret: secret }))
}

/// One integration client inside the caller's unit.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses((status = 200, body = Client), ClientNotFound)
)]
#[get("/clients/{id}")]
pub async fn get_client(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row =
        state.run(&auth, Op::GetClient, move |conn, auth| clients::find_in(conn, &auth.jurisdiction, &id)).await?;
    Ok(json_with_etag(row.version, &row.view()))
}

/// Issue a new secret; the old one and every token issued with it stop working.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses((status = 200, body = ClientWithSecret), ClientNotFound)
)]
#[post("/clients/{id}/rotate-secret")]
pub async fn rotate_client_secret(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (row, secret) =
        state.run(&auth, Op::RotateClientSecret, move |conn, auth| service::rotate_secret(conn, auth, &id)).await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(HttpResponse::Ok().json(ClientWithSecret { client: row.view(), client_secret: secret }))
}

async fn set_disabled(state: &AppState, auth: &Auth, op: Op, id: String, disabled: bool) -> ApiResult<ClientRow> {
    let row = state.run(auth, op, move |conn, auth| service::set_disabled(conn, auth, &id, disabled)).await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(row)
}

/// Disable a client: its live tokens stop working at once.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses((status = 200, body = Client), ClientNotFound)
)]
#[post("/clients/{id}/disable")]
pub async fn disable_client(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row = set_disabled(&state, &auth, Op::DisableClient, id, true).await?;
    Ok(json_with_etag(row.version, &row.view()))
}

/// Enable a client again.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses((status = 200, body = Client), ClientNotFound)
)]
#[post("/clients/{id}/enable")]
pub async fn enable_client(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row = set_disabled(&state, &auth, Op::EnableClient, id, false).await?;
    Ok(json_with_etag(row.version, &row.view()))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_clients)
        .service(create_client)
        .service(get_client)
        .service(rotate_client_secret)
        .service(disable_client)
        .service(enable_client);
}
