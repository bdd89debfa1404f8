//! Staff accounts: admins manage those inside their unit; everyone changes their own password.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};

use crate::api::auth::ensure_covers;
use crate::api::parse_id;
use crate::auth::roles::roles_to_db;
use crate::auth::{password, Auth, Op, Role};
use crate::db::accounts::{self, AccountChanges, NewAccount};
use crate::db::{admin_units, audit, idempotency, write_tx};
use crate::dto::accounts::{Account, AccountQuery, ChangePassword, CreateAccount, UpdateAccount};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::{json_with_etag, IfMatch};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{request_hash, IdempotencyKey, StoredResponse};
use crate::http::pagination::{Page, PageRequest};
use crate::state::AppState;

fn entry<'a>(action: &'a str, row: &'a accounts::AccountRow) -> audit::Entry<'a> {
    audit::Entry {
        action,
        entity_type: "account",
        entity_id: Some(&row.id),
        unit_code: Some(&row.unit_code),
        province_code: row.province_code.as_deref(),
        ..Default::default()
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// Accounts inside the caller's unit, by username.
#[utoipa::path(tag = "accounts", params(AccountQuery), responses((status = 200, body = Page<Account>)))]
#[get("/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<AccountQuery>,
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
    // The hash covers everything but the password, which must not be kept in any form but Argon2.
    crate::auth::roles::check_facility_name(&body.roles, body.facility_name.as_deref())
        .map_err(|reason| ApiError::invalid("facility_name", reason))?;
    let facility_name = body.facility_name.as_deref().map(crate::text::normalize);
    let hash = request_hash(
        "create_account",
        &(&body.username, &body.full_name, &body.roles, &body.unit, &body.agency, &body.facility_name),
    );
    let response = state
        .run(&auth, Op::CreateAccount, move |conn, auth| {
            let unit = admin_units::resolve(conn, &body.unit, "unit")?;
            ensure_covers(auth, &unit.code, unit.province_code.as_deref(), "unit")?;
            let password_hash = password::hash(&body.password).map_err(ApiError::internal)?;
            idempotency::once(conn, &auth.sub, idem.0.as_deref(), "create_account", &hash, |conn| {
                let now = crate::time::now();
                let row = accounts::insert(
                    conn,
                    &NewAccount {
                        id: uuid::Uuid::now_v7().to_string(),
                        username: body.username.clone(),
                        password_hash,
                        full_name: crate::text::normalize(&body.full_name),
                        roles: roles_to_db(&body.roles),
                        unit_code: unit.code.clone(),
                        province_code: unit.province_code.clone(),
                        agency: body.agency.clone(),
                        disabled: false,
                        failed_logins: 0,
                        tokens_valid_after: now,
                        created_at: now,
                        updated_at: now,
                        version: 1,
                        facility_name: facility_name.clone(),
                    },
                )?;
                let view = row.view();
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry { after: to_json(&view), ..entry("account.create", &row) },
                )?;
                StoredResponse::fresh(StatusCode::CREATED, &view)
            })
        })
        .await?;
    Ok(response.into_response())
}

/// One account inside the caller's unit.
#[utoipa::path(
    tag = "accounts",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Account, headers(("ETag" = String, description = "Send back in If-Match to update"))),
        (status = 404, description = "No such account in your unit", body = Problem, content_type = "application/problem+json")
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
        (status = 404, description = "No such account in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The account changed since it was read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json")
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
    let body = body.0;
    let row = state
        .run(&auth, Op::UpdateAccount, move |conn, auth| {
            write_tx(conn, |conn| {
                let before = accounts::find_in(conn, &auth.jurisdiction, &id)?;
                let mut changes = AccountChanges {
                    full_name: body.full_name.as_deref().map(crate::text::normalize),
                    roles: body.roles.as_deref().map(roles_to_db),
                    agency: body.agency.clone().map(Some),
                    ..Default::default()
                };
                if let Some(unit) = &body.unit {
                    let unit = admin_units::resolve(conn, unit, "unit")?;
                    ensure_covers(auth, &unit.code, unit.province_code.as_deref(), "unit")?;
                    changes.unit_code = Some(unit.code);
                    changes.province_code = Some(unit.province_code);
                }
                if let Some(roles) = &body.roles {
                    crate::auth::roles::check_facility_name(roles, before.facility_name.as_deref())
                        .map_err(|reason| ApiError::invalid("roles", reason))?;
                }
                let scope_changed = changes.roles.as_ref().is_some_and(|r| *r != before.roles)
                    || changes.unit_code.as_ref().is_some_and(|u| *u != before.unit_code);
                if scope_changed {
                    changes.tokens_valid_after = Some(crate::time::now());
                }
                let after = accounts::update_versioned(conn, &id, if_match.0, &changes)?;
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        before: to_json(&before.view()),
                        after: to_json(&after.view()),
                        ..entry("account.update", &after)
                    },
                )?;
                Ok(after)
            })
        })
        .await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(json_with_etag(row.version, &row.view()))
}

