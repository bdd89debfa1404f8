//! Working days and the end of legal periods.
//!
//! * A working day is a day that is neither a weekly day off (Saturday and Sunday, the
//!   public service's 40-hour week, Decision 188/1999/QĐ-TTg) nor a public holiday, a
//!   compensatory day off or a day off swapped by the Government's announcement; a Saturday
//!   the announcement makes a working day (làm bù) is one.
//! * Public holidays, Labour Code 2019 Art. 112(1): 1 January; Tết, 5 days; 30 April;
//!   1 May; 2 September and one adjacent day; the Hùng Kings' day (10th of the 3rd lunar
//!   month). Before 2021 (Labour Code 2012 Art. 115) 2 September was a single day.
//!   A holiday on a weekly day off gives a compensatory day on the next working day
//!   (Art. 111(3)). The Government announces each year which five days of Tết are taken,
//!   which adjacent day goes with 2 September, and any swap for the public service.
//! * The dated table of those days is data (`data/holidays-vn.csv`), as announced for
//!   2019–2026; for 2027–2030, and for any later year the table does not hold, the days are
//!   computed from the statute and the lunar calendar ([`statutory_days`]): Tết is taken as
//!   the last day of the lunar year and the first four of the new one, the day after
//!   2 September when it is a Sunday, Monday or Thursday and the day before otherwise, and no
//!   swap. Admins add the announced days through `POST /holidays`.
//! * Civil Code 2015 Art. 148(5): when the last day of a period is a weekly day off or a
//!   public holiday, the period ends at the end of the next working day ([`Calendar::period_end`]).
//!   Art. 147(1): a period counted in days starts the day after the event, so "within 5 days
//!   of release" ends on release + 5 days, moved by Art. 148(5) (a parolee's report to the
//!   commune, Circular 10/2024/TT-BCA).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::lunar;

/// What a dated calendar entry makes of its day.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (ngày nghỉ lễ, tết), Labour Code Art. 112(1).
    Holiday,
    /// A compensatory day off for a holiday on a weekly day off (nghỉ bù), Art. 111(3).
    Compensatory,
    /// A working day swapped for a later Saturday (nghỉ hoán đổi) by the Government's announcement.
    Swapped,
    /// A working day by the Government's announcement: a make-up Saturday (làm bù), or a
    /// weekday the shipped table had computed as a day off and the announcement did not.
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Compensatory => "compensatory",
            DayKind::Swapped => "swapped",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "compensatory" => Some(DayKind::Compensatory),
            "swapped" => Some(DayKind::Swapped),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }

    pub fn is_day_off(self) -> bool {
        self != DayKind::Workday
    }
}

crate::text_enum_sql!(DayKind, diesel::sqlite::Sqlite);
crate::text_enum_sql!(DayKind, diesel::pg::Pg);

/// One dated entry of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    /// `announced` (the Government's announcement for the year), `statutory` (the Labour
    /// Code's fixed day) or `computed` (statute and lunar calendar; no announcement known).
    pub basis: String,
}

const SHIPPED_CSV: &str = include_str!("../../data/holidays-vn.csv");

/// The shipped table, parsed once. A malformed line is a build defect, caught by the tests.
pub fn shipped() -> &'static [CalendarDay] {
    static TABLE: OnceLock<Vec<CalendarDay>> = OnceLock::new();
    TABLE.get_or_init(|| parse_table(SHIPPED_CSV).unwrap_or_default())
}

