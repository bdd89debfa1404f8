//! Cross-cutting HTTP pieces shared by every resource.

pub mod etag;
pub mod ext_value;
pub mod extract;
pub mod i18n;
pub mod idempotency;
pub mod metrics;
pub mod pagination;
pub mod problems;
pub mod rate_limit;
pub mod request_id;
pub mod semantics;
pub mod timeout;

/// The optional `unit` filter of a list: VN, a province or a commune code (a 422 otherwise).
pub fn unit_param(unit: Option<&str>) -> Result<Option<crate::auth::Jurisdiction>, crate::error::ApiError> {
    unit.map(|c| {
        crate::auth::Jurisdiction::parse(c)
            .ok_or_else(|| crate::error::ApiError::invalid("unit", "must be VN, a province or a commune code"))
    })
    .transpose()
}

/// An optional id in the query string: a UUID, or a 422 on `field` saying `what` it must be.
pub fn id_param(field: &str, raw: Option<&str>, what: &str) -> Result<Option<String>, crate::error::ApiError> {
    raw.map(parse_id).transpose().map_err(|_| crate::error::ApiError::invalid(field, format!("is not {what}")))
}

/// Parses a record id from the path: UUIDs only, so garbage never reaches SQL.
pub fn parse_id(raw: &str) -> Result<String, crate::error::ApiError> {
    uuid::Uuid::parse_str(raw).map(|u| u.hyphenated().to_string()).map_err(|_| crate::error::ApiError::NotFound)
}

/// The two ids of a nested path such as `/persons/{id}/convictions/{cid}`, each read as
/// [`parse_id`] reads one.
pub fn parse_ids((first, second): (String, String)) -> Result<(String, String), crate::error::ApiError> {
    Ok((parse_id(&first)?, parse_id(&second)?))
}