async fn set_disabled(state: web::Data<AppState>, auth: Auth, id: String, disabled: bool) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let op = if disabled { Op::DisableAccount } else { Op::EnableAccount };
    let row = state
        .run(&auth, op, move |conn, auth| {
            if disabled && id == auth.sub {
                return Err(ApiError::conflict("cannot_disable_self", "you cannot disable your own account"));
            }
            write_tx(conn, |conn| {
                let before = accounts::find_in(conn, &auth.jurisdiction, &id)?;
                let changes = AccountChanges {
                    disabled: Some(disabled),
                    // Disabling revokes live tokens; enabling also clears a lock.
                    tokens_valid_after: disabled.then(crate::time::now),
                    failed_logins: (!disabled).then_some(0),
                    locked_until: (!disabled).then_some(None),
                    ..Default::default()
                };
                let after = accounts::update_versioned(conn, &id, before.version, &changes)?;
                let action = if disabled { "account.disable" } else { "account.enable" };
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        before: to_json(&before.view()),
                        after: to_json(&after.view()),
                        ..entry(action, &after)
                    },
                )?;
                Ok(after)
            })
        })
        .await?;
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
        (status = 404, description = "No such account in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cannot disable yourself", body = Problem, content_type = "application/problem+json")
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
    responses(
        (status = 200, body = Account),
        (status = 404, description = "No such account in your unit", body = Problem, content_type = "application/problem+json")
    )
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
    responses(
        (status = 204, description = "Changed; log in again"),
        (status = 404, description = "No such account in your unit", body = Problem, content_type = "application/problem+json")
    )
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
        .run(&auth, Op::ChangePassword, move |conn, auth| {
            let own = id == auth.sub && auth.kind == crate::auth::claims::KIND_ACCOUNT;
            let target = if own {
                accounts::find_by_id(conn, &id)?.ok_or(ApiError::NotFound)?
            } else if auth.has_role(Role::Admin) {
                accounts::find_in(conn, &auth.jurisdiction, &id)?
            } else {
                return Err(ApiError::NotFound);
            };
            if own {
                // A wrong current password is a failed login: it counts toward the account's
                // lockout and the address's limit, and a locked account changes nothing.
                let address = auth.ctx.client_address.clone().unwrap_or_else(|| "unknown".into());
                crate::api::auth::check_address_failures(conn, &address)?;
                let current = body.current_password.as_deref().unwrap_or_default();
                let matches = password::verify(current, &target.password_hash);
                if !matches || crate::api::auth::is_locked(&target) {
                    crate::api::auth::record_password_failure(conn, &keys, &target, &address, &audit::Actor::of(auth))?;
                    return Err(ApiError::invalid(
                        "current_password",
                        "does not match your current password, or the account is temporarily locked",
                    ));
                }
            }
            let new_hash = password::hash(&body.new_password).map_err(ApiError::internal)?;
            write_tx(conn, |conn| {
                let changes = AccountChanges {
                    password_hash: Some(new_hash),
                    tokens_valid_after: Some(crate::time::now()),
                    failed_logins: Some(0),
                    locked_until: Some(None),
                    ..Default::default()
                };
                let after = accounts::update_versioned(conn, &id, target.version, &changes)?;
                audit::record(conn, &audit::Actor::of(auth), entry("account.password_change", &after))
            })
        })
        .await?;
    // Revoked tokens must stop working here at once, not after the principal cache's ttl.
    state.principals.forget_all();
    Ok(HttpResponse::NoContent().insert_header((header::CACHE_CONTROL, "no-store")).finish())
}
