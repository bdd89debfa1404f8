//! One error type for the whole API, rendered as `application/problem+json` (RFC 9457).
//!
//! Every variant has a stable `code`; internal details are logged, never sent.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A field that failed validation.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct InvalidParam {
    /// Field name, dotted for nested fields (`convictions[0].release_date`), or the query parameter.
    pub name: String,
    /// Why it was refused, in plain words.
    pub reason: String,
}

impl InvalidParam {
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        InvalidParam { name: name.into(), reason: reason.into() }
    }
}

/// RFC 9457 problem details, with a stable machine `code` and, for validation failures,
/// `invalid_params`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// URI reference identifying the problem type.
    #[schema(example = "https://thncd.gov.vn/problems/validation_failed")]
    pub r#type: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Human-readable explanation of this occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path this problem is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Stable machine-readable code (snake_case).
    pub code: String,
    /// Field-level reasons on validation failures.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub invalid_params: Vec<InvalidParam>,
    /// When `invalid_params` lists only the first problems (an import with many bad rows):
    /// how many were found in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_params_total: Option<usize>,
    /// Transitions or values that would have been accepted (e.g. on a 409 lifecycle conflict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// OAuth 2.0 error code (RFC 6749 §5.2), on the token endpoint only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// OAuth 2.0 error description, on the token endpoint only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// Request id, to quote when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<InvalidParam>),
    /// A validation failure with more problems than are listed: the first ones, and the total.
    #[error("validation failed")]
    ValidationTruncated { params: Vec<InvalidParam>, total: usize },
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {detail}")]
    Conflict { code: &'static str, detail: String, allowed: Option<Vec<String>> },
    #[error("precondition required")]
    PreconditionRequired,
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("unprocessable: {detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// Content over a bound other than the body's size (an import's rows, columns, cells, parts).
    #[error("content too large: {detail}")]
    ContentTooLarge { code: &'static str, detail: String },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("oauth error {error}")]
    OAuth { status: StatusCode, error: &'static str, description: String },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(msg: impl Into<String>) -> Self {
        ApiError::Internal(msg.into())
    }
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadRequest { code, detail: detail.into() }
    }
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Conflict { code, detail: detail.into(), allowed: None }
    }
    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Unprocessable { code, detail: detail.into() }
    }
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        ApiError::Validation(vec![InvalidParam::new(name, reason)])
    }
    /// No connection came from the pool in time: `down` when it held none at all (the
    /// database is most likely unreachable), else every connection stayed busy.
    pub fn from_pool(e: diesel::r2d2::PoolError, down: bool) -> Self {
        if down {
            log::error!("database pool: {e}");
            ApiError::Unavailable("the database is not reachable".into())
        } else {
            log::warn!("database pool: {e} (every connection busy)");
            ApiError::Unavailable("every database connection is busy; retry later".into())
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str, Option<String>) {
        use ApiError::*;
        match self {
            Validation(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "The request has invalid fields", None)
            }
            ValidationTruncated { params, total } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "The request has invalid fields",
                Some(format!("{total} problems; the first {} are listed", params.len())),
            ),
            BadRequest { code, detail } => (StatusCode::BAD_REQUEST, code, "Bad request", Some(detail.clone())),
            Unauthorized(d) => (StatusCode::UNAUTHORIZED, "unauthorized", "Authentication required", Some(d.clone())),
            Forbidden(d) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed", Some(d.clone())),
            NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found", None),
            Conflict { code, detail, .. } => (StatusCode::CONFLICT, code, "Conflict", Some(detail.clone())),
            PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "if_match_required",
                "If-Match header required",
                Some("send the ETag you last read in If-Match".into()),
            ),
            PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "version_mismatch",
                "The record changed since you read it",
                Some("read it again and retry with the new ETag".into()),
            ),
            Unprocessable { code, detail } => {
                (StatusCode::UNPROCESSABLE_ENTITY, code, "The request cannot be processed", Some(detail.clone()))
            }
            PayloadTooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "Payload too large",
                Some(format!("the body exceeds {limit} bytes")),
            ),
            ContentTooLarge { code, detail } => {
                (StatusCode::PAYLOAD_TOO_LARGE, code, "Content too large", Some(detail.clone()))
            }
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                Some("send the body as application/json".into()),
            ),
            TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Too many requests",
                Some("slow down and retry later".into()),
            ),
            OAuth { status, error, description } => {
                (*status, error, "Token request refused", Some(description.clone()))
            }
            Unavailable(d) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", Some(d.clone())),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "Internal error",
                Some("an unexpected error occurred; quote the request id when reporting it".into()),
            ),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (status, code, title, detail) = self.parts();
        let mut p = Problem::new(status, code, title, detail);
        match self {
            ApiError::Validation(params) => p.invalid_params = params.clone(),
            ApiError::ValidationTruncated { params, total } => {
                p.invalid_params = params.clone();
                p.invalid_params_total = Some(*total);
            }
            ApiError::Conflict { allowed, .. } => p.allowed = allowed.clone(),
            ApiError::OAuth { error, description, .. } => {
                p.error = Some((*error).to_string());
                p.error_description = Some(description.clone());
            }
            _ => {}
        }
        p
    }
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: Option<String>) -> Problem {
        Problem {
            r#type: format!("https://thncd.gov.vn/problems/{code}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            instance: None,
            code: code.to_string(),
            invalid_params: Vec::new(),
            invalid_params_total: None,
            allowed: None,
            error: None,
            error_description: None,
            request_id: None,
        }
    }

    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut builder = HttpResponse::build(status);
        builder.content_type(PROBLEM_JSON);
        if status == StatusCode::UNAUTHORIZED && self.error.is_none() {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"thncd\""));
        }
        builder.body(serde_json::to_string(self).unwrap_or_else(|_| "{}".into()))
    }
}

