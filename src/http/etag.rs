//! Optimistic concurrency: `ETag` on reads, `If-Match` required on updates.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest, HttpResponse};

use crate::error::ApiError;

pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

/// The version named by a required `If-Match` header (428 when absent).
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub i32);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(header::IF_MATCH) else {
            return ready(Err(ApiError::PreconditionRequired));
        };
        let parsed = value.to_str().ok().and_then(parse_if_match);
        ready(parsed.map(IfMatch).ok_or(ApiError::PreconditionFailed))
    }
}

fn parse_if_match(text: &str) -> Option<i32> {
    let t = text.trim();
    let t = t.strip_prefix("W/").unwrap_or(t);
    let t = t.strip_prefix('"')?.strip_suffix('"')?;
    let t = t.strip_prefix('v').unwrap_or(t);
    t.parse().ok()
}

/// A 200 JSON response with the record's ETag.
pub fn json_with_etag<T: serde::Serialize>(version: i32, body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, etag(version))).json(body)
}

#[cfg(test)]
mod tests {
    use super::parse_if_match;

    #[test]
    fn parses_etags() {
        assert_eq!(parse_if_match("\"v3\""), Some(3));
        assert_eq!(parse_if_match("W/\"v12\""), Some(12));
        assert_eq!(parse_if_match("\"7\""), Some(7));
        assert_eq!(parse_if_match("v3"), None);
        assert_eq!(parse_if_match("*"), None);
    }
}
