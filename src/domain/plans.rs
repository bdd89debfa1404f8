//! Plan targets as the documents phrase them (issue 27, point 4): ranges "từ a% đến b%"
//! (`min` plus `aim`), strict bounds ("dưới 1%": `max` with `max_exclusive`), deadlines
//! (`due_on`, evaluated on that date) and a bound that changes in a later year ("Đến năm
//! 2030 giảm xuống 0,5%"). Pure rules; the figures come from `db::indicators`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::enums::{TargetMeasure, TargetOutcome};

/// One bound in hundredths (of a percent for rates, of a unit for counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bound {
    /// Below it: not met (inclusive: the value itself meets it).
    pub min: Option<i64>,
    /// At or above it: exceeded ("từ a% đến b%" is `min: a, aim: b`).
    pub aim: Option<i64>,
    /// Above it (or at it, when `max_exclusive`): not met.
    pub max: Option<i64>,
    /// "dưới 1%": the maximum itself is not met.
    pub max_exclusive: bool,
}

/// The bound that applies from `from_year` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearBound {
    pub from_year: i32,
    pub bound: Bound,
}

/// Whether an actual value (hundredths) meets the bound.
pub fn evaluate(bound: &Bound, actual: Option<i64>) -> TargetOutcome {
    let Some(a) = actual else { return TargetOutcome::NoData };
    let below = bound.min.is_some_and(|m| a < m);
    let above = bound.max.is_some_and(|m| if bound.max_exclusive { a >= m } else { a > m });
    if below || above {
        TargetOutcome::NotMet
    } else if bound.aim.is_some_and(|m| a >= m) {
        TargetOutcome::Exceeded
    } else {
        TargetOutcome::Met
    }
}

/// The measure an indicator is counted in: rates (the `rates.*` figures and the pre-release
/// rates) in percent, everything else as counts.
pub fn measure_of(indicator: &str) -> TargetMeasure {
    if super::indicators::Indicators::is_rate(indicator).unwrap_or(false) {
        TargetMeasure::Rate
    } else {
        TargetMeasure::Count
    }
}

/// A problem with a field of a target.
pub type Problem = (&'static str, &'static str);

/// Checks a bound's shape: a minimum or a maximum; an aim above the minimum and within the
/// maximum; `max_exclusive` only with a maximum; values ≥ 0 and rates at most 100 %.
pub fn check_bound(measure: TargetMeasure, b: &Bound) -> Result<(), Problem> {
    if b.aim.is_some() && b.min.is_none() {
        return Err(("aim", "needs a minimum (a range runs from min to aim)"));
    }
    if b.min.is_none() && b.max.is_none() {
        return Err(("min", "give a minimum, a maximum or both"));
    }
    for (field, v) in [("min", b.min), ("aim", b.aim), ("max", b.max)] {
        if let Some(v) = v {
            if v < 0 || (measure == TargetMeasure::Rate && v > 10_000) {
                return Err((field, if measure == TargetMeasure::Rate { "must be 0–100 (%)" } else { "must be ≥ 0" }));
            }
        }
    }
    if b.max_exclusive && b.max.is_none() {
        return Err(("max_exclusive", "needs a maximum"));
    }
    if let (Some(lo), Some(hi)) = (b.min, b.max) {
        if lo > hi || (b.max_exclusive && lo == hi) {
            return Err(("min", "must be below max"));
        }
    }
    if let Some(aim) = b.aim {
        if b.min.is_some_and(|lo| aim <= lo) {
            return Err(("aim", "must be above min"));
        }
        if b.max.is_some_and(|hi| aim > hi || (b.max_exclusive && aim == hi)) {
            return Err(("aim", "must be within max"));
        }
    }
    Ok(())
}

/// The years a target applies to, its deadline and its later bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetYears {
    pub from_year: i32,
    pub to_year: i32,
    pub due_on: Option<NaiveDate>,
    /// Years from which a later bound applies.
    pub later: Vec<i32>,
}

/// Checks a plan's period: 2000–2100, from ≤ to, at most ten years.
pub fn check_period(from_year: i32, to_year: i32) -> Result<(), Problem> {
    if !(2000..=2100).contains(&from_year) {
        return Err(("from_year", "must be between 2000 and 2100"));
    }
    if !(from_year..=from_year + 10).contains(&to_year) {
        return Err(("to_year", "must be from_year to from_year + 10"));
    }
    Ok(())
}

/// Checks a target's years against its plan's period: within the period; a deadline makes
/// the target a one-year target of the deadline's year; later bounds start in increasing
/// years after the first and within the target's years.
pub fn check_years(plan: (i32, i32), t: &TargetYears) -> Result<(), Problem> {
    if t.from_year < plan.0 || t.from_year > plan.1 {
        return Err(("from_year", "must lie in the plan's period"));
    }
    if t.to_year < t.from_year || t.to_year > plan.1 {
        return Err(("to_year", "must lie between from_year and the plan's last year"));
    }
    if let Some(due) = t.due_on {
        use chrono::Datelike;
        if t.from_year != due.year() || t.to_year != due.year() {
            return Err(("due_on", "a deadline target applies to the deadline's year only"));
        }
    }
    let mut previous = t.from_year;
    for &y in &t.later {
        if y <= previous || y > t.to_year {
            return Err((
                "later_bounds",
                "each from_year must be after the previous one and within the target's years",
            ));
        }
        previous = y;
    }
    Ok(())
}

