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

/// A query string read into `T`: an unknown parameter or a wrongly typed value answers 400
/// with the parameter named in `invalid_params` (actix's `web::Query` loses which parameter a
/// type error came from).
pub struct ApiQuery<T>(pub T);

impl<T> ApiQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ApiQuery<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ApiQuery))
    }
}

/// Reads a query string with the path of the failing parameter kept.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, actix_web::Error> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        query_problem(&path, &err.into_inner().to_string())
    })
}

/// Query-string errors (unknown parameters, wrong types) as 400 problems naming the parameter.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    query_problem("", message.strip_prefix("Query deserialize error: ").unwrap_or(&message))
}

fn query_problem(path: &str, message: &str) -> actix_web::Error {
    let (name, reason) = describe_data_error(path, message);
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

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Filter {
        page: Option<i64>,
        active: Option<bool>,
        from: Option<chrono::NaiveDate>,
    }

    #[test]
    fn names_wrongly_typed_query_parameters() {
        assert!(parse_query::<Filter>("page=2&active=true&from=2026-01-31").is_ok());
        let cases = [("page=abc", "page"), ("active=yes", "active"), ("from=31-01-2026", "from"), ("size=1", "size")];
        for (query, name) in cases {
            let resp = parse_query::<Filter>(query).unwrap_err().error_response();
            assert_eq!(resp.status(), 400, "{query}");
            let body = actix_web::body::MessageBody::try_into_bytes(resp.into_body()).ok().unwrap();
            let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(value["invalid_params"][0]["name"], name, "{query}: {value}");
        }
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_json::<serde_json::Value>(deep.as_bytes()).unwrap_err().to_problem().code, "json_too_deep");
        assert_eq!(nesting_depth(br#"{"a":"[[[[["}"#), 1);
    }
}
