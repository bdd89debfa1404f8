//! Clock helpers. Instants are UTC with microsecond precision (what both databases keep);
//! "today" is the Vietnamese calendar date (UTC+7).

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc};

pub fn now() -> NaiveDateTime {
    let n = Utc::now().naive_utc();
    n.with_nanosecond((n.nanosecond() / 1_000) * 1_000).unwrap_or(n)
}

/// Today's date in Vietnam.
pub fn today_vn() -> NaiveDate {
    let offset = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    Utc::now().with_timezone(&offset).date_naive()
}
