//! Integration clients: registration, secret rotation, disabling and enabling, each with its
//! audit event in one transaction.

use sha2::{Digest, Sha256};

use crate::auth::roles::roles_to_db;
use crate::auth::{password, Auth};
use crate::db::clients::{self, ClientChanges, ClientRow};
use crate::db::{audit, write_tx, DbConnection};
use crate::dto::clients::CreateClient;
use crate::error::{ApiError, ApiResult};

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

/// Registers a client in a unit the caller covers; returns it with its secret, which is kept
/// only as a hash.
pub fn create(conn: &mut DbConnection, auth: &Auth, input: &CreateClient) -> ApiResult<(ClientRow, String)> {
    let secret = password::random_secret();
    let secret_hash = hash_secret(&secret);
    let unit = crate::services::covered_unit(conn, auth, &input.unit, "unit")?;
    let row = write_tx(conn, |conn| {
        let now = crate::time::now();
        let id = uuid::Uuid::now_v7();
        let row = clients::insert(
            conn,
            &ClientRow {
                id: id.to_string(),
                client_id: format!("cli_{}", id.simple()),
                name: crate::text::normalize(&input.name),
                secret_hash,
                roles: roles_to_db(&input.roles),
                unit_code: unit.code.clone(),
                province_code: unit.province_code.clone(),
                agency: input.agency.clone(),
                disabled: false,
                tokens_valid_after: now,
                created_at: now,
                updated_at: now,
                version: 1,
                facility_name: input.facility_name.as_deref().map(crate::text::normalize),
            },
        )?;
        audit::record(conn, &audit::Actor::of(auth), entry("client.create", &row))?;
        Ok::<_, ApiError>(row)
    })?;
    Ok((row, secret))
}

fn change(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    changes: &ClientChanges,
    action: &'static str,
) -> ApiResult<ClientRow> {
    write_tx(conn, |conn| {
        let before = clients::find_in(conn, &auth.jurisdiction, id)?;
        let after = clients::update_versioned(conn, id, Some(before.version), changes)?;
        let mut e = entry(action, &after);
        e.before = serde_json::to_value(before.view()).ok();
        audit::record(conn, &audit::Actor::of(auth), e)?;
        Ok(after)
    })
}

/// A new secret for the client; the old one and every token issued with it stop working.
pub fn rotate_secret(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<(ClientRow, String)> {
    let secret = password::random_secret();
    let changes = ClientChanges {
        secret_hash: Some(hash_secret(&secret)),
        tokens_valid_after: Some(crate::time::now()),
        ..Default::default()
    };
    let row = change(conn, auth, id, &changes, "client.rotate_secret")?;
    Ok((row, secret))
}

/// Disables (revoking live tokens) or enables a client.
pub fn set_disabled(conn: &mut DbConnection, auth: &Auth, id: &str, disabled: bool) -> ApiResult<ClientRow> {
    if disabled {
        let changes =
            ClientChanges { disabled: Some(true), tokens_valid_after: Some(crate::time::now()), ..Default::default() };
        change(conn, auth, id, &changes, "client.disable")
    } else {
        let changes = ClientChanges { disabled: Some(false), ..Default::default() };
        change(conn, auth, id, &changes, "client.enable")
    }
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