/// `Retry-After` of a 503.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(msg) => log::error!("internal error: {msg}"),
            ApiError::Unavailable(msg) => log::warn!("unavailable: {msg}"),
            _ => {}
        }
        let mut resp = self.to_problem().response();
        let retry_after = match self {
            ApiError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            // A busy or unreachable database: a short wait usually suffices.
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        if let ApiError::OAuth { .. } = self {
            resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
        }
        resp
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                log::info!("unique violation: {}", info.message());
                ApiError::conflict("duplicate", "a record with the same unique value already exists")
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                log::info!("foreign key violation: {}", info.message());
                ApiError::unprocessable("unknown_reference", "a referenced record does not exist")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                ApiError::Unavailable("the database connection was lost".into())
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::conflict("concurrent_update", "a concurrent change won; retry the request")
            }
            Error::DatabaseError(_, ref info) if is_unavailable_message(info.message()) => {
                log::warn!("database unavailable: {}", info.message());
                ApiError::Unavailable("the database is busy or not writable".into())
            }
            other => ApiError::Internal(format!("database: {other}")),
        }
    }
}

fn is_unavailable_message(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("database is locked")
        || m.contains("readonly database")
        || m.contains("disk is full")
        || m.contains("disk i/o error")
        || m.contains("terminating connection")
        || m.contains("server closed the connection")
        || m.contains("could not connect")
        || m.contains("the database system is")
        // PostgreSQL's `statement_timeout`: the database is overloaded, the request may be retried.
        || m.contains("canceling statement due to statement timeout")
        // SQLite's statement stopped at the request's deadline (`db::deadline`).
        || m == "interrupted"
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut params = Vec::new();
        flatten_validation("", &errors, &mut params);
        params.sort_by(|a, b| a.name.cmp(&b.name));
        ApiError::Validation(params)
    }
}

fn flatten_validation(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<InvalidParam>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for err in list {
                    let reason = err
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| describe_validation_code(&err.code));
                    out.push(InvalidParam::new(name.clone(), reason));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten_validation(&name, inner, out),
            ValidationErrorsKind::List(items) => {
                for (idx, inner) in items {
                    flatten_validation(&format!("{name}[{idx}]"), inner, out);
                }
            }
        }
    }
}

pub(crate) fn describe_validation_code(code: &str) -> String {
    match code {
        "length" => "has the wrong length".into(),
        "range" => "is out of range".into(),
        "email" => "is not an e-mail address".into(),
        "required" => "is required".into(),
        other => format!("is invalid ({other})"),
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
