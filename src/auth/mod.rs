//! Authentication (bearer JWT) and authorisation (roles per operation, jurisdiction per record).

pub mod claims;
pub mod events;
pub mod fields;
pub mod keys;
pub mod password;
pub mod permissions;
pub mod principals;
pub mod roles;

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;

pub use permissions::Op;
pub use roles::{Jurisdiction, Role};

use crate::db::{schema, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::http::request_id::RequestId;
use crate::state::AppState;
use claims::{Claims, KIND_ACCOUNT, KIND_CLIENT};

/// Who is calling and why: request id, client address and the optional `X-Audit-Reason`.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub request_id: Option<String>,
    pub reason: Option<String>,
    pub client_address: Option<String>,
    /// When the request's time is up (`THNCD_REQUEST_TIMEOUT_SECS`).
    pub deadline: Option<crate::http::timeout::Deadline>,
}

impl RequestContext {
    /// The context of a request; 422 naming `X-Audit-Reason` when that header starts as an
    /// RFC 8187 `ext-value` but is not a valid one.
    pub fn from_request(req: &HttpRequest) -> ApiResult<RequestContext> {
        let reason = match req.headers().get("x-audit-reason") {
            // Vietnamese reasons arrive as raw UTF-8 bytes, which `to_str` refuses, or from
            // a browser as an RFC 8187 ext-value (`UTF-8''%C4%90...`), decoded here.
            Some(v) => match std::str::from_utf8(v.as_bytes()) {
                Ok(text) => Some(
                    crate::http::ext_value::decode(text.trim())
                        .map_err(|e| ApiError::invalid(AUDIT_REASON_HEADER, e.0))?,
                ),
                Err(_) => return Err(ApiError::invalid(AUDIT_REASON_HEADER, "is not UTF-8 text")),
            },
            None => None,
        };
        let reason = reason.map(|s| s.trim().chars().take(500).collect::<String>()).filter(|s| !s.is_empty());
        Ok(RequestContext {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            reason,
            client_address: client_address(req),
            deadline: req.extensions().get::<crate::http::timeout::Deadline>().copied(),
        })
    }
}

/// The header a caller states the reason for a write in (stored in the audit trail).
pub const AUDIT_REASON_HEADER: &str = "X-Audit-Reason";

/// The caller's address: the socket peer, or the proxy's `Forwarded`/`X-Forwarded-For` when
/// the deployment says a proxy sets them (`THNCD_TRUST_FORWARDED`).
fn client_address(req: &HttpRequest) -> Option<String> {
    let trust = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.trust_forwarded);
    let info = req.connection_info();
    let addr = if trust { info.realip_remote_addr() } else { info.peer_addr() };
    addr.map(strip_port)
}

fn strip_port(addr: &str) -> String {
    match addr.parse::<std::net::SocketAddr>() {
        Ok(sa) => sa.ip().to_string(),
        Err(_) => addr.to_string(),
    }
}

/// The authenticated principal of a request.
#[derive(Debug, Clone)]
pub struct Auth {
    pub sub: String,
    /// `account`, `client` or `external`.
    pub kind: String,
    pub roles: Vec<Role>,
    pub unit: String,
    pub jurisdiction: Jurisdiction,
    pub agency: Option<String>,
    /// The detention facility of a `facility` principal (`facility_name` claim).
    pub facility_name: Option<String>,
    pub stamp: Option<i64>,
    pub ctx: RequestContext,
}

