//! The OAuth 2.0 token endpoint and `GET /me`.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::auth::{Auth, Op, RequestContext};
use crate::dto::auth::{CurrentPrincipal, TokenRequest, TokenResponse};
use crate::error::{ApiError, ApiResult, Problem};
use crate::services::auth::{self as service, GrantError};
use crate::state::AppState;

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

fn grant_error(e: GrantError) -> ApiError {
    match e {
        GrantError::MissingCredentials(what) => oauth(StatusCode::BAD_REQUEST, "invalid_request", what),
        GrantError::InvalidGrant => invalid_grant(),
        GrantError::InvalidClient => {
            oauth(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client, wrong secret, or client disabled")
        }
        GrantError::Api(e) => e,
    }
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
    let ctx = RequestContext::from_request(&req)?;
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
            "password" => service::password_grant(conn, &keys, &request, ctx).map_err(grant_error),
            "client_credentials" => service::client_grant(conn, &keys, &request, ctx).map_err(grant_error),
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

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(issue_token).service(get_current_principal);
}