/// Parses `date,kind,basis,name` lines (a header line and `#` comments skipped).
pub fn parse_table(csv: &str) -> Result<Vec<CalendarDay>, String> {
    let mut out = Vec::new();
    for (i, line) in csv.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("date,") {
            continue;
        }
        let mut parts = line.splitn(4, ',');
        let (Some(date), Some(kind), Some(basis), Some(name)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("line {}: four fields expected", i + 1));
        };
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|e| format!("line {}: {e}", i + 1))?;
        let kind = DayKind::parse(kind).ok_or_else(|| format!("line {}: unknown kind {kind}", i + 1))?;
        out.push(CalendarDay { date, kind, name: name.trim().to_string(), basis: basis.to_string() });
    }
    Ok(out)
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days the Labour Code alone gives in `year` (no announcement): Art. 112(1) with the
/// readings in the module comment, and Art. 111(3) compensatory days.
pub fn statutory_days(year: i32) -> Vec<CalendarDay> {
    let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) else { return Vec::new() };
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(jan1);
    let mut holidays: Vec<(NaiveDate, &str)> = vec![
        (jan1, "Tết Dương lịch"),
        (day(4, 30), "Ngày Chiến thắng"),
        (day(5, 1), "Ngày Quốc tế lao động"),
        (day(9, 2), "Quốc khánh"),
    ];
    let national = day(9, 2);
    let adjacent = if matches!(national.weekday(), Weekday::Sun | Weekday::Mon | Weekday::Thu) {
        national + Days::new(1)
    } else {
        national - Days::new(1)
    };
    holidays.push((adjacent, "Quốc khánh (ngày liền kề)"));
    if let Some(tet) = lunar::tet(year) {
        for offset in -1i64..=3 {
            let date = if offset < 0 { tet - Days::new(1) } else { tet + Days::new(offset as u64) };
            holidays.push((date, "Tết Nguyên đán"));
        }
    }
    if let Some(hung) = lunar::hung_kings(year) {
        holidays.push((hung, "Giỗ Tổ Hùng Vương"));
    }
    holidays.sort();
    let taken: BTreeSet<NaiveDate> = holidays.iter().map(|(d, _)| *d).collect();
    let mut compensatory: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut out: Vec<CalendarDay> = Vec::new();
    for (date, name) in &holidays {
        out.push(CalendarDay { date: *date, kind: DayKind::Holiday, name: name.to_string(), basis: "computed".into() });
        if weekend(*date) {
            let mut next = *date + Days::new(1);
            while weekend(next) || taken.contains(&next) || compensatory.contains(&next) {
                next = next + Days::new(1);
            }
            compensatory.insert(next);
            out.push(CalendarDay {
                date: next,
                kind: DayKind::Compensatory,
                name: format!("Nghỉ bù {name}"),
                basis: "computed".into(),
            });
        }
    }
    out.sort_by_key(|c| c.date);
    out
}

/// Days off and working weekend days, from the shipped table, the days admins added, and
/// for years neither covers with a table the statutory days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
    /// Years the shipped table covers (the statutory computation is used for the others).
    table_years: BTreeSet<i32>,
    /// Whether years outside the table get the statutory days.
    statutory: bool,
}

impl Calendar {
    /// Saturdays and Sundays only (no holidays): for tests and the old behaviour.
    pub fn weekends_only() -> Calendar {
        Calendar::default()
    }

    /// The shipped table plus `added` (the admins' days, which win on the same date).
    pub fn new(shipped: &[CalendarDay], added: &[CalendarDay]) -> Calendar {
        let mut days = BTreeMap::new();
        let mut table_years = BTreeSet::new();
        for d in shipped {
            days.insert(d.date, d.kind);
            table_years.insert(d.date.year());
        }
        for d in added {
            days.insert(d.date, d.kind);
        }
        Calendar { days, table_years, statutory: true }
    }

    /// The kind the calendar gives `date`, if any.
    pub fn kind_of(&self, date: NaiveDate) -> Option<DayKind> {
        if let Some(kind) = self.days.get(&date) {
            return Some(*kind);
        }
        if !self.statutory || self.table_years.contains(&date.year()) {
            return None;
        }
        statutory_days(date.year()).into_iter().find(|c| c.date == date).map(|c| c.kind)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.kind_of(date) {
            Some(kind) => !kind.is_day_off(),
            None => !weekend(date),
        }
    }

    /// The `days`-th working day after `start` (`start` itself not counted).
    pub fn add_working_days(&self, start: NaiveDate, days: u32) -> NaiveDate {
        let mut date = start;
        let mut left = days;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Civil Code Art. 148(5): a period whose last day is a day off ends on the next working day.
    pub fn period_end(&self, last_day: NaiveDate) -> NaiveDate {
        let mut date = last_day;
        while !self.is_working_day(date) {
            date = date + Days::new(1);
        }
        date
    }

    /// Last day of a period of `days` days from an event (Arts. 147(1), 148(1) and 148(5)).
    pub fn days_after(&self, event: NaiveDate, days: u64) -> NaiveDate {
        self.period_end(event + Days::new(days))
    }
}

/// Where a listed day comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The shipped table (`data/holidays-vn.csv`).
    Shipped,
    /// Computed from the statute for a year the table does not hold.
    Statute,
    /// Added by an admin.
    Added,
}

/// Every dated entry of a year as the calendar uses it: the shipped table's year (or the
/// statutory computation when the table lacks the year) overlaid with the added days.
pub fn year_listing(year: i32, shipped: &[CalendarDay], added: &[CalendarDay]) -> Vec<(CalendarDay, Source)> {
    let mut days: BTreeMap<NaiveDate, (CalendarDay, Source)> = BTreeMap::new();
    let table: Vec<&CalendarDay> = shipped.iter().filter(|d| d.date.year() == year).collect();
    if table.is_empty() {
        for d in statutory_days(year) {
            days.insert(d.date, (d, Source::Statute));
        }
    } else {
        for d in table {
            days.insert(d.date, (d.clone(), Source::Shipped));
        }
    }
    for d in added.iter().filter(|d| d.date.year() == year) {
        days.insert(d.date, (d.clone(), Source::Added));
    }
    days.into_values().collect()
}

