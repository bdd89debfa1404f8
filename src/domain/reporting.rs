//! Report rules: rates, targets, the report lifecycle, due dates and period checks.
//! Pure functions; the figures themselves come from SQL aggregates in `db::reports`.

use chrono::{Datelike, NaiveDate};

use super::enums::{PeriodKind, ReportStatus, TargetMeasure, TargetOutcome};

/// `numerator / denominator` in hundredths of a percent, rounded half up; `None` without a
/// denominator. Integer arithmetic so 134 / 1,797 is exactly 746 (7.46 %).
pub fn rate_hundredths(numerator: i64, denominator: i64) -> Option<i64> {
    if denominator <= 0 {
        return None;
    }
    Some((numerator * 20_000 + denominator) / (2 * denominator))
}

/// A target's bounds in hundredths (of a percent for rates, of a unit for counts); both
/// bounds are inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Whether an actual value (hundredths) meets the bounds.
pub fn evaluate(bounds: Bounds, actual: Option<i64>) -> TargetOutcome {
    match actual {
        None => TargetOutcome::NoData,
        Some(a) if bounds.min.is_some_and(|m| a < m) || bounds.max.is_some_and(|m| a > m) => TargetOutcome::NotMet,
        Some(_) => TargetOutcome::Met,
    }
}

/// Checks a target's shape: at least one bound, min ≤ max, rates within 0–100 %.
pub fn check_bounds(measure: TargetMeasure, bounds: Bounds) -> Result<(), (&'static str, &'static str)> {
    if bounds.min.is_none() && bounds.max.is_none() {
        return Err(("min", "give a minimum, a maximum or both"));
    }
    if let (Some(lo), Some(hi)) = (bounds.min, bounds.max) {
        if lo > hi {
            return Err(("min", "must not exceed max"));
        }
    }
    for (field, v) in [("min", bounds.min), ("max", bounds.max)] {
        if let Some(v) = v {
            if v < 0 || (measure == TargetMeasure::Rate && v > 10_000) {
                return Err((field, if measure == TargetMeasure::Rate { "must be 0–100 (%)" } else { "must be ≥ 0" }));
            }
        }
    }
    Ok(())
}

/// The report actions and where they lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    Edit,
    Submit,
    Accept,
    Return,
    Revise,
}

impl ReportAction {
    pub fn name(self) -> &'static str {
        match self {
            ReportAction::Edit => "edit",
            ReportAction::Submit => "submit",
            ReportAction::Accept => "accept",
            ReportAction::Return => "return",
            ReportAction::Revise => "revise",
        }
    }
}

/// The next status after `action`, or the actions allowed from `status`. A submitted report
/// never changes again: corrections are new versions (`revise`), allowed once it is
/// returned, or while it waits, to replace it.
pub fn report_step(status: ReportStatus, action: ReportAction) -> Result<ReportStatus, Vec<&'static str>> {
    use ReportAction as A;
    use ReportStatus as S;
    let next = match (status, action) {
        (S::Draft, A::Edit) => Some(S::Draft),
        (S::Draft, A::Submit) => Some(S::Submitted),
        (S::Submitted, A::Accept) => Some(S::Accepted),
        (S::Submitted, A::Return) => Some(S::Returned),
        (S::Returned | S::Submitted | S::Accepted, A::Revise) => Some(S::Draft),
        _ => None,
    };
    next.ok_or_else(|| {
        let allowed: &[A] = match status {
            S::Draft => &[A::Edit, A::Submit],
            S::Submitted => &[A::Accept, A::Return, A::Revise],
            S::Accepted => &[A::Revise],
            S::Returned => &[A::Revise],
        };
        allowed.iter().map(|a| a.name()).collect()
    })
}

/// Due dates (month, day) per period kind, from `semiannual=05-15,annual=11-15`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDates(pub Vec<(PeriodKind, u32, u32)>);