/// Whether a target applies in `year`.
pub fn applies(from_year: i32, to_year: i32, year: i32) -> bool {
    (from_year..=to_year).contains(&year)
}

/// The bound for `year`: the latest of `bounds` (sorted by `from_year`) that has started.
pub fn bound_for_year(bounds: &[YearBound], year: i32) -> Option<Bound> {
    bounds.iter().rev().find(|b| b.from_year <= year).map(|b| b.bound)
}

/// The period a target is measured on in `year`: the given period, or for a deadline the
/// plan's run from 1 January of its first year to the deadline.
pub fn period_for(
    plan_from_year: i32,
    due_on: Option<NaiveDate>,
    period: (NaiveDate, NaiveDate),
) -> (NaiveDate, NaiveDate) {
    match due_on {
        Some(due) => (NaiveDate::from_ymd_opt(plan_from_year, 1, 1).unwrap_or(due).min(due), due),
        None => period,
    }
}

/// The calendar year as a period.
pub fn year_period(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
}

/// A target measured for a year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TargetProgress {
    pub target_id: String,
    /// The document's own sentence.
    pub text: String,
    pub indicator: String,
    pub measure: TargetMeasure,
    /// The bound that applies this year (percent for rates).
    pub min: Option<f64>,
    pub aim: Option<f64>,
    pub max: Option<f64>,
    pub max_exclusive: bool,
    pub due_on: Option<NaiveDate>,
    /// The period measured: the year (or the report's period), or for a deadline from the
    /// plan's first 1 January to the deadline.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// A rate's numerator, or the count.
    pub numerator: Option<i64>,
    /// A rate's denominator; null for counts.
    pub denominator: Option<i64>,
    /// Percent for rates (null without a denominator), the count otherwise.
    pub value: Option<f64>,
    pub outcome: TargetOutcome,
}

