//! `Idempotency-Key` on POSTs: the same key and body replay the first response; the same key
//! with another body is a 422. Keys live in the database (per principal), in the same
//! transaction as the write, so they hold across restarts and instances.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::StatusCode, FromRequest, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

pub const HEADER: &str = "idempotency-key";

/// The optional key sent by the caller.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<IdempotencyKey, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = match req.headers().get(HEADER) {
            None => Ok(None),
            Some(v) => match v.to_str() {
                Ok(s) if !s.trim().is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_graphic()) => {
                    Ok(Some(s.trim().to_string()))
                }
                _ => Err(ApiError::invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters")),
            },
        };
        ready(value.map(IdempotencyKey))
    }
}

/// Hash of what the request asks for: the operation and its canonical JSON body.
pub fn request_hash<T: serde::Serialize>(operation: &str, body: &T) -> String {
    let json = serde_json::to_vec(body).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(operation.as_bytes());
    h.update([0]);
    h.update(&json);
    hex::encode(h.finalize())
}

/// The stored response is plain data kept in `db/`; here it meets HTTP.
pub use crate::db::idempotency::StoredResponse;

impl StoredResponse {
    pub fn fresh<T: serde::Serialize>(status: StatusCode, body: &T) -> Result<StoredResponse, ApiError> {
        StoredResponse::with_status(status.as_u16(), body)
    }

    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut builder = HttpResponse::build(status);
        builder.content_type("application/json");
        if self.replayed {
            builder.insert_header(("idempotent-replayed", "true"));
        }
        builder.body(self.body)
    }
}
