//! Storage of idempotency keys. Claimed inside the caller's write transaction: the insert of a
//! concurrent duplicate waits on the unique key until the first commits, then replays.

use diesel::prelude::*;

use super::schema::idempotency_keys as ik;
use super::DbConnection;
use crate::error::{ApiError, ApiResult};

/// A stored or fresh response: its status code and JSON body, as kept with the key.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub replayed: bool,
}

impl StoredResponse {
    /// A fresh answer with `status` and `body` serialised as JSON.
    pub fn with_status<T: serde::Serialize>(status: u16, body: &T) -> ApiResult<StoredResponse> {
        Ok(StoredResponse {
            status,
            body: serde_json::to_string(body).map_err(|e| ApiError::internal(format!("serialise: {e}")))?,
            replayed: false,
        })
    }

    /// A fresh answer to a create: 201 with `body`.
    pub fn created<T: serde::Serialize>(body: &T) -> ApiResult<StoredResponse> {
        StoredResponse::with_status(201, body)
    }
}

pub enum Claim {
    /// The key is new: do the work, then call [`complete`].
    Fresh,
    /// The same request was already answered: send this again.
    Replay(StoredResponse),
}

pub fn claim(conn: &mut DbConnection, principal: &str, key: &str, operation: &str, hash: &str) -> ApiResult<Claim> {
    let now = crate::time::now();
    let values = (
        ik::principal.eq(principal),
        ik::idem_key.eq(key),
        ik::operation.eq(operation),
        ik::request_hash.eq(hash),
        ik::created_at.eq(now),
    );
    // ON CONFLICT is outside MultiConnection's common subset, so spell it per backend.
    let inserted = match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(ik::table).values(values).on_conflict_do_nothing().execute(c)?,
        DbConnection::Postgresql(c) => {
            diesel::insert_into(ik::table).values(values).on_conflict_do_nothing().execute(c)?
        }
    };
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let (stored_op, stored_hash, status, body): (String, String, Option<i32>, Option<String>) = ik::table
        .find((principal, key))
        .select((ik::operation, ik::request_hash, ik::response_status, ik::response_body))
        .first(conn)?;
    if stored_op != operation || stored_hash != hash {
        return Err(ApiError::unprocessable(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request",
        ));
    }
    match (status, body) {
        (Some(status), Some(body)) => Ok(Claim::Replay(StoredResponse { status: status as u16, body, replayed: true })),
        _ => Err(ApiError::conflict("idempotency_in_progress", "the first request with this key is still running")),
    }
}

pub fn complete(conn: &mut DbConnection, principal: &str, key: &str, response: &StoredResponse) -> ApiResult<()> {
    diesel::update(ik::table.find((principal, key)))
        .set((ik::response_status.eq(response.status as i32), ik::response_body.eq(&response.body)))
        .execute(conn)?;
    Ok(())
}

/// Runs `work` once per (principal, key): inside one write transaction the key is claimed,
/// the work done and its response stored. Without a key the work simply runs.
pub fn once<F>(
    conn: &mut DbConnection,
    principal: &str,
    key: Option<&str>,
    operation: &str,
    hash: &str,
    work: F,
) -> ApiResult<StoredResponse>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<StoredResponse>,
{
    super::write_tx(conn, |conn| {
        let Some(key) = key else {
            return work(conn);
        };
        match claim(conn, principal, key, operation, hash)? {
            Claim::Replay(stored) => Ok(stored),
            Claim::Fresh => {
                let response = work(conn)?;
                complete(conn, principal, key, &response)?;
                Ok(response)
            }
        }
    })
}
