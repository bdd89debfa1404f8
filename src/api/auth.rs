//! The OAuth 2.0 token endpoint and `GET /me`.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Duration;

use crate::auth::claims::{Claims, KIND_ACCOUNT, KIND_CLIENT};
use crate::auth::roles::roles_from_db;
use crate::auth::{password, Auth, Op, RequestContext};
use crate::db::{accounts, audit, clients, write_tx, DbConnection};
use crate::dto::auth::{CurrentPrincipal, TokenRequest, TokenResponse};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Consecutive failures that lock an account, and for how long.
pub const LOCK_AFTER_FAILURES: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Failures from one address within the window before it is told to wait.
pub const ADDRESS_FAILURE_LIMIT: i64 = 20;
const TOKEN_BODY_LIMIT: usize = 8 * 1024;

fn oauth(status: StatusCode, error: &'static str, description: &str) -> ApiError {
    ApiError::OAuth { status, error, description: description.to_string() }
}

fn invalid_grant() -> ApiError {
    oauth(
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "invalid username or password, or the account is disabled or temporarily locked",
    )
}

fn parse_token_request(req: &HttpRequest, body: &[u8]) -> ApiResult<TokenRequest> {
    if body.len() > TOKEN_BODY_LIMIT {
        return Err(oauth(StatusCode::BAD_REQUEST, "invalid_request", "the request body is too large"));
    }
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    let parsed: Result<TokenRequest, String> = if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes(body).map_err(|e| e.to_string())
    } else if crate::http::extract::is_json_content_type(&content_type) {
        serde_json::from_slice(body).map_err(|e| e.to_string())
    } else {
        Err("send application/x-www-form-urlencoded or application/json".into())
    };
    parsed.map_err(|e| oauth(StatusCode::BAD_REQUEST, "invalid_request", &e))
}

