//! Staff accounts: creation, changes, disabling and password changes, each with its audit
//! event in one transaction.

use crate::auth::roles::roles_to_db;
use crate::auth::{password, Auth, Role};
use crate::db::accounts::{self, AccountChanges, AccountRow, NewAccount};
use crate::db::idempotency::{self, StoredResponse};
use crate::db::{audit, write_tx, DbConnection};
use crate::dto::accounts::{ChangePassword, CreateAccount, UpdateAccount};
use crate::error::{ApiError, ApiResult};
use crate::http::etag::IfMatch;

fn entry<'a>(action: &'a str, row: &'a AccountRow) -> audit::Entry<'a> {
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

/// What an idempotent account creation is keyed on: everything but the password, which
/// must not be kept in any form but Argon2.
pub fn create_key(input: &CreateAccount) -> impl serde::Serialize + '_ {
    (&input.username, &input.full_name, &input.roles, &input.unit, &input.agency, &input.facility_name)
}

/// Creates an account in a unit the caller covers, once per idempotency key; the answer is
/// the stored (or replayed) 201 with the account. The password's strength is checked by the
/// caller, before any permission check.
pub fn create(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &CreateAccount,
    idem_key: Option<&str>,
    request_hash: &str,
) -> ApiResult<StoredResponse> {
    let unit = crate::services::covered_unit(conn, auth, &input.unit, "unit")?;
    let password_hash = password::hash(&input.password).map_err(ApiError::internal)?;
    let facility_name = input.facility_name.as_deref().map(crate::text::normalize);
    idempotency::once(conn, &auth.sub, idem_key, "create_account", request_hash, |conn| {
        let row = accounts::insert(
            conn,
            NewAccount {
                id: uuid::Uuid::now_v7().to_string(),
                username: input.username.clone(),
                password_hash,
                full_name: crate::text::normalize(&input.full_name),
                roles: roles_to_db(&input.roles),
                unit_code: unit.code.clone(),
                province_code: unit.province_code.clone(),
                agency: input.agency.clone(),
                facility_name: facility_name.clone(),
            },
        )?;
        let view = row.view();
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry { after: to_json(&view), ..entry("account.create", &row) },
        )?;
        StoredResponse::created(&view)
    })
}

/// Changes name, roles, unit or agency; a change of roles or unit revokes live tokens.
pub fn update(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    input: &UpdateAccount,
) -> ApiResult<AccountRow> {
    write_tx(conn, |conn| {
        let before = accounts::find_in(conn, &auth.jurisdiction, id)?;
        let expected_version = if_match.check(before.version)?;
        let mut changes = AccountChanges {
            full_name: input.full_name.as_deref().map(crate::text::normalize),
            roles: input.roles.as_deref().map(roles_to_db),
            agency: input.agency.clone(),
            ..Default::default()
        };
        if let Some(unit) = &input.unit {
            let unit = crate::services::covered_unit(conn, auth, unit, "unit")?;
            changes.unit_code = Some(unit.code);
            changes.province_code = Some(unit.province_code);
        }
        if let Some(roles) = &input.roles {
            crate::auth::roles::check_facility_name(roles, before.facility_name.as_deref())
                .map_err(|reason| ApiError::invalid("roles", reason))?;
        }
        let scope_changed = changes.roles.as_ref().is_some_and(|r| *r != before.roles)
            || changes.unit_code.as_ref().is_some_and(|u| *u != before.unit_code);
        if scope_changed {
            changes.tokens_valid_after = Some(crate::time::now());
        }
        let after = accounts::update_versioned(conn, id, expected_version, &changes)?;
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
}

/// Disables (revoking live tokens) or enables (lifting a lock) an account; nobody disables
/// their own.
pub fn set_disabled(conn: &mut DbConnection, auth: &Auth, id: &str, disabled: bool) -> ApiResult<AccountRow> {
    if disabled && id == auth.sub {
        return Err(ApiError::conflict("cannot_disable_self", "you cannot disable your own account"));
    }
    write_tx(conn, |conn| {
        let before = accounts::find_in(conn, &auth.jurisdiction, id)?;
        let changes = AccountChanges {
            disabled: Some(disabled),
            // Disabling revokes live tokens; enabling also clears a lock.
            tokens_valid_after: disabled.then(crate::time::now),
            failed_logins: (!disabled).then_some(0),
            locked_until: (!disabled).then_some(None),
            ..Default::default()
        };
        let after = accounts::update_versioned(conn, id, before.version, &changes)?;
        let action = if disabled { "account.disable" } else { "account.enable" };
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry { before: to_json(&before.view()), after: to_json(&after.view()), ..entry(action, &after) },
        )?;
        Ok(after)
    })
}

/// Changes a password: the caller's own (checking the current one, which counts toward the
/// lockout when wrong) or, as admin, any account in the unit. All its tokens are revoked.
pub fn change_password(
    conn: &mut DbConnection,
    auth: &Auth,
    keys: &crate::auth::keys::TokenKeys,
    id: &str,
    input: &ChangePassword,
) -> ApiResult<()> {
    let own = id == auth.sub && auth.kind == crate::auth::claims::KIND_ACCOUNT;
    let target = if own {
        accounts::find_by_id(conn, id)?.ok_or(ApiError::NotFound)?
    } else if auth.has_role(Role::Admin) {
        accounts::find_in(conn, &auth.jurisdiction, id)?
    } else {
        return Err(ApiError::NotFound);
    };
    if own {
        // A wrong current password is a failed login: it counts toward the account's
        // lockout and the address's limit, and a locked account changes nothing.
        let address = auth.ctx.client_address.clone().unwrap_or_else(|| "unknown".into());
        crate::services::auth::check_address_failures(conn, &address)?;
        let current = input.current_password.as_deref().unwrap_or_default();
        let matches = password::verify(current, &target.password_hash);
        if !matches || crate::services::auth::is_locked(&target) {
            crate::services::auth::record_password_failure(conn, keys, &target, &address, &audit::Actor::of(auth))?;
            return Err(ApiError::invalid(
                "current_password",
                "does not match your current password, or the account is temporarily locked",
            ));
        }
    }
    let new_hash = password::hash(&input.new_password).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        let changes = AccountChanges {
            password_hash: Some(new_hash),
            tokens_valid_after: Some(crate::time::now()),
            failed_logins: Some(0),
            locked_until: Some(None),
            ..Default::default()
        };
        let after = accounts::update_versioned(conn, id, target.version, &changes)?;
        audit::record(conn, &audit::Actor::of(auth), entry("account.password_change", &after))
    })
}