/// A plan's targets measured for a year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PlanProgress {
    pub plan_id: String,
    pub name: String,
    /// The plan's unit or area (`area:<id>`).
    pub unit: String,
    pub year: i32,
    /// The targets that apply in the year, in the document's order.
    pub targets: Vec<TargetProgress>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use TargetOutcome::*;

    fn b(min: Option<i64>, aim: Option<i64>, max: Option<i64>, max_exclusive: bool) -> Bound {
        Bound { min, aim, max, max_exclusive }
    }

    #[test]
    fn ranges_strict_bounds_and_plain_bounds() {
        // "từ 70% đến 80%": min 70, aim 80.
        let range = b(Some(7000), Some(8000), None, false);
        // "dưới 1%": max 1, strict.
        let under_one = b(None, None, Some(100), true);
        // "không quá 1%": max 1, inclusive.
        let at_most_one = b(None, None, Some(100), false);
        // "ít nhất 1 mô hình".
        let at_least_one = b(Some(100), None, None, false);
        let cases = [
            (range, Some(6999), NotMet),
            (range, Some(7000), Met),
            (range, Some(7999), Met),
            (range, Some(8000), Exceeded),
            (range, Some(10_000), Exceeded),
            (range, None, NoData),
            (under_one, Some(99), Met),
            (under_one, Some(100), NotMet),
            (under_one, Some(0), Met),
            (at_most_one, Some(100), Met),
            (at_most_one, Some(101), NotMet),
            (at_least_one, Some(99), NotMet),
            (at_least_one, Some(100), Met),
            (at_least_one, None, NoData),
            // A band with an aim inside it.
            (b(Some(2000), Some(2500), Some(3000), false), Some(2499), Met),
            (b(Some(2000), Some(2500), Some(3000), false), Some(2500), Exceeded),
            (b(Some(2000), Some(2500), Some(3000), false), Some(3000), Exceeded),
            (b(Some(2000), Some(2500), Some(3000), false), Some(3001), NotMet),
        ];
        for (bound, actual, want) in cases {
            assert_eq!(evaluate(&bound, actual), want, "{bound:?} {actual:?}");
        }
    }

    #[test]
    fn bound_shapes() {
        let rate = TargetMeasure::Rate;
        let count = TargetMeasure::Count;
        let cases: [(TargetMeasure, Bound, Result<(), &str>); 14] = [
            (rate, b(Some(7000), Some(8000), None, false), Ok(())),
            (rate, b(None, None, Some(100), true), Ok(())),
            (rate, b(None, None, None, false), Err("min")),
            (rate, b(None, Some(8000), None, false), Err("aim")),
            (rate, b(None, Some(8000), Some(9000), false), Err("aim")),
            (rate, b(Some(8000), Some(8000), None, false), Err("aim")),
            (rate, b(Some(7000), Some(8001), Some(8000), false), Err("aim")),
            (rate, b(Some(7000), Some(8000), Some(8000), true), Err("aim")),
            (rate, b(Some(7000), Some(8000), Some(8000), false), Ok(())),
            (rate, b(Some(100), None, Some(100), true), Err("min")),
            (rate, b(Some(100), None, Some(100), false), Ok(())),
            (rate, b(Some(0), None, Some(10_001), false), Err("max")),
            (count, b(Some(-1), None, None, false), Err("min")),
            (count, b(Some(100), None, None, true), Err("max_exclusive")),
        ];
        for (measure, bound, want) in cases {
            assert_eq!(check_bound(measure, &bound).map_err(|(f, _)| f), want, "{bound:?}");
        }
    }

    #[test]
    fn later_bounds_take_over_from_their_year() {
        // "dưới 1%" from 2025; "Đến năm 2030 giảm xuống 0,5%".
        let bounds = [
            YearBound { from_year: 2025, bound: b(None, None, Some(100), true) },
            YearBound { from_year: 2030, bound: b(None, None, Some(50), false) },
        ];
        assert_eq!(bound_for_year(&bounds, 2024), None);
        assert_eq!(bound_for_year(&bounds, 2025), Some(bounds[0].bound));
        assert_eq!(bound_for_year(&bounds, 2029), Some(bounds[0].bound));
        assert_eq!(bound_for_year(&bounds, 2030), Some(bounds[1].bound));
        assert_eq!(evaluate(&bound_for_year(&bounds, 2029).unwrap(), Some(60)), Met);
        assert_eq!(evaluate(&bound_for_year(&bounds, 2030).unwrap(), Some(50)), Met);
        assert_eq!(evaluate(&bound_for_year(&bounds, 2030).unwrap(), Some(51)), NotMet);
    }

    #[test]
    fn years_periods_and_deadlines() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let t = |from_year, to_year, due_on, later: &[i32]| TargetYears {
            from_year,
            to_year,
            due_on,
            later: later.to_vec(),
        };
        let plan = (2025, 2030);
        let cases = [
            (t(2025, 2030, None, &[2030]), Ok(())),
            (t(2024, 2030, None, &[]), Err("from_year")),
            (t(2031, 2031, None, &[]), Err("from_year")),
            (t(2026, 2025, None, &[]), Err("to_year")),
            (t(2025, 2031, None, &[]), Err("to_year")),
            (t(2025, 2025, Some(d(2025, 11, 10)), &[]), Ok(())),
            (t(2025, 2026, Some(d(2025, 11, 10)), &[]), Err("due_on")),
            (t(2026, 2026, Some(d(2025, 11, 10)), &[]), Err("due_on")),
            (t(2025, 2030, None, &[2025]), Err("later_bounds")),
            (t(2025, 2030, None, &[2031]), Err("later_bounds")),
            (t(2025, 2030, None, &[2028, 2027]), Err("later_bounds")),
            (t(2025, 2030, None, &[2027, 2028]), Ok(())),
        ];
        for (years, want) in cases {
            assert_eq!(check_years(plan, &years).map_err(|(f, _)| f), want, "{years:?}");
        }
        assert_eq!(check_period(2025, 2030).map_err(|(f, _)| f), Ok(()));
        assert_eq!(check_period(2025, 2025).map_err(|(f, _)| f), Ok(()));
        assert_eq!(check_period(2025, 2024).map_err(|(f, _)| f), Err("to_year"));
        assert_eq!(check_period(2025, 2036).map_err(|(f, _)| f), Err("to_year"));
        assert_eq!(check_period(2025, 2035).map_err(|(f, _)| f), Ok(()));
        assert_eq!(check_period(1999, 2001).map_err(|(f, _)| f), Err("from_year"));
        assert!(applies(2021, 2025, 2021) && applies(2021, 2025, 2025));
        assert!(!applies(2021, 2025, 2020) && !applies(2021, 2025, 2026));
        let year = year_period(2025).unwrap();
        assert_eq!(year, (d(2025, 1, 1), d(2025, 12, 31)));
        assert_eq!(period_for(2025, None, year), year);
        assert_eq!(period_for(2025, Some(d(2025, 11, 10)), year), (d(2025, 1, 1), d(2025, 11, 10)));
        assert_eq!(period_for(2021, Some(d(2023, 3, 1)), year), (d(2021, 1, 1), d(2023, 3, 1)));
        assert_eq!(measure_of("rates.trained"), TargetMeasure::Rate);
        assert_eq!(measure_of("received.total"), TargetMeasure::Count);
        assert_eq!(measure_of("pre_release.trained_of_held"), TargetMeasure::Rate);
    }
}
