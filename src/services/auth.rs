//! Token issuance and the login lockout: password and client-credential grants, each audited
//! in its own transaction, and the failure counting shared with password changes.

use chrono::Duration;

use crate::auth::claims::{Claims, KIND_ACCOUNT, KIND_CLIENT};
use crate::auth::keys::TokenKeys;
use crate::auth::roles::roles_from_db;
use crate::auth::{password, RequestContext};
use crate::db::{accounts, audit, clients, write_tx, DbConnection};
use crate::dto::auth::{TokenRequest, TokenResponse};
use crate::error::{ApiError, ApiResult};

/// Consecutive failures that lock an account, and for how long.
pub const LOCK_AFTER_FAILURES: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Failures from one address within the window before it is told to wait.
pub const ADDRESS_FAILURE_LIMIT: i64 = 20;

/// Why a grant was refused, for the handler to word as an RFC 6749 error.
#[derive(Debug)]
pub enum GrantError {
    /// `invalid_request`: a required parameter is missing.
    MissingCredentials(&'static str),
    /// `invalid_grant`: wrong username or password, or the account disabled or locked.
    InvalidGrant,
    /// `invalid_client`: unknown client, wrong secret, or client disabled.
    InvalidClient,
    /// Anything else (too many failures from the address, the database).
    Api(ApiError),
}

impl From<ApiError> for GrantError {
    fn from(e: ApiError) -> GrantError {
        GrantError::Api(e)
    }
}

impl From<diesel::result::Error> for GrantError {
    fn from(e: diesel::result::Error) -> GrantError {
        GrantError::Api(e.into())
    }
}

fn issue(
    keys: &TokenKeys,
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

/// `grant_type=password`: a staff account's token, or a counted failure.
pub fn password_grant(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    request: &TokenRequest,
    ctx: RequestContext,
) -> Result<TokenResponse, GrantError> {
    let (Some(username), Some(secret)) = (request.username.as_deref(), request.password.as_deref()) else {
        return Err(GrantError::MissingCredentials("username and password are required"));
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
                audit_token_issued(conn, actor, KIND_ACCOUNT, (&a.id, &a.unit_code, a.province_code.as_deref()))
            })?;
            Ok(issue(
                keys,
                &a.id,
                KIND_ACCOUNT,
                &a.roles,
                &a.unit_code,
                (a.agency.clone(), a.facility_name.clone()),
                a.stamp(),
            )?)
        }
        Some(a) => {
            record_password_failure(conn, keys, &a, &address, &actor)?;
            Err(GrantError::InvalidGrant)
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
            Err(GrantError::InvalidGrant)
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
    keys: &TokenKeys,
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

/// `grant_type=client_credentials`: an integration client's token; failures are audited.
pub fn client_grant(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    request: &TokenRequest,
    ctx: RequestContext,
) -> Result<TokenResponse, GrantError> {
    let (Some(client_id), Some(secret)) = (request.client_id.as_deref(), request.client_secret.as_deref()) else {
        return Err(GrantError::MissingCredentials("client_id and client_secret are required"));
    };
    let client = clients::find_by_client_id(conn, client_id)?;
    let ok = client
        .as_ref()
        .is_some_and(|c| !c.disabled && crate::services::clients::secret_matches(secret, &c.secret_hash));
    let actor = audit::Actor::anonymous(ctx);
    match client {
        Some(c) if ok => {
            write_tx(conn, |conn| {
                audit_token_issued(conn, actor, KIND_CLIENT, (&c.id, &c.unit_code, c.province_code.as_deref()))
            })?;
            Ok(issue(
                keys,
                &c.id,
                KIND_CLIENT,
                &c.roles,
                &c.unit_code,
                (c.agency.clone(), c.facility_name.clone()),
                c.stamp(),
            )?)
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
            Err(GrantError::InvalidClient)
        }
    }
}

/// Audits a token issued to the principal `id` of `kind` (`account` or `client`), with the
/// principal as the actor.
fn audit_token_issued(
    conn: &mut DbConnection,
    anonymous: audit::Actor,
    kind: &str,
    (id, unit_code, province_code): (&str, &str, Option<&str>),
) -> ApiResult<()> {
    let actor =
        audit::Actor { sub: Some(id.to_string()), kind: kind.into(), unit: Some(unit_code.to_string()), ..anonymous };
    let entry = audit::Entry {
        action: "auth.token_issued",
        entity_type: kind,
        entity_id: Some(id),
        unit_code: Some(unit_code),
        province_code,
        ..Default::default()
    };
    audit::record(conn, &actor, entry)
}