impl Auth {
    /// Role check for an operation: 403 when none of the token's roles may call it.
    pub fn require(&self, op: Op) -> ApiResult<()> {
        if op.allows(&self.roles) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "operation {} needs one of the roles: {}",
                op.operation_id(),
                op.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            )))
        }
    }

    /// A token whose only person-facing role is `supervisor` reaches just its caseload.
    pub fn caseload_only(&self) -> Option<&str> {
        let broader = [Role::Police, Role::CommuneCommittee, Role::Justice, Role::Labour, Role::Bank];
        (self.has_role(Role::Supervisor) && !self.roles.iter().any(|r| broader.contains(r)))
            .then_some(self.sub.as_str())
    }

    /// A token whose only role that reaches records is `facility` reaches just the records
    /// it created ("records I created"): its release notices, the persons named in them and
    /// its facility activities, wherever they lie.
    pub fn created_only(&self) -> Option<&str> {
        let broader = [Role::Police, Role::CommuneCommittee, Role::Justice, Role::Labour, Role::Bank, Role::Supervisor];
        (self.has_role(Role::Facility) && !self.roles.iter().any(|r| broader.contains(r))).then_some(self.sub.as_str())
    }

    /// The same principal acting for another jurisdiction (a facility's notice reaches any
    /// commune of the country).
    pub fn acting_for(&self, jurisdiction: Jurisdiction) -> Auth {
        Auth { jurisdiction, ..self.clone() }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Disabled principals and tokens older than the principal's security stamp are refused,
    /// so disabling an account or rotating a secret kills its live tokens at once.
    pub fn ensure_active(&self, conn: &mut DbConnection, cache: &principals::PrincipalCache) -> ApiResult<()> {
        let Err(lookup) = self.recently_active(cache) else {
            return Ok(());
        };
        let row: Option<(bool, chrono::NaiveDateTime)> = if self.kind == KIND_ACCOUNT {
            schema::accounts::table
                .find(&self.sub)
                .select((schema::accounts::disabled, schema::accounts::tokens_valid_after))
                .first(conn)
                .optional()?
        } else {
            schema::api_clients::table
                .find(&self.sub)
                .select((schema::api_clients::disabled, schema::api_clients::tokens_valid_after))
                .first(conn)
                .optional()?
        };
        match row {
            Some((false, valid_after)) if Some(valid_after.and_utc().timestamp_micros()) == self.stamp => {
                cache.confirmed(lookup);
                Ok(())
            }
            _ => Err(ApiError::Unauthorized("the token has been revoked".into())),
        }
    }

    /// `Ok(())` without the database: a trusted agency provider's token (governed by that
    /// provider), or a principal confirmed active within the cache time. Otherwise the
    /// lookup that [`ensure_active`](Self::ensure_active) completes.
    pub fn recently_active(&self, cache: &principals::PrincipalCache) -> Result<(), principals::Lookup> {
        // `external` is only ever set for a trusted provider's token (see `from_claims`).
        if self.kind == claims::KIND_EXTERNAL {
            return Ok(());
        }
        cache.check(&self.kind, &self.sub, self.stamp)
    }

    /// The principal of a verified token. Tokens signed with the service's own key stand for
    /// an account or a client and carry its security stamp, which is then checked against
    /// the database; a token of no kind, or of another kind, would skip that check and is
    /// refused. Only an agency provider's token (trusted JWKS, its own issuer) is `external`.
    pub fn from_claims(claims: Claims, origin: keys::Origin, ctx: RequestContext) -> ApiResult<Auth> {
        let jurisdiction = Jurisdiction::parse(&claims.unit)
            .ok_or_else(|| ApiError::Unauthorized("the token's unit is not a valid code".into()))?;
        let roles: Vec<Role> = claims.roles.iter().filter_map(|r| Role::parse(r)).collect();
        if roles.is_empty() {
            return Err(ApiError::Unauthorized("the token carries no known role".into()));
        }
        let kind = match (origin, claims.pty.as_deref()) {
            (keys::Origin::Own, Some(k @ (KIND_ACCOUNT | KIND_CLIENT))) => k.to_string(),
            (keys::Origin::TrustedProvider, None | Some(claims::KIND_EXTERNAL)) => claims::KIND_EXTERNAL.to_string(),
            _ => return Err(ApiError::Unauthorized("the token is of no kind this service accepts".into())),
        };
        if kind != claims::KIND_EXTERNAL && claims.stamp.is_none() {
            return Err(ApiError::Unauthorized("the token has no security stamp".into()));
        }
        Ok(Auth {
            sub: claims.sub,
            kind,
            roles,
            unit: claims.unit,
            jurisdiction,
            agency: claims.agency,
            facility_name: claims.facility_name,
            stamp: claims.stamp,
            ctx,
        })
    }
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Ready<Result<Auth, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> ApiResult<Auth> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::internal("application state missing"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("send a bearer token in the Authorization header".into()))?;
    let text =
        value.to_str().map_err(|_| ApiError::Unauthorized("the Authorization header is not valid text".into()))?;
    let token = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into()))?;
    let (claims, origin) = state.keys.verify(token).map_err(|e| {
        log::info!("token refused: {e}");
        ApiError::Unauthorized("the token is invalid or expired".into())
    })?;
    let (ctx, bad_header) = match RequestContext::from_request(req) {
        Ok(ctx) => (ctx, None),
        Err(e) => (RequestContext::default(), Some(e)),
    };
    let auth = Auth::from_claims(claims, origin, ctx)?;
    // The role check comes before any other extractor, so a denied call is a plain 403
    // whatever its path, query, headers or body (handlers check again through `AppState::run`).
    if let (Some(routes), Some(pattern)) = (req.app_data::<web::Data<permissions::RouteOps>>(), req.match_pattern()) {
        if let Some(op) = routes.get(req.method().as_str(), &pattern) {
            auth.require(op)?;
        }
    }
    match bad_header {
        Some(e) => Err(e),
        None => Ok(auth),
    }
}

/// Whether `unit` lies inside the caller's jurisdiction (for records the caller creates).
pub fn ensure_covers(
    auth: &Auth,
    unit_code: &str,
    province_code: Option<&str>,
    field: &str,
) -> crate::error::ApiResult<()> {
    if auth.jurisdiction.covers(unit_code, province_code) {
        Ok(())
    } else {
        let scope = match &auth.jurisdiction {
            Jurisdiction::National => "VN".to_string(),
            Jurisdiction::Province(p) | Jurisdiction::Commune(p) => p.clone(),
        };
        Err(crate::error::ApiError::invalid(field, format!("`{unit_code}` is outside your unit {scope}")))
    }
}