impl Default for DueDates {
    fn default() -> Self {
        DueDates(vec![(PeriodKind::Semiannual, 5, 15), (PeriodKind::Annual, 11, 15)])
    }
}

impl DueDates {
    pub fn parse(text: &str) -> Result<DueDates, String> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, date) = part.split_once('=').ok_or_else(|| format!("`{part}`: expected kind=MM-DD"))?;
            let kind = PeriodKind::parse(kind.trim()).ok_or_else(|| format!("`{kind}`: unknown period kind"))?;
            let (m, d) = date.trim().split_once('-').ok_or_else(|| format!("`{date}`: expected MM-DD"))?;
            let (m, d): (u32, u32) = (m.parse().map_err(|_| "bad month")?, d.parse().map_err(|_| "bad day")?);
            // 2024 is a leap year, so 02-29 is accepted and falls back to 02-28 elsewhere.
            NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(|| format!("`{date}`: not a date"))?;
            out.push((kind, m, d));
        }
        Ok(DueDates(out))
    }

    /// The due date for a report of `kind` on a period ending in `year`.
    pub fn due(&self, kind: PeriodKind, year: i32) -> Option<NaiveDate> {
        self.0.iter().find(|(k, _, _)| *k == kind).and_then(|(_, m, d)| {
            NaiveDate::from_ymd_opt(year, *m, *d).or_else(|| NaiveDate::from_ymd_opt(year, *m, 28))
        })
    }
}

/// Longest period a report or an indicator query may cover (a five-year review, with slack).
pub const MAX_PERIOD_DAYS: i64 = 6 * 366;

/// Checks a reporting period.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), (&'static str, &'static str)> {
    if from > to {
        return Err(("from", "must not be after `to`"));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(("to", "the period is longer than six years"));
    }
    if from.year() < 1990 {
        return Err(("from", "must be 1990 or later"));
    }
    Ok(())
}

/// A figure that differs between a submitted report and the live data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub key: String,
    pub submitted: Option<i64>,
    pub live: Option<i64>,
}