/// Working days with weekends only (kept for callers without a calendar).
pub fn add_working_days(start: NaiveDate, days: u32) -> NaiveDate {
    Calendar::weekends_only().add_working_days(start, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn shipped_calendar() -> Calendar {
        Calendar::new(shipped(), &[])
    }

    #[test]
    fn skips_weekends() {
        // Thursday + 3 working days = Tuesday.
        assert_eq!(add_working_days(d(2026, 11, 19), 3), d(2026, 11, 24));
        // Monday + 3 = Thursday.
        assert_eq!(add_working_days(d(2026, 11, 16), 3), d(2026, 11, 19));
        // Saturday + 1 = Monday.
        assert_eq!(add_working_days(d(2026, 11, 21), 1), d(2026, 11, 23));
        assert_eq!(add_working_days(d(2026, 11, 21), 0), d(2026, 11, 21));
    }

    #[test]
    fn the_shipped_table_parses_and_covers_2019_to_2030() {
        let table = parse_table(SHIPPED_CSV).expect("data/holidays-vn.csv parses");
        assert_eq!(table.len(), shipped().len());
        let years: BTreeSet<i32> = table.iter().map(|c| c.date.year()).collect();
        assert_eq!(years, (2019..=2030).collect());
        // No date twice, and a make-up working day is always a weekend day.
        let dates: BTreeSet<NaiveDate> = table.iter().map(|c| c.date).collect();
        assert_eq!(dates.len(), table.len());
        for c in &table {
            assert!(c.kind != DayKind::Workday || weekend(c.date), "{c:?}");
            assert!(matches!(c.basis.as_str(), "announced" | "statutory" | "computed"), "{c:?}");
        }
    }

    #[test]
    fn every_year_has_the_eleven_statutory_holidays() {
        // Labour Code 2019 Art. 112(1): 11 days from 2021; Labour Code 2012 Art. 115: 10 before.
        for year in 2019..=2030 {
            let holidays = shipped().iter().filter(|c| c.date.year() == year && c.kind == DayKind::Holiday).count();
            assert_eq!(holidays, if year < 2021 { 10 } else { 11 }, "{year}");
        }
    }

    #[test]
    fn lunar_holidays_in_the_table_match_the_lunar_calendar() {
        for year in 2019..=2030 {
            let tet = lunar::tet(year).unwrap();
            let hung = lunar::hung_kings(year).unwrap();
            let is_holiday = |date| shipped().iter().any(|c| c.date == date && c.kind == DayKind::Holiday);
            assert!(is_holiday(tet), "Tết {year} = {tet}");
            assert!(is_holiday(hung), "Hùng Kings {year} = {hung}");
        }
    }

    #[test]
    fn computed_years_in_the_table_are_the_statutory_computation() {
        for year in 2027..=2030 {
            let table: Vec<_> = shipped().iter().filter(|c| c.date.year() == year).cloned().collect();
            let computed = statutory_days(year);
            let pairs = |v: &[CalendarDay]| v.iter().map(|c| (c.date, c.kind)).collect::<Vec<_>>();
            assert_eq!(pairs(&table), pairs(&computed), "{year}");
        }
    }

    #[test]
    fn working_days_around_announced_holidays() {
        let cal = shipped_calendar();
        let cases = [
            // (start, n, expected, why)
            (d(2026, 2, 12), 3, d(2026, 2, 24), "Thu 12/2/2026 + 3: Fri 13, then Tết 14–22 off, Mon 23, Tue 24"),
            (d(2025, 4, 25), 1, d(2025, 4, 26), "Sat 26/4/2025 is a make-up working day"),
            (d(2025, 4, 29), 1, d(2025, 5, 5), "30/4, 1/5 holidays, Fri 2/5 swapped, weekend"),
            (d(2024, 8, 30), 1, d(2024, 9, 4), "2/9 and 3/9/2024"),
            (d(2023, 4, 28), 1, d(2023, 5, 4), "Hùng Kings Sat 29/4, 30/4 Sun, 1/5, compensatory 2/5 and 3/5"),
            (d(2022, 12, 30), 1, d(2023, 1, 3), "1/1/2023 a Sunday: compensatory Mon 2/1"),
            (d(2021, 9, 1), 1, d(2021, 9, 6), "2/9 and 3/9/2021"),
            (d(2019, 1, 4), 1, d(2019, 1, 5), "Sat 5/1/2019 a make-up working day"),
        ];
        for (start, n, expected, why) in cases {
            assert_eq!(cal.add_working_days(start, n), expected, "{why}");
        }
    }

    #[test]
    fn period_end_moves_to_the_next_working_day() {
        // Civil Code Art. 148(5).
        let cal = shipped_calendar();
        let cases = [
            (d(2026, 11, 20), d(2026, 11, 20)), // a Friday: unchanged
            (d(2026, 11, 21), d(2026, 11, 23)), // Saturday → Monday
            (d(2026, 11, 22), d(2026, 11, 23)), // Sunday → Monday
            (d(2026, 2, 14), d(2026, 2, 23)),   // in the Tết break → Monday after it
            (d(2026, 4, 30), d(2026, 5, 4)),    // 30/4 Thu, 1/5 Fri, weekend → Mon 4/5
            (d(2025, 4, 26), d(2025, 4, 26)),   // a make-up Saturday is a working day
        ];
        for (last, expected) in cases {
            assert_eq!(cal.period_end(last), expected, "{last}");
        }
        // A parolee released on Mon 9/2/2026 has 5 days: Sat 14/2 falls in Tết → Mon 23/2.
        assert_eq!(cal.days_after(d(2026, 2, 9), 5), d(2026, 2, 23));
        // Released Tue 10/11/2026: Sun 15/11 → Mon 16/11.
        assert_eq!(cal.days_after(d(2026, 11, 10), 5), d(2026, 11, 16));
        // Released Mon 16/11/2026: Sat 21/11 → Mon 23/11; released Wed 4/11: Mon 9/11, unchanged.
        assert_eq!(cal.days_after(d(2026, 11, 16), 5), d(2026, 11, 23));
        assert_eq!(cal.days_after(d(2026, 11, 4), 5), d(2026, 11, 9));
    }

    #[test]
    fn statutory_computation_for_years_beyond_the_table() {
        let cal = shipped_calendar();
        // 2031: Tết is Thu 23/1/2031; the eve Wed 22/1 and 23–26/1 (26 a Sunday, 25 a Saturday).
        assert_eq!(lunar::tet(2031), Some(d(2031, 1, 23)));
        assert!(!cal.is_working_day(d(2031, 1, 22)));
        assert!(!cal.is_working_day(d(2031, 1, 24)));
        // Two holidays on the weekend: compensatory Mon 27 and Tue 28.
        assert!(!cal.is_working_day(d(2031, 1, 27)));
        assert!(!cal.is_working_day(d(2031, 1, 28)));
        assert!(cal.is_working_day(d(2031, 1, 29)));
        // Fixed days.
        assert!(!cal.is_working_day(d(2031, 4, 30)));
        assert!(!cal.is_working_day(d(2031, 5, 1)));
        assert!(!cal.is_working_day(d(2031, 9, 2)));
        assert!(cal.is_working_day(d(2031, 6, 2)));
    }

    #[test]
    fn admins_days_are_added_to_the_table() {
        let added = [
            CalendarDay { date: d(2027, 5, 4), kind: DayKind::Swapped, name: "x".into(), basis: "announced".into() },
            CalendarDay { date: d(2027, 5, 8), kind: DayKind::Workday, name: "y".into(), basis: "announced".into() },
        ];
        let cal = Calendar::new(shipped(), &added);
        assert!(!cal.is_working_day(d(2027, 5, 4)));
        assert!(cal.is_working_day(d(2027, 5, 8)));
        assert!(shipped_calendar().is_working_day(d(2027, 5, 4)));
        assert!(!shipped_calendar().is_working_day(d(2027, 5, 8)));
        let listing = year_listing(2027, shipped(), &added);
        let kinds: Vec<_> =
            listing.iter().filter(|(d, _)| d.date.month() == 5).map(|(d, s)| (d.date, d.kind, *s)).collect();
        assert_eq!(
            kinds,
            vec![
                (d(2027, 5, 1), DayKind::Holiday, Source::Shipped),
                (d(2027, 5, 3), DayKind::Compensatory, Source::Shipped),
                (d(2027, 5, 4), DayKind::Swapped, Source::Added),
                (d(2027, 5, 8), DayKind::Workday, Source::Added),
            ]
        );
        assert!(year_listing(2031, shipped(), &[]).iter().all(|(_, s)| *s == Source::Statute));
        // Weekends-only ignores the table.
        assert!(Calendar::weekends_only().is_working_day(d(2026, 2, 17)));
    }
}
