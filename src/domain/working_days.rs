//! Working-day arithmetic for legal deadlines ("within 3 working days").
//! Saturdays and Sundays are not working days; public holidays are not modelled yet.

use chrono::{Datelike, Days, NaiveDate, Weekday};

pub fn add_working_days(start: NaiveDate, days: u32) -> NaiveDate {
    let mut date = start;
    let mut left = days;
    while left > 0 {
        date = date + Days::new(1);
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_weekends() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Thursday + 3 working days = Tuesday.
        assert_eq!(add_working_days(d(2026, 11, 19), 3), d(2026, 11, 24));
        // Monday + 3 = Thursday.
        assert_eq!(add_working_days(d(2026, 11, 16), 3), d(2026, 11, 19));
        // Saturday + 1 = Monday.
        assert_eq!(add_working_days(d(2026, 11, 21), 1), d(2026, 11, 23));
        assert_eq!(add_working_days(d(2026, 11, 21), 0), d(2026, 11, 21));
    }
}
