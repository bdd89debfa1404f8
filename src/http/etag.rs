//! Optimistic concurrency: `ETag` on reads, `If-Match` required on updates.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest, HttpResponse};

use crate::error::ApiError;

pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

/// A required `If-Match` header (428 when absent), read as RFC 9110 §13.1.1 says: `*`
/// matches any current record; otherwise a list of entity tags compared strongly, so a weak
/// tag (`W/"v3"`) never matches. A header naming no strong tag of ours fails at once (412).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Versions(Vec<i32>),
}

impl IfMatch {
    /// The record's version when the precondition holds, 412 otherwise.
    pub fn check(&self, current: i32) -> Result<i32, ApiError> {
        self.check_maybe(Some(current))
    }

    /// As [`IfMatch::check`], for a record that may not exist yet (version 0): `*` needs it
    /// to exist.
    pub fn check_maybe(&self, current: Option<i32>) -> Result<i32, ApiError> {
        match (self, current) {
            (IfMatch::Any, Some(v)) => Ok(v),
            (IfMatch::Versions(tags), v) if tags.contains(&v.unwrap_or(0)) => Ok(v.unwrap_or(0)),
            _ => Err(ApiError::PreconditionFailed),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if !req.headers().contains_key(header::IF_MATCH) {
            return ready(Err(ApiError::PreconditionRequired));
        }
        let values: Vec<&str> = req.headers().get_all(header::IF_MATCH).filter_map(|v| v.to_str().ok()).collect();
        ready(parse_if_match(&values.join(",")).ok_or(ApiError::PreconditionFailed))
    }
}

fn parse_if_match(text: &str) -> Option<IfMatch> {
    if text.trim() == "*" {
        return Some(IfMatch::Any);
    }
    let versions: Vec<i32> = text.split(',').filter_map(strong_version).collect();
    (!versions.is_empty()).then_some(IfMatch::Versions(versions))
}

/// The version of one strong entity tag (`"v3"`, or `"3"`); weak tags and others give none.
fn strong_version(tag: &str) -> Option<i32> {
    let t = tag.trim().strip_prefix('"')?.strip_suffix('"')?;
    t.strip_prefix('v').unwrap_or(t).parse().ok()
}

/// How long a client may reuse reference data (admin units, holidays, rates) before it asks
/// again; it then revalidates with `If-None-Match` and usually gets a bodiless 304.
pub const REFERENCE_MAX_AGE_SECS: u32 = 300;

/// A 200 JSON response of reference data a client may cache: a strong ETag computed from the
/// body and `Cache-Control: private` (the caller's token chose it), or 304 Not Modified when
/// `If-None-Match` names that tag (weak comparison, RFC 9110 §13.1.2).
pub fn cacheable_json<T: serde::Serialize>(req: &HttpRequest, body: &T) -> HttpResponse {
    use sha2::Digest;
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let digest = sha2::Sha256::digest(&bytes);
    let tag = format!("\"r{}\"", hex::encode(&digest[..12]));
    let cache = format!("private, max-age={REFERENCE_MAX_AGE_SECS}");
    let unchanged = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag));
    let mut resp = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    resp.insert_header((header::ETAG, tag)).insert_header((header::CACHE_CONTROL, cache));
    if unchanged {
        resp.finish()
    } else {
        resp.content_type("application/json").body(bytes)
    }
}

/// A 200 JSON response with the record's ETag.
pub fn json_with_etag<T: serde::Serialize>(version: i32, body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, etag(version))).json(body)
}

#[cfg(test)]
mod tests {
    use super::{parse_if_match, IfMatch};

    #[test]
    fn parses_etags() {
        let versions = |v: &[i32]| Some(IfMatch::Versions(v.to_vec()));
        assert_eq!(parse_if_match("\"v3\""), versions(&[3]));
        assert_eq!(parse_if_match("\"7\""), versions(&[7]));
        assert_eq!(parse_if_match("\"v2\", W/\"v5\", \"v4\""), versions(&[2, 4]));
        assert_eq!(parse_if_match(" * "), Some(IfMatch::Any));
        // Strong comparison: a weak tag never matches.
        assert_eq!(parse_if_match("W/\"v12\""), None);
        assert_eq!(parse_if_match("v3"), None);
        assert_eq!(parse_if_match(""), None);
    }

    #[test]
    fn checks_preconditions() {
        assert_eq!(IfMatch::Any.check(4).ok(), Some(4));
        assert!(IfMatch::Any.check_maybe(None).is_err());
        assert_eq!(IfMatch::Versions(vec![0]).check_maybe(None).ok(), Some(0));
        assert_eq!(IfMatch::Versions(vec![2, 4]).check(4).ok(), Some(4));
        assert!(IfMatch::Versions(vec![3]).check(4).is_err());
    }
}
