//! Request and response types: serde + validator + utoipa schemas.

pub mod accounts;
pub mod admin_units;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod convictions;
pub mod holidays;
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
        e.message = Some("must not contain control or invisible formatting characters".into());
        return Err(e);
    }
    Ok(())
}

/// A person's name: no control or invisible characters, and no Latin letters mixed with
/// Cyrillic or Greek look-alikes.
pub fn person_name(value: &str) -> Result<(), ValidationError> {
    no_control_chars(value)?;
    if crate::text::mixes_confusable_scripts(value) {
        let mut e = ValidationError::new("mixed_scripts");
        e.message = Some("mixes Latin letters with Cyrillic or Greek look-alikes".into());
        return Err(e);
    }
    Ok(())
}

/// A date of birth: not in the future, and not before 1900.
pub fn birth_date(value: &chrono::NaiveDate) -> Result<(), ValidationError> {
    let earliest = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    if *value > crate::time::today_vn() || *value < earliest {
        let mut e = ValidationError::new("birth_date");
        e.message = Some("must lie between 1900-01-01 and today".into());
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