/// Issue an access token (OAuth 2.0, RFC 6749).
///
/// `grant_type=password` with `username` and `password` for staff accounts;
/// `grant_type=client_credentials` with `client_id` and `client_secret` (in the body or HTTP
/// Basic) for integration clients. Form-encoded or JSON. Errors carry the RFC 6749 `error`
/// member (`invalid_request`, `invalid_grant`, `invalid_client`, `unsupported_grant_type`)
/// inside a problem document. Five failed logins in a row lock an account for 15 minutes;
/// an address with too many failures (20 in 15 minutes, across instances) or too many
/// requests (`THNCD_TOKEN_RATE_PER_MINUTE`, default 30, per instance) gets 429.
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, description = "invalid_request, invalid_grant or unsupported_grant_type", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_client", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many token requests, or too many failed attempts, from this address (`Retry-After` says when to retry)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/token")]
pub async fn issue_token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> ApiResult<HttpResponse> {
    let ctx = RequestContext::from_request(&req);
    let address = ctx.client_address.as_deref().unwrap_or("unknown");
    if let Err(retry_after_secs) = state.token_limiter.check(address) {
        log::warn!("token requests from {address} over the per-minute limit");
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }
    let mut request = parse_token_request(&req, &body)?;
    if let Some((id, secret)) = basic_credentials(&req) {
        request.client_id.get_or_insert(id);
        request.client_secret.get_or_insert(secret);
    }
    let keys = state.keys.clone();
    let response = state
        .run_anonymous(move |conn| match request.grant_type.as_str() {
            "password" => password_grant(conn, &keys, &request, ctx),
            "client_credentials" => client_grant(conn, &keys, &request, ctx),
            _ => Err(oauth(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be password or client_credentials",
            )),
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(response))
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    use base64::Engine;
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn issue(
    keys: &crate::auth::keys::TokenKeys,
    sub: &str,
    kind: &str,
    roles: &str,
    unit: &str,
    (agency, facility_name): (Option<String>, Option<String>),
    stamp: i64,
) -> ApiResult<TokenResponse> {
    let now = chrono::Utc::now().timestamp();
    let ttl = keys.ttl_secs();
    let roles: Vec<String> = roles_from_db(roles).iter().map(|r| r.as_str().to_string()).collect();
    let claims = Claims {
        sub: sub.to_string(),
        iss: keys.issuer().to_string(),
        aud: keys.audience().to_string(),
        iat: now,
        exp: now + ttl,
        nbf: Some(now),
        jti: uuid::Uuid::now_v7().to_string(),
        roles: roles.clone(),
        unit: unit.to_string(),
        agency,
        facility_name,
        pty: Some(kind.to_string()),
        stamp: Some(stamp),
    };
    let token = keys.sign(&claims).map_err(ApiError::internal)?;
    Ok(TokenResponse { access_token: token, token_type: "Bearer".into(), expires_in: ttl, scope: roles.join(" ") })
}

fn password_grant(
    conn: &mut DbConnection,
    keys: &crate::auth::keys::TokenKeys,
    request: &TokenRequest,
    ctx: RequestContext,
) -> ApiResult<TokenResponse> {
    let (Some(username), Some(secret)) = (request.username.as_deref(), request.password.as_deref()) else {
        return Err(oauth(StatusCode::BAD_REQUEST, "invalid_request", "username and password are required"));
    };
    let address = ctx.client_address.clone().unwrap_or_else(|| "unknown".into());
    let now = crate::time::now();
    check_address_failures(conn, &address)?;
    let account = accounts::find_by_username(conn, username)?;
    // The hash is checked in every case so that an unknown user costs as much as a wrong password.
    let password_ok = match &account {
        Some(a) => password::verify(secret, &a.password_hash),
        None => {
            password::verify_dummy(secret);
            false
        }
    };
    let actor = audit::Actor::anonymous(ctx);
    match account {
        Some(a) if password_ok && !a.disabled && a.locked_until.is_none_or(|t| t <= now) => {
            write_tx(conn, |conn| {
                if a.failed_logins != 0 || a.locked_until.is_some() {
                    accounts::record_login_result(conn, &a.id, 0, None)?;
                }
                let actor = audit::Actor {
                    sub: Some(a.id.clone()),
                    kind: KIND_ACCOUNT.into(),
                    unit: Some(a.unit_code.clone()),
                    ..actor
                };
                audit::record(
                    conn,
                    &actor,
                    audit::Entry {
                        action: "auth.token_issued",
                        entity_type: "account",
                        entity_id: Some(&a.id),
                        unit_code: Some(&a.unit_code),
                        province_code: a.province_code.as_deref(),
                        ..Default::default()
                    },
                )
            })?;
            issue(
                keys,
                &a.id,
                KIND_ACCOUNT,
                &a.roles,
                &a.unit_code,
                (a.agency.clone(), a.facility_name.clone()),
                a.stamp(),
            )
        }
        Some(a) => {
            record_password_failure(conn, keys, &a, &address, &actor)?;
            Err(invalid_grant())
        }
        None => {
            // People type passwords into the username field: the name is kept only as a keyed
            // hash, enough to group the failures of one name and no more.
            let username_hash = keys.username_hash(username);
            write_tx(conn, |conn| {
                accounts::record_address_failure(conn, &address, &username_hash)?;
                audit::record(
                    conn,
                    &actor,
                    audit::Entry {
                        action: "auth.login_failed",
                        entity_type: "account",
                        after: Some(serde_json::json!({ "username_hmac": username_hash })),
                        ..Default::default()
                    },
                )
            })?;
            Err(invalid_grant())
        }
    }
}

/// Whether `address` has failed too often lately: then it waits (429), whatever it sends.
pub fn check_address_failures(conn: &mut DbConnection, address: &str) -> ApiResult<()> {
    let window_start = crate::time::now() - Duration::minutes(LOCK_MINUTES);
    if accounts::address_failures_since(conn, address, window_start)? >= ADDRESS_FAILURE_LIMIT {
        return Err(ApiError::TooManyRequests { retry_after_secs: (LOCK_MINUTES * 60) as u64 });
    }
    Ok(())
}

/// Whether the account is locked out now.
pub fn is_locked(account: &accounts::AccountRow) -> bool {
    account.locked_until.is_some_and(|t| t > crate::time::now())
}

/// A wrong password for a known account, at a login or a password change: one more failure
/// toward its lockout (none while the lock holds), one toward the address's limit, audited,
/// in one transaction. The failure row names the account by the same keyed hash as unknown
/// names, so the table never holds what was typed.
pub fn record_password_failure(
    conn: &mut DbConnection,
    keys: &crate::auth::keys::TokenKeys,
    a: &accounts::AccountRow,
    address: &str,
    actor: &audit::Actor,
) -> ApiResult<()> {
    let now = crate::time::now();
    let username_hash = keys.username_hash(&a.username);
    write_tx(conn, |conn| {
        let locked_now = a.locked_until.is_some_and(|t| t > now);
        let failed = if locked_now { a.failed_logins } else { a.failed_logins + 1 };
        let lock = failed >= LOCK_AFTER_FAILURES && !locked_now;
        let (failed, locked_until) =
            if lock { (0, Some(now + Duration::minutes(LOCK_MINUTES))) } else { (failed, a.locked_until) };
        accounts::record_login_result(conn, &a.id, failed, locked_until)?;
        accounts::record_address_failure(conn, address, &username_hash)?;
        let entry = |action| audit::Entry {
            action,
            entity_type: "account",
            entity_id: Some(&a.id),
            unit_code: Some(&a.unit_code),
            province_code: a.province_code.as_deref(),
            ..Default::default()
        };
        audit::record(conn, actor, entry("auth.login_failed"))?;
        if lock {
            audit::record(conn, actor, entry("auth.account_locked"))?;
        }
        Ok::<_, ApiError>(())
    })
}

fn client_grant(
    conn: &mut DbConnection,
    keys: &crate::auth::keys::TokenKeys,
    request: &TokenRequest,
    ctx: RequestContext,
) -> ApiResult<TokenResponse> {
    let (Some(client_id), Some(secret)) = (request.client_id.as_deref(), request.client_secret.as_deref()) else {
        return Err(oauth(StatusCode::BAD_REQUEST, "invalid_request", "client_id and client_secret are required"));
    };
    let client = clients::find_by_client_id(conn, client_id)?;
    let ok =
        client.as_ref().is_some_and(|c| !c.disabled && crate::api::clients::secret_matches(secret, &c.secret_hash));
    let actor = audit::Actor::anonymous(ctx);
    match client {
        Some(c) if ok => {
            write_tx(conn, |conn| {
                let actor = audit::Actor {
                    sub: Some(c.id.clone()),
                    kind: KIND_CLIENT.into(),
                    unit: Some(c.unit_code.clone()),
                    ..actor
                };
                audit::record(
                    conn,
                    &actor,
                    audit::Entry {
                        action: "auth.token_issued",
                        entity_type: "client",
                        entity_id: Some(&c.id),
                        unit_code: Some(&c.unit_code),
                        province_code: c.province_code.as_deref(),
                        ..Default::default()
                    },
                )
            })?;
            issue(
                keys,
                &c.id,
                KIND_CLIENT,
                &c.roles,
                &c.unit_code,
                (c.agency.clone(), c.facility_name.clone()),
                c.stamp(),
            )
        }
        other => {
            write_tx(conn, |conn| {
                audit::record(
                    conn,
                    &actor,
                    audit::Entry {
                        action: "auth.client_auth_failed",
                        entity_type: "client",
                        entity_id: other.as_ref().map(|c| c.id.as_str()),
                        unit_code: other.as_ref().map(|c| c.unit_code.as_str()),
                        province_code: other.as_ref().and_then(|c| c.province_code.as_deref()),
                        ..Default::default()
                    },
                )
            })?;
            Err(oauth(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client, wrong secret, or client disabled"))
        }
    }
}

/// The caller's identity, roles and unit as read from the token.
#[utoipa::path(tag = "auth", responses((status = 200, body = CurrentPrincipal)))]
#[get("/me")]
pub async fn get_current_principal(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let principal = state
        .run(&auth, Op::GetCurrentPrincipal, |_, auth| {
            Ok(CurrentPrincipal {
                sub: auth.sub.clone(),
                kind: auth.kind.clone(),
                roles: auth.roles.clone(),
                unit: auth.unit.clone(),
                agency: auth.agency.clone(),
                facility_name: auth.facility_name.clone(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(principal))
}

pub use crate::auth::ensure_covers;
