//! Interest on loans in integer VND. Rates are basis points per year (660 = 6.60 %).
//!
//! Conventions:
//! * Simple interest, actual/365 day count, counting the first day of a period and not the
//!   last (tính ngày đầu, bỏ ngày cuối: Circular 14/2017/TT-NHNN Art. 4(1)); so a sum
//!   lent on 1 January and repaid on 31 January bears 30 days.
//! * Each piece is `principal × rate_bp × days / (10,000 × 365)` rounded half up to whole
//!   VND, computed in i128 so nothing overflows.
//! * Overdue principal bears 130 % of the loan rate (Decision 22/2023/QĐ-TTg Art. 9(2)),
//!   rounded half up to whole basis points. The due date is the last day of the term and
//!   still bears the loan rate: overdue interest starts the day after it (a loan due on
//!   15 February and repaid on 16 February owes no overdue interest; repaid on the 17th,
//!   one overdue day, the 16th).

use chrono::{Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatePeriod {
    pub effective_from: NaiveDate,
    pub annual_rate_bp: u32,
}

/// The rate in force on a date: the latest entry that took effect on or before it.
pub fn rate_on(table: &[RatePeriod], on: NaiveDate) -> Option<u32> {
    table.iter().filter(|r| r.effective_from <= on).max_by_key(|r| r.effective_from).map(|r| r.annual_rate_bp)
}

pub fn overdue_rate_bp(rate_bp: u32) -> u32 {
    ((rate_bp as u64 * 130 + 50) / 100) as u32
}

fn round_half_up(numerator: i128, denominator: i128) -> i64 {
    ((numerator * 2 + denominator) / (denominator * 2)) as i64
}

pub fn interest(principal_vnd: i64, rate_bp: u32, from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days();
    if days <= 0 || principal_vnd <= 0 {
        return 0;
    }
    round_half_up(principal_vnd as i128 * rate_bp as i128 * days as i128, 10_000 * 365)
}

/// First day that bears the overdue rate: the day after the due date.
pub fn overdue_from(due_on: NaiveDate) -> NaiveDate {
    due_on.succ_opt().unwrap_or(due_on)
}

/// Interest over balance changes `(date, principal outstanding from that date)`, sorted by
/// date, up to `to` (not counted); days after `due_on` bear the overdue rate.
pub fn accrued_interest(events: &[(NaiveDate, i64)], rate_bp: u32, due_on: Option<NaiveDate>, to: NaiveDate) -> i64 {
    let mut total = 0;
    for (i, (start, balance)) in events.iter().enumerate() {
        let end = events.get(i + 1).map(|(d, _)| *d).unwrap_or(to).min(to);
        if end <= *start {
            continue;
        }
        match due_on.map(overdue_from) {
            Some(overdue) if overdue < end => {
                let split = overdue.max(*start);
                total += interest(*balance, rate_bp, *start, split);
                total += interest(*balance, overdue_rate_bp(rate_bp), split, end);
            }
            _ => total += interest(*balance, rate_bp, *start, end),
        }
    }
    total
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instalment {
    pub due_on: NaiveDate,
    pub principal_vnd: i64,
}

/// Equal principal instalments every `every_months` months from `start`; the last absorbs
/// the remainder so the sum is exact. Month ends clamp (31 Jan + 1 month = 28/29 Feb).
pub fn schedule(principal_vnd: i64, start: NaiveDate, term_months: u32, every_months: u32) -> Vec<Instalment> {
    let every = every_months.max(1);
    let count = term_months.max(1).div_ceil(every);
    let each = principal_vnd / count as i64;
    (1..=count)
        .map(|k| {
            let months = (k * every).min(term_months.max(1));
            Instalment {
                due_on: start.checked_add_months(Months::new(months)).unwrap_or(start),
                principal_vnd: if k == count { principal_vnd - each * (count as i64 - 1) } else { each },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn simple_interest_values() {
        assert_eq!(interest(100_000_000, 660, d(2024, 1, 1), d(2024, 12, 31)), 6_600_000); // 365 days
                                                                                           // 100,000,000 × 660 × 30 / 3,650,000 = 542,465.75… → 542,466
        assert_eq!(interest(100_000_000, 660, d(2024, 1, 1), d(2024, 1, 31)), 542_466);
        assert_eq!(interest(100_000_000, 660, d(2024, 1, 1), d(2024, 1, 1)), 0);
        assert_eq!(interest(1, 660, d(2024, 1, 1), d(2024, 1, 2)), 0);
    }

    #[test]
    fn overdue_rate_is_130_percent() {
        assert_eq!(overdue_rate_bp(660), 858);
        assert_eq!(overdue_rate_bp(655), 852); // 851.5 rounds up
    }

    #[test]
    fn rate_table_boundaries() {
        let table = [
            RatePeriod { effective_from: d(2023, 10, 10), annual_rate_bp: 660 },
            RatePeriod { effective_from: d(2025, 1, 1), annual_rate_bp: 690 },
        ];
        assert_eq!(rate_on(&table, d(2023, 10, 9)), None);
        assert_eq!(rate_on(&table, d(2023, 10, 10)), Some(660));
        assert_eq!(rate_on(&table, d(2024, 12, 31)), Some(660));
        assert_eq!(rate_on(&table, d(2025, 1, 1)), Some(690));
    }

    #[test]
    fn accrual_across_repayment_and_overdue() {
        // 100m for 30 days, then 50m for 30 days.
        let events = [(d(2024, 1, 1), 100_000_000), (d(2024, 1, 31), 50_000_000)];
        let expected = interest(100_000_000, 660, d(2024, 1, 1), d(2024, 1, 31))
            + interest(50_000_000, 660, d(2024, 1, 31), d(2024, 3, 1));
        assert_eq!(accrued_interest(&events, 660, None, d(2024, 3, 1)), expected);
        // Due 15 Feb: the 15th bears the loan rate, the 16th onwards the overdue rate.
        let overdue = interest(100_000_000, 660, d(2024, 1, 1), d(2024, 1, 31))
            + interest(50_000_000, 660, d(2024, 1, 31), d(2024, 2, 16))
            + interest(50_000_000, 858, d(2024, 2, 16), d(2024, 3, 1));
        assert_eq!(accrued_interest(&events, 660, Some(d(2024, 2, 15)), d(2024, 3, 1)), overdue);
        assert_eq!(accrued_interest(&[], 660, None, d(2024, 3, 1)), 0);
    }

    #[test]
    fn overdue_interest_starts_the_day_after_the_due_date() {
        // 3,650,000 VND at 10.00 % is 1,000 VND a day; overdue (13.00 %) 1,300 VND a day.
        let lent = [(d(2024, 1, 1), 3_650_000)];
        let due = Some(d(2024, 1, 11));
        let cases = [
            // (asked on, interest): first day counted, last not.
            (d(2024, 1, 1), 0),
            (d(2024, 1, 2), 1_000),           // 1 Jan
            (d(2024, 1, 11), 10_000),         // 1–10 Jan; the due date not yet counted
            (d(2024, 1, 12), 11_000),         // the due date itself at the loan rate
            (d(2024, 1, 13), 11_000 + 1_300), // 12 Jan, the first overdue day
            (d(2024, 1, 21), 11_000 + 9 * 1_300),
        ];
        for (to, expected) in cases {
            assert_eq!(accrued_interest(&lent, 1_000, due, to), expected, "{to}");
        }
        assert_eq!(overdue_from(d(2024, 2, 29)), d(2024, 3, 1));
        // A balance that starts after the due date bears the overdue rate from its first day.
        let late = [(d(2024, 1, 15), 3_650_000)];
        assert_eq!(accrued_interest(&late, 1_000, due, d(2024, 1, 16)), 1_300);
    }

    #[test]
    fn schedules_sum_exactly() {
        let s = schedule(100_000_000, d(2024, 1, 31), 36, 6);
        assert_eq!(s.len(), 6);
        assert_eq!(s.iter().map(|i| i.principal_vnd).sum::<i64>(), 100_000_000);
        assert_eq!(s[0].due_on, d(2024, 7, 31));
        let odd = schedule(10_000_001, d(2024, 1, 31), 3, 1);
        assert_eq!(odd.iter().map(|i| i.principal_vnd).collect::<Vec<_>>(), vec![3_333_333, 3_333_333, 3_333_335]);
        assert_eq!(odd[0].due_on, d(2024, 2, 29));
        assert_eq!(schedule(1_000, d(2024, 1, 1), 7, 6).len(), 2);
    }
}
