//! The date bounds every recorded date keeps to.

use validator::ValidationError;

/// The earliest date any request may carry: nothing this service records (a birth, a
/// judgment, a decision, an activity) happened before it, and earlier dates are typing
/// slips (`0001-01-01`, `0202-05-01`).
pub const EARLIEST_DATE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

/// Every date field of a request body (and every date query parameter): not before
/// 1900-01-01.
pub fn date_from_1900(value: &chrono::NaiveDate) -> Result<(), ValidationError> {
    if *value < EARLIEST_DATE {
        let mut e = ValidationError::new("date_from_1900");
        e.message = Some("must not be before 1900-01-01".into());
        return Err(e);
    }
    Ok(())
}
