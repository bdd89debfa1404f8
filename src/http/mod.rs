//! Cross-cutting HTTP pieces shared by every resource.

pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod metrics;
pub mod pagination;
pub mod problems;
pub mod rate_limit;
pub mod request_id;
pub mod semantics;
pub mod timeout;

/// Parses a record id from the path: UUIDs only, so garbage never reaches SQL.
pub fn parse_id(raw: &str) -> Result<String, crate::error::ApiError> {
    uuid::Uuid::parse_str(raw).map(|u| u.hyphenated().to_string()).map_err(|_| crate::error::ApiError::NotFound)
}
