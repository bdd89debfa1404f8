//! The Vietnamese lunisolar calendar (âm lịch), for the holidays that follow it: Tết
//! Nguyên đán (1st day of the 1st month) and the Hùng Kings' commemoration (10th day of the
//! 3rd month), Labour Code 2019 Art. 112(1)(b) and (e).
//!
//! The months start on the day of the astronomical new moon at Hà Nội time (UTC+7); month
//! 11 is the one holding the winter solstice, and in a year of 13 months the leap month is
//! the first one without a major solar term (trung khí). This is the rule the Vietnamese
//! calendar has used since 1968 (it differs from the Chinese calendar, at UTC+8, in some
//! years: Tết 1985 and 2007). New moons and the sun's longitude use Meeus' low-precision
//! series (Astronomical Algorithms, ch. 25 and 49), as in Hồ Ngọc Đức's published
//! algorithm; the error, a few minutes, matters only for a new moon within minutes of
//! midnight, and the table tests check the years the project ships against the dates the
//! Government announced.

use chrono::{Datelike, NaiveDate};
use std::f64::consts::PI;

/// Hà Nội time zone, hours east of UTC.
const TZ: f64 = 7.0;

fn julian_day(d: NaiveDate) -> i64 {
    d.num_days_from_ce() as i64 + 1_721_425
}

fn from_julian_day(jd: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jd - 1_721_425).ok()?)
}

/// Julian date (UT) of the k-th new moon after 1900-01-01.
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - delta_t
}

/// Julian day number (local) on which the k-th new moon falls.
fn new_moon_day(k: f64) -> i64 {
    (new_moon(k) + 0.5 + TZ / 24.0).floor() as i64
}

/// Sun's apparent longitude in radians at a Julian date (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl += (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the 12 sectors of 30° the sun is in at the start of a local day.
fn sun_sector(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TZ / 24.0) / PI * 6.0).floor() as i64
}

/// First day of the lunar month 11 (the month of the winter solstice) of a Gregorian year.
fn month_11(year: i32) -> Option<i64> {
    let off = julian_day(NaiveDate::from_ymd_opt(year, 12, 31)?) - 2415021;
    let k = (off as f64 / 29.530588853).floor();
    let nm = new_moon_day(k);
    Some(if sun_sector(nm) >= 9 { new_moon_day(k - 1.0) } else { nm })
}

/// Offset, in months after month 11, of the leap month of a 13-month year.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5).floor();
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i as f64));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i as f64));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The Gregorian date of a (non-leap) lunar day, month and year.
pub fn to_solar(day: u32, month: u32, lunar_year: i32) -> Option<NaiveDate> {
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let (a11, b11) = if month < 11 {
        (month_11(lunar_year - 1)?, month_11(lunar_year)?)
    } else {
        (month_11(lunar_year)?, month_11(lunar_year + 1)?)
    };
    let k = (0.5 + (a11 as f64 - 2415021.076998695) / 29.530588853).floor();
    let mut off = month as i64 - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 && off >= leap_month_offset(a11) {
        off += 1;
    }
    from_julian_day(new_moon_day(k + off as f64) + day as i64 - 1)
}

/// Tết Nguyên đán: the 1st day of the 1st lunar month of the year.
pub fn tet(year: i32) -> Option<NaiveDate> {
    to_solar(1, 1, year)
}

/// Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month.
pub fn hung_kings(year: i32) -> Option<NaiveDate> {
    to_solar(10, 3, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_dates_as_announced() {
        let cases = [
            (1985, d(1985, 1, 21)), // a month apart from the Chinese calendar that year
            (2007, d(2007, 2, 17)), // the Chinese New Year fell on 18 February
            (2019, d(2019, 2, 5)),
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            // The new moon of 2 February 2030 falls at 23:07 Hà Nội time (00:07 in Beijing):
            // Tết is Saturday 2 February in Vietnam, the 3rd in China.
            (2030, d(2030, 2, 2)),
        ];
        for (year, expected) in cases {
            assert_eq!(tet(year), Some(expected), "{year}");
        }
    }

    #[test]
    fn hung_kings_dates_as_announced() {
        let cases = [
            (2019, d(2019, 4, 14)),
            (2020, d(2020, 4, 2)),
            (2021, d(2021, 4, 21)),
            (2022, d(2022, 4, 10)),
            (2023, d(2023, 4, 29)), // 2023 had a leap 2nd month
            (2024, d(2024, 4, 18)),
            (2025, d(2025, 4, 7)),
            (2026, d(2026, 4, 26)),
        ];
        for (year, expected) in cases {
            assert_eq!(hung_kings(year), Some(expected), "{year}");
        }
    }

    #[test]
    fn refuses_impossible_days() {
        assert_eq!(to_solar(0, 1, 2025), None);
        assert_eq!(to_solar(1, 13, 2025), None);
    }
}
