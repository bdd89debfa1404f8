//! Request and response types: serde + validator + utoipa schemas.

pub mod accounts;
pub mod admin_units;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod convictions;
pub mod integrations;
pub mod labour;
pub mod loans;
pub mod models;
pub mod persons;
pub mod release_notices;
pub mod reports;
pub mod supervision;

use validator::ValidationError;

/// Rejects control characters (NUL included) in free text.
pub fn no_control_chars(value: &str) -> Result<(), ValidationError> {
    if crate::text::has_control_chars(value) {
        let mut e = ValidationError::new("control_chars");
        e.message = Some("must not contain control characters".into());
        return Err(e);
    }
    Ok(())
}

/// `VN`, a 2-digit province code or a 5-digit commune code.
pub fn unit_code_shape(value: &str) -> Result<(), ValidationError> {
    if crate::auth::Jurisdiction::parse(value).is_none() {
        let mut e = ValidationError::new("unit_code");
        e.message = Some("must be VN, a 2-digit province code or a 5-digit commune code".into());
        return Err(e);
    }
    Ok(())
}