/// Figures present in either set whose values differ.
pub fn differences(submitted: &[(String, Option<i64>)], live: &[(String, Option<i64>)]) -> Vec<Difference> {
    let mut out = Vec::new();
    for (key, live_value) in live {
        let sub = submitted.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
        match sub {
            Some(s) if s == *live_value => {}
            Some(s) => out.push(Difference { key: key.clone(), submitted: s, live: *live_value }),
            None => out.push(Difference { key: key.clone(), submitted: None, live: *live_value }),
        }
    }
    for (key, s) in submitted {
        if !live.iter().any(|(k, _)| k == key) {
            out.push(Difference { key: key.clone(), submitted: *s, live: None });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_in_hundredths() {
        let cases = [
            (134, 1797, Some(746)), // the province example: 7.46 %
            (1, 3, Some(3333)),
            (2, 3, Some(6667)),
            (1, 8, Some(1250)),
            (1, 16, Some(625)),
            (1, 20_000, Some(1)), // 0.005 % → 0.01 % (half up)
            (1, 20_001, Some(0)),
            (0, 10, Some(0)),
            (10, 10, Some(10_000)),
            (3, 0, None),
        ];
        for (n, d, want) in cases {
            assert_eq!(rate_hundredths(n, d), want, "{n}/{d}");
        }
    }

    #[test]
    fn targets_are_inclusive_bounds() {
        let under_one = Bounds { min: None, max: Some(100) };
        let band = Bounds { min: Some(2000), max: Some(2500) };
        let cases = [
            (under_one, Some(99), TargetOutcome::Met),
            (under_one, Some(100), TargetOutcome::Met),
            (under_one, Some(746), TargetOutcome::NotMet),
            (under_one, None, TargetOutcome::NoData),
            (band, Some(1999), TargetOutcome::NotMet),
            (band, Some(2000), TargetOutcome::Met),
            (band, Some(2500), TargetOutcome::Met),
            (band, Some(2501), TargetOutcome::NotMet),
        ];
        for (b, actual, want) in cases {
            assert_eq!(evaluate(b, actual), want, "{b:?} {actual:?}");
        }
        assert!(check_bounds(TargetMeasure::Rate, Bounds { min: None, max: None }).is_err());
        assert!(check_bounds(TargetMeasure::Rate, Bounds { min: Some(3000), max: Some(2000) }).is_err());
        assert!(check_bounds(TargetMeasure::Rate, Bounds { min: None, max: Some(10_001) }).is_err());
        assert!(check_bounds(TargetMeasure::Count, Bounds { min: Some(50_000), max: None }).is_ok());
        assert!(check_bounds(TargetMeasure::Count, Bounds { min: Some(-1), max: None }).is_err());
    }

    #[test]
    fn report_lifecycle() {
        use ReportAction as A;
        use ReportStatus as S;
        let cases = [
            (S::Draft, A::Edit, Some(S::Draft)),
            (S::Draft, A::Submit, Some(S::Submitted)),
            (S::Draft, A::Accept, None),
            (S::Submitted, A::Edit, None),
            (S::Submitted, A::Submit, None),
            (S::Submitted, A::Accept, Some(S::Accepted)),
            (S::Submitted, A::Return, Some(S::Returned)),
            (S::Returned, A::Edit, None),
            (S::Returned, A::Revise, Some(S::Draft)),
            (S::Accepted, A::Return, None),
            (S::Accepted, A::Revise, Some(S::Draft)),
        ];
        for (from, action, want) in cases {
            assert_eq!(report_step(from, action).ok(), want, "{from:?} {action:?}");
        }
        assert_eq!(report_step(S::Submitted, A::Edit).unwrap_err(), vec!["accept", "return", "revise"]);
    }

    #[test]
    fn due_dates_parse_and_resolve() {
        let d = DueDates::parse("semiannual=05-15, annual=12-10").unwrap();
        assert_eq!(d.due(PeriodKind::Semiannual, 2026), NaiveDate::from_ymd_opt(2026, 5, 15));
        assert_eq!(d.due(PeriodKind::Annual, 2026), NaiveDate::from_ymd_opt(2026, 12, 10));
        assert_eq!(d.due(PeriodKind::Phase, 2026), None);
        assert_eq!(
            DueDates::parse("annual=02-29").unwrap().due(PeriodKind::Annual, 2027),
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert!(DueDates::parse("monthly=01-01").is_err());
        assert!(DueDates::parse("annual=13-01").is_err());
        assert!(DueDates::parse("annual").is_err());
        assert_eq!(DueDates::default().due(PeriodKind::Annual, 2025), NaiveDate::from_ymd_opt(2025, 11, 15));
    }

    #[test]
    fn periods() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert!(check_period(d(2025, 1, 1), d(2025, 12, 31)).is_ok());
        assert!(check_period(d(2025, 1, 1), d(2025, 1, 1)).is_ok());
        assert!(check_period(d(2025, 2, 1), d(2025, 1, 1)).is_err());
        assert!(check_period(d(2015, 1, 1), d(2025, 1, 1)).is_err());
        assert!(check_period(d(2020, 6, 1), d(2024, 8, 31)).is_ok());
    }

    #[test]
    fn differences_list_changed_missing_and_extra_figures() {
        let s = vec![("a".to_string(), Some(1)), ("b".to_string(), Some(2)), ("gone".to_string(), Some(5))];
        let l = vec![("a".to_string(), Some(1)), ("b".to_string(), Some(3)), ("new".to_string(), None)];
        let d = differences(&s, &l);
        assert_eq!(
            d,
            vec![
                Difference { key: "b".into(), submitted: Some(2), live: Some(3) },
                Difference { key: "new".into(), submitted: None, live: None },
                Difference { key: "gone".into(), submitted: Some(5), live: None },
            ]
        );
    }
}
