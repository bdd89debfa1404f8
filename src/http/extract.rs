//! Request extractors that fail with problem+json and name the offending field.

use actix_web::dev::Payload;
use actix_web::{http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{ApiError, InvalidParam};

/// JSON body: content type checked, size limited, unknown fields and wrong types reported
/// with the JSON path of the field, then `validator` rules applied.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(is_json_content_type)
            .unwrap_or(false);
        let limit = req
            .app_data::<web::Data<crate::state::AppState>>()
            .map(|s| s.settings.max_body_bytes)
            .unwrap_or(1024 * 1024);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge { limit }
                } else {
                    ApiError::bad_request("body_unreadable", "the body could not be read")
                }
            })?;
            if bytes.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let value = parse_json::<T>(&bytes)?;
            value.validate()?;
            Ok(ApiJson(value))
        })
    }
}

/// An optional JSON body: an empty body gives `T::default()` (old clients that send
/// nothing keep working); any other body is read exactly as [`ApiJson`] reads it.
pub struct ApiJsonOrDefault<T>(pub T);

impl<T: DeserializeOwned + Validate + Default + 'static> FromRequest for ApiJsonOrDefault<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let empty =
            req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() == "0")
                || (req.headers().get(header::CONTENT_LENGTH).is_none()
                    && req.headers().get(header::TRANSFER_ENCODING).is_none());
        if empty {
            return Box::pin(async { Ok(ApiJsonOrDefault(T::default())) });
        }
        let inner = ApiJson::<OrNull<T>>::from_request(req, payload);
        Box::pin(async move { inner.await.map(|ApiJson(OrNull(v))| ApiJsonOrDefault(v.unwrap_or_default())) })
    }
}

/// A body that may also be JSON `null` (the contract's optional body).
#[derive(serde::Deserialize)]
#[serde(transparent)]
struct OrNull<T>(Option<T>);

impl<T: Validate> Validate for OrNull<T> {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        self.0.as_ref().map_or(Ok(()), Validate::validate)
    }
}

pub fn is_json_content_type(ct: &str) -> bool {
    let essence = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Maximum nesting accepted in a body; deeper documents are refused before deserialising.
const MAX_DEPTH: usize = 32;

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if nesting_depth(bytes) > MAX_DEPTH {
        return Err(ApiError::bad_request("json_too_deep", format!("JSON nesting deeper than {MAX_DEPTH}")));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Ok(v) => {
            de.end()
                .map_err(|e| ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}")))?;
            Ok(v)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let (name, reason) = describe_data_error(&path, &inner.to_string());
                    Err(ApiError::Validation(vec![InvalidParam::new(name, reason)]))
                }
                _ => Err(ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {inner}"))),
            }
        }
    }
}

/// Turns serde's message into a field name and a reason; unknown and missing fields name
/// themselves.
fn describe_data_error(path: &str, message: &str) -> (String, String) {
    let reason = message.split(" at line ").next().unwrap_or(message).to_string();
    let named = |prefix: &str| -> Option<String> {
        let rest = reason.strip_prefix(prefix)?;
        let field = rest.split('`').next()?;
        Some(if path == "." || path.is_empty() || path == field || path.ends_with(&format!(".{field}")) {
            if path == "." || path.is_empty() {
                field.to_string()
            } else {
                path.to_string()
            }
        } else {
            format!("{path}.{field}")
        })
    };
    if let Some(name) = named("unknown field `") {
        return (name, "is not a known field".into());
    }
    if let Some(name) = named("missing field `") {
        return (name, "is required".into());
    }
    let name = if path == "." || path.is_empty() { "body".to_string() } else { path.to_string() };
    (name, reason)
}

fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Query-string errors (unknown parameters, wrong types) as 400 problems naming the parameter.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    let message = message.strip_prefix("Query deserialize error: ").unwrap_or(&message).to_string();
    let (name, reason) = describe_data_error("", &message);
    let name = if name == "body" { "query".to_string() } else { name };
    ApiError::BadRequest { code: "invalid_query", detail: format!("{name}: {reason}") }.into_with_params(name, reason)
}

/// Refuses query strings whose decoded names or values hold control or invisible characters
/// (a NUL reaches no database: PostgreSQL would refuse it with an error of its own).
pub async fn query_guard(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if let Some(name) = hostile_query_param(req.query_string()) {
        let reason = "must not contain control or invisible formatting characters".to_string();
        let error = ApiError::BadRequest { code: "invalid_query", detail: format!("{name}: {reason}") }
            .into_with_params(name, reason);
        // Answered here, not raised, so the problem gets its `instance` like any other.
        return Ok(req.into_response(error.error_response()));
    }
    if let Some(name) = early_date_param(req.query_string()) {
        let error: actix_web::Error =
            ApiError::Validation(vec![InvalidParam::new(name, "must not be before 1900-01-01")]).into();
        return Ok(req.into_response(error.error_response()));
    }
    next.call(req).await.map(actix_web::dev::ServiceResponse::map_into_boxed_body)
}

fn hostile_query_param(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| crate::text::has_control_chars(k) || crate::text::has_control_chars(v))
        .map(|(k, _)| k.chars().filter(|c| !crate::text::has_control_chars(&c.to_string())).take(50).collect())
}

/// The first query parameter holding a date (`yyyy-mm-dd`) before 1900: every date a
/// request carries follows `crate::dto::date_from_1900`, filters as much as bodies. The free
/// text search `q` is not a date.
fn early_date_param(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| {
            k != "q"
                && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .is_ok_and(|d| crate::dto::date_from_1900(&d).is_err())
        })
        .map(|(k, _)| k.chars().take(50).collect())
}

/// Path-segment errors (e.g. a malformed id).
pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::Validation(vec![InvalidParam::new("path", err.to_string())]).into()
}

impl ApiError {
    fn into_with_params(self, name: String, reason: String) -> actix_web::Error {
        let mut problem = self.to_problem();
        problem.invalid_params = vec![InvalidParam::new(name, reason)];
        actix_web::error::InternalError::from_response("invalid query", problem.response()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_query_strings_are_named() {
        let cases = [
            ("q=abc", None),
            ("q=abc%00def", Some("q")),
            ("unit=00070&q=a%E2%80%8Bb", Some("q")),
            ("na%00me=x", Some("name")),
            ("q=Nguy%E1%BB%85n", None),
        ];
        for (query, expected) in cases {
            assert_eq!(hostile_query_param(query).as_deref(), expected, "{query}");
        }
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: i32,
    }

    #[test]
    fn names_unknown_and_wrong_fields() {
        let err = parse_json::<Sample>(br#"{"name":"a","count":1,"extra":2}"#).unwrap_err();
        let p = err.to_problem();
        assert_eq!(p.invalid_params[0].name, "extra");
        let err = parse_json::<Sample>(br#"{"name":"a","count":"x"}"#).unwrap_err();
        assert_eq!(err.to_problem().invalid_params[0].name, "count");
        let err = parse_json::<Sample>(br#"{"name":"a"}"#).unwrap_err();
        assert_eq!(err.to_problem().invalid_params[0].name, "count");
        let err = parse_json::<Sample>(br#"{"name":"#).unwrap_err();
        assert_eq!(err.to_problem().code, "malformed_json");
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_json::<serde_json::Value>(deep.as_bytes()).unwrap_err().to_problem().code, "json_too_deep");
        assert_eq!(nesting_depth(br#"{"a":"[[[[["}"#), 1);
    }
}
