//! Cross-cutting HTTP pieces shared by every resource.

pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod pagination;
pub mod problems;
pub mod rate_limit;
pub mod request_id;
pub mod timeout;
