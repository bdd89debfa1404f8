//! Integration clients: agency systems that use `client_credentials`.

use actix_web::{get, post, web, HttpResponse};
use sha2::{Digest, Sha256};

use crate::api::auth::ensure_covers;
use crate::api::parse_id;
use crate::auth::roles::roles_to_db;
use crate::auth::{password, Auth, Op};
use crate::db::clients::{self, ClientChanges, ClientRow};
use crate::db::{admin_units, audit, write_tx};
use crate::dto::clients::{Client, ClientQuery, ClientWithSecret, CreateClient};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::json_with_etag;
use crate::http::extract::ApiJson;
use crate::http::pagination::{Page, PageRequest};
use crate::state::AppState;

/// Client secrets are 256 random bits, so a plain SHA-256 is enough (no dictionary to
/// slow down), and token issuance for integrations stays cheap.
pub fn hash_secret(secret: &str) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(secret.as_bytes())))
}

pub fn secret_matches(secret: &str, stored: &str) -> bool {
    let candidate = hash_secret(secret);
    candidate.len() == stored.len() && candidate.bytes().zip(stored.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn entry<'a>(action: &'a str, row: &'a ClientRow) -> audit::Entry<'a> {
    audit::Entry {
        action,
        entity_type: "client",
        entity_id: Some(&row.id),
        unit_code: Some(&row.unit_code),
        province_code: row.province_code.as_deref(),
        before: None,
        after: serde_json::to_value(row.view()).ok(),
    }
}

/// Integration clients inside the caller's unit.
#[utoipa::path(tag = "clients", params(ClientQuery), responses((status = 200, body = Page<Client>)))]
#[get("/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ClientQuery>,
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
    let body = body.0;
    crate::auth::roles::check_facility_name(&body.roles, body.facility_name.as_deref())
        .map_err(|reason| ApiError::invalid("facility_name", reason))?;
    let facility_name = body.facility_name.as_deref().map(crate::text::normalize);
    let secret = password::random_secret();
    let secret_hash = hash_secret(&secret);
    let row = state
        .run(&auth, Op::CreateClient, move |conn, auth| {
            let unit = admin_units::resolve(conn, &body.unit, "unit")?;
            ensure_covers(auth, &unit.code, unit.province_code.as_deref(), "unit")?;
            write_tx(conn, |conn| {
                let now = crate::time::now();
                let id = uuid::Uuid::now_v7();
                let row = clients::insert(
                    conn,
                    &ClientRow {
                        id: id.to_string(),
                        client_id: format!("cli_{}", id.simple()),
                        name: crate::text::normalize(&body.name),
                        secret_hash,
                        roles: roles_to_db(&body.roles),
                        unit_code: unit.code.clone(),
                        province_code: unit.province_code.clone(),
                        agency: body.agency.clone(),
                        disabled: false,
                        tokens_valid_after: now,
                        created_at: now,
                        updated_at: now,
                        version: 1,
                        facility_name: facility_name.clone(),
                    },
                )?;
                audit::record(conn, &audit::Actor::of(auth), entry("client.create", &row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(ClientWithSecret { client: row.view(), client_secret: secret }))
}

/// One integration client inside the caller's unit.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Client),
        (status = 404, description = "No such client in your unit", body = Problem, content_type = "application/problem+json")
    )
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
    responses(
        (status = 200, body = ClientWithSecret),
        (status = 404, description = "No such client in your unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/clients/{id}/rotate-secret")]
pub async fn rotate_client_secret(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let secret = password::random_secret();
    let changes = ClientChanges {
        secret_hash: Some(hash_secret(&secret)),
        tokens_valid_after: Some(crate::time::now()),
        ..Default::default()
    };
    let row = change(&state, &auth, Op::RotateClientSecret, id, changes, "client.rotate_secret").await?;
    Ok(HttpResponse::Ok().json(ClientWithSecret { client: row.view(), client_secret: secret }))
}

async fn change(
    state: &AppState,
    auth: &Auth,
    op: Op,
    id: String,
    changes: ClientChanges,
    action: &'static str,
) -> ApiResult<ClientRow> {
    let row = state
        .run(auth, op, move |conn, auth| {
            write_tx(conn, |conn| {
                let before = clients::find_in(conn, &auth.jurisdiction, &id)?;
                let after = clients::update_versioned(conn, &id, Some(before.version), &changes)?;
                let mut e = entry(action, &after);
                e.before = serde_json::to_value(before.view()).ok();
                audit::record(conn, &audit::Actor::of(auth), e)?;
                Ok(after)
            })
        })
        .await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(row)
}

/// Disable a client: its live tokens stop working at once.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Client),
        (status = 404, description = "No such client in your unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/clients/{id}/disable")]
pub async fn disable_client(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let changes =
        ClientChanges { disabled: Some(true), tokens_valid_after: Some(crate::time::now()), ..Default::default() };
    let row = change(&state, &auth, Op::DisableClient, id, changes, "client.disable").await?;
    Ok(json_with_etag(row.version, &row.view()))
}

/// Enable a client again.
#[utoipa::path(
    tag = "clients",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Client),
        (status = 404, description = "No such client in your unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/clients/{id}/enable")]
pub async fn enable_client(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let changes = ClientChanges { disabled: Some(false), ..Default::default() };
    let row = change(&state, &auth, Op::EnableClient, id, changes, "client.enable").await?;
    Ok(json_with_etag(row.version, &row.view()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_themselves() {
        let stored = hash_secret("abc");
        assert!(secret_matches("abc", &stored));
        assert!(!secret_matches("abd", &stored));
        assert!(!secret_matches("abc", "sha256:00"));
    }
}
