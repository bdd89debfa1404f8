//! Expungement of a criminal record (*xóa án tích*) under the Criminal Code
//! 2015 (amended 2017), Arts. 69–73.
//!
//! This is a pure rule engine: no I/O and no clock. "Today" is the `as_of`
//! argument of [`forecast`].
//!
//! * **Art. 69** — once expunged, the person is treated as never having been
//!   convicted. This module only says *when* that can happen.
//! * **Art. 70** — automatic track (all crimes except Chapter XIII and
//!   Chapter XXVI): 1 / 2 / 3 / 5 years by [`Band`].
//! * **Art. 71** — court-decision track (Chapter XIII national security
//!   crimes, Chapter XXVI peace / war crimes): 1 / 3 / 5 / 7 years.
//! * **Art. 72** — special case: clear progress plus a meritorious act; the
//!   court may expunge once one third of the Art. 70/71 period has passed.
//! * **Art. 73** — the period depends on the penalty *pronounced*; a new
//!   conviction before expungement restarts the count; with several
//!   convictions the longest band and the latest completion apply; if any
//!   conviction belongs to the court track, the court track applies to all;
//!   exemption from the rest of a penalty counts as having served it.
//!
//! # Conventions
//!
//! * **Counting.** The waiting period is counted from the day the principal
//!   penalty was completed (release, end of suspended-sentence probation,
//!   exemption from the remainder, or expiry of the limitation period for
//!   executing the judgment — the caller passes that date as
//!   `principal_completed_on`). The record is expungeable **on**
//!   `completion + N years`; the waiting period ends the day before.
//!   Example: completed 2020-03-10, 1-year period → expungeable on
//!   2021-03-10, not on 2021-03-09.
//! * **Calendar years.** Years are added with calendar arithmetic; when the
//!   target month has no such day the date is clamped to the last day of the
//!   month: 2020-02-29 + 1 year = 2021-02-28.
//! * **Supplementary penalties (Art. 70(3)).** Each supplementary penalty ends
//!   on its recorded `completed_on` if there is one (an early exemption counts
//!   as completion, Art. 73(4)), otherwise on its `ends_on`. The earliest date
//!   is `max(completion + period, latest supplementary end)`.
//! * **Art. 72 one third.** `special_case_earliest_date = completion +
//!   ceil(days(completion .. completion + N years) / 3)` days, then also
//!   pushed to the latest supplementary end (every track requires the
//!   supplementary penalties to be served). It always needs a court decision,
//!   whichever track applies.
//! * **Several convictions (Art. 73(2),(3)).** The caller passes the
//!   convictions whose records have *not* been expunged yet. The count starts
//!   from the latest principal completion among them, with the longest band
//!   among them; if any principal penalty is not completed, no date is given.
//!   A principal completion date after `as_of` is treated as a scheduled date
//!   and still forecast (the earliest date is then necessarily after `as_of`).
//! * **Blocking.** Unpaid obligations and uncompleted supplementary penalties
//!   block eligibility but do not prevent forecasting the date (the clerk
//!   sees the date assuming they are settled). Obligations never move the
//!   date; an obligation paid after `as_of` counts as unpaid as of `as_of`.

use chrono::{Days, Months, NaiveDate};
use serde::{Serialize, Serializer};

/// Principal penalty as *pronounced* in the judgment (Art. 73(1)), not the
/// time actually served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalPenalty {
    /// Cảnh cáo.
    Warning,
    /// Phạt tiền.
    Fine,
    /// Cải tạo không giam giữ.
    NonCustodialReform,
    /// Án treo — counted from the end of the probation period.
    Suspended,
    /// Tù có thời hạn, in months as pronounced.
    Imprisonment { months: u32 },
    /// Tù chung thân.
    Life,
    /// Death sentence commuted (to life imprisonment).
    DeathCommuted,
}

/// How the record is expunged: automatically (Art. 70) or by a court
/// decision (Art. 71).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// Art. 70 — automatic expungement.
    Automatic,
    /// Art. 71 — expungement by court decision (Chapters XIII and XXVI).
    CourtDecision,
}

/// Severity band of the principal penalty, shared by Arts. 70(2) and 71(2).
///
/// Ordered from the shortest to the longest waiting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Warning, fine, non-custodial reform or suspended sentence
    /// (automatic 1 year, court 1 year).
    OneYearBand,
    /// Imprisonment up to and including 5 years, i.e. at most 60 months
    /// (automatic 2 years, court 3 years).
    UpToFiveYears,
    /// Imprisonment over 5 up to and including 15 years, i.e. 61..=180
    /// months (automatic 3 years, court 5 years).
    FiveToFifteenYears,
    /// Imprisonment over 15 years (181+ months), life, or a commuted death
    /// sentence (automatic 5 years, court 7 years).
    OverFifteenYears,
}

/// A supplementary penalty (probation, residence ban, ban on posts or
/// professions, loss of civic rights, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplementaryPenalty {
    pub kind: String,
    /// When its term ends, if known.
    pub ends_on: Option<NaiveDate>,
    /// Recorded completion (including exemption from the remainder).
    pub completed_on: Option<NaiveDate>,
}

/// Another obligation of the judgment (civil compensation, court fees, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    pub kind: String,
    pub amount_vnd: i64,
    pub paid: bool,
    pub paid_on: Option<NaiveDate>,
}

/// The facts of one conviction (one judgment) needed for the forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvictionFacts {
    pub judgment_number: String,
    /// Criminal Code chapter of the most serious offence (13 and 26 → court
    /// track). Offences are in Chapters XIII–XXVI.
    pub chapter: u8,
    pub principal: PrincipalPenalty,
    /// Release date / end of probation / exemption date; `None` = not yet
    /// served.
    pub principal_completed_on: Option<NaiveDate>,
    pub supplementary: Vec<SupplementaryPenalty>,
    pub obligations: Vec<Obligation>,
}

/// A reason the record cannot be expunged yet, besides the waiting period.
///
/// Codes: `no_convictions`, `principal_not_completed`,
/// `supplementary_not_completed`, `obligation_unpaid`, `unknown_chapter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocking {
    pub code: &'static str,
    pub message: String,
}

/// Result of [`forecast`]. Dates serialize as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub track: Track,
    pub waiting_period_years: u32,
    /// Latest principal completion among the convictions (Art. 73(2)).
    #[serde(serialize_with = "serialize_opt_date")]
    pub counted_from: Option<NaiveDate>,
    /// First day the record is expungeable; `None` when a principal penalty
    /// is not completed.
    #[serde(serialize_with = "serialize_opt_date")]
    pub earliest_date: Option<NaiveDate>,
    /// Art. 72 special case (court decision after one third of the period).
    #[serde(serialize_with = "serialize_opt_date")]
    pub special_case_earliest_date: Option<NaiveDate>,
    /// `earliest_date <= as_of` and nothing blocking. On the court track this
    /// means the person may apply to the court.
    pub eligible_on_as_of: bool,
    pub blocking: Vec<Blocking>,
}

/// Band of a pronounced principal penalty (Arts. 70(2), 71(2), 73(1)).
pub fn band_of(p: PrincipalPenalty) -> Band {
    match p {
        PrincipalPenalty::Warning
        | PrincipalPenalty::Fine
        | PrincipalPenalty::NonCustodialReform
        | PrincipalPenalty::Suspended => Band::OneYearBand,
        PrincipalPenalty::Imprisonment { months } if months <= 60 => Band::UpToFiveYears,
        PrincipalPenalty::Imprisonment { months } if months <= 180 => Band::FiveToFifteenYears,
        PrincipalPenalty::Imprisonment { .. } | PrincipalPenalty::Life | PrincipalPenalty::DeathCommuted => {
            Band::OverFifteenYears
        }
    }
}

/// Waiting period in years: Art. 70(2) for the automatic track, Art. 71(2)
/// for the court track.
pub fn waiting_years(track: Track, band: Band) -> u32 {
    match (track, band) {
        (Track::Automatic, Band::OneYearBand) => 1,
        (Track::Automatic, Band::UpToFiveYears) => 2,
        (Track::Automatic, Band::FiveToFifteenYears) => 3,
        (Track::Automatic, Band::OverFifteenYears) => 5,
        (Track::CourtDecision, Band::OneYearBand) => 1,
        (Track::CourtDecision, Band::UpToFiveYears) => 3,
        (Track::CourtDecision, Band::FiveToFifteenYears) => 5,
        (Track::CourtDecision, Band::OverFifteenYears) => 7,
    }
}

/// Chapter XIII (national security) and Chapter XXVI (peace, humanity, war
/// crimes) go to the court track (Art. 71); everything else is automatic
/// (Art. 70).
pub fn track_of_chapter(chapter: u8) -> Track {
    match chapter {
        13 | 26 => Track::CourtDecision,
        _ => Track::Automatic,
    }
}

/// Forecast when the records in `convictions` can be expunged, as of
/// `as_of` (see the module docs for the conventions).
pub fn forecast(convictions: &[ConvictionFacts], as_of: NaiveDate) -> Forecast {
    if convictions.is_empty() {
        return Forecast {
            track: Track::Automatic,
            waiting_period_years: 0,
            counted_from: None,
            earliest_date: None,
            special_case_earliest_date: None,
            eligible_on_as_of: false,
            blocking: vec![Blocking {
                code: "no_convictions",
                message: "No convictions were given, so there is no criminal record to expunge.".to_string(),
            }],
        };
    }

    // Art. 73: mixing tracks → court track for all; longest band wins.
    let track = if convictions.iter().any(|c| track_of_chapter(c.chapter) == Track::CourtDecision) {
        Track::CourtDecision
    } else {
        Track::Automatic
    };
    let band = convictions.iter().map(|c| band_of(c.principal)).fold(Band::OneYearBand, Ord::max);
    let years = waiting_years(track, band);

    let mut blocking = Vec::new();
    let mut latest_completion: Option<NaiveDate> = None;
    let mut all_completed = true;
    let mut supplementary_end: Option<NaiveDate> = None;

    for c in convictions {
        let judgment = judgment_label(c);

        if !(13..=26).contains(&c.chapter) {
            blocking.push(Blocking {
                code: "unknown_chapter",
                message: format!(
                    "{judgment}: chapter {} is not a chapter of crimes (XIII to XXVI); \
                     check the offence before relying on this forecast.",
                    c.chapter
                ),
            });
        }

        match c.principal_completed_on {
            Some(done) => latest_completion = latest_completion.max(Some(done)),
            None => {
                all_completed = false;
                blocking.push(Blocking {
                    code: "principal_not_completed",
                    message: format!(
                        "{judgment}: the principal penalty ({}) has not been completed; \
                         the waiting period only starts once it is served, its probation \
                         ends or the person is exempted from the rest.",
                        describe_principal(c.principal)
                    ),
                });
            }
        }

        for s in &c.supplementary {
            let item = supplementary_label(s);
            let end = s.completed_on.or(s.ends_on);
            supplementary_end = supplementary_end.max(end);
            let message = match (end, s.completed_on) {
                (Some(e), _) if e <= as_of => None,
                (Some(e), Some(_)) => {
                    Some(format!("{judgment}: {item} is recorded as completed on {e}, after {as_of}."))
                }
                (Some(e), None) => Some(format!(
                    "{judgment}: {item} runs until {e} and must be completed before the \
                     record can be expunged."
                )),
                (None, _) => Some(format!(
                    "{judgment}: {item} has no end date and no completion recorded; \
                     record when it was completed."
                )),
            };
            if let Some(message) = message {
                blocking.push(Blocking { code: "supplementary_not_completed", message });
            }
        }

        for o in &c.obligations {
            let item = obligation_label(o);
            let message = match (o.paid, o.paid_on) {
                (true, Some(on)) if on > as_of => Some(format!(
                    "{judgment}: {item} is recorded as paid on {on}, after {as_of}, so it \
                     was still unpaid on that date."
                )),
                (true, _) => None,
                (false, _) => Some(format!(
                    "{judgment}: {item} is unpaid; it must be settled before the record \
                     can be expunged."
                )),
            };
            if let Some(message) = message {
                blocking.push(Blocking { code: "obligation_unpaid", message });
            }
        }
    }

    let counted_from = if all_completed { latest_completion } else { None };
    let (earliest_date, special_case_earliest_date) = match counted_from {
        Some(from) => (
            add_years(from, years).map(|d| d.max(supplementary_end.unwrap_or(d))),
            one_third_date(from, years).map(|d| d.max(supplementary_end.unwrap_or(d))),
        ),
        None => (None, None),
    };
    let eligible_on_as_of = blocking.is_empty() && earliest_date.is_some_and(|d| d <= as_of);

    Forecast {
        track,
        waiting_period_years: years,
        counted_from,
        earliest_date,
        special_case_earliest_date,
        eligible_on_as_of,
        blocking,
    }
}

/// Calendar addition of whole years, clamping to the last day of the month
/// (2020-02-29 + 1 year = 2021-02-28). `None` only outside chrono's range.
fn add_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// Art. 72: `from` + one third of the `years` period measured in days,
/// rounded up to a whole day.
fn one_third_date(from: NaiveDate, years: u32) -> Option<NaiveDate> {
    let full = add_years(from, years)?;
    let days = u64::try_from((full - from).num_days()).ok()?;
    from.checked_add_days(Days::new(days.div_ceil(3)))
}

fn judgment_label(c: &ConvictionFacts) -> String {
    let number = c.judgment_number.trim();
    if number.is_empty() {
        "Judgment (number not recorded)".to_string()
    } else {
        format!("Judgment {number}")
    }
}

fn supplementary_label(s: &SupplementaryPenalty) -> String {
    let kind = s.kind.trim();
    if kind.is_empty() {
        "a supplementary penalty".to_string()
    } else {
        format!("the supplementary penalty \"{kind}\"")
    }
}

fn obligation_label(o: &Obligation) -> String {
    let kind = o.kind.trim();
    let amount = format_vnd(o.amount_vnd);
    if kind.is_empty() {
        format!("an obligation of {amount}")
    } else {
        format!("the obligation \"{kind}\" ({amount})")
    }
}

fn describe_principal(p: PrincipalPenalty) -> String {
    match p {
        PrincipalPenalty::Warning => "warning".to_string(),
        PrincipalPenalty::Fine => "fine".to_string(),
        PrincipalPenalty::NonCustodialReform => "non-custodial reform".to_string(),
        PrincipalPenalty::Suspended => "suspended sentence".to_string(),
        PrincipalPenalty::Imprisonment { months } => {
            format!("imprisonment of {months} months")
        }
        PrincipalPenalty::Life => "life imprisonment".to_string(),
        PrincipalPenalty::DeathCommuted => "death sentence commuted".to_string(),
    }
}

/// `1500000` → `"1,500,000 VND"`.
fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    // Leading group has 1..=3 digits; the rest are full groups of three.
    let (head, tail) = digits.split_at(match digits.len() % 3 {
        0 => 3.min(digits.len()),
        r => r,
    });
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    grouped.push_str(head);
    for group in tail.as_bytes().chunks(3) {
        grouped.push(',');
        grouped.extend(group.iter().map(|&b| char::from(b)));
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{grouped} VND")
}

/// Serializes dates as `YYYY-MM-DD` (same output as chrono's own serde
/// support) without requiring chrono's `serde` feature.
fn serialize_opt_date<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
    struct IsoDate(NaiveDate);
    impl Serialize for IsoDate {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(&self.0)
        }
    }
    match date {
        Some(d) => serializer.serialize_some(&IsoDate(*d)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PrincipalPenalty::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn conv(number: &str, chapter: u8, principal: PrincipalPenalty, completed: Option<NaiveDate>) -> ConvictionFacts {
        ConvictionFacts {
            judgment_number: number.to_string(),
            chapter,
            principal,
            principal_completed_on: completed,
            supplementary: Vec::new(),
            obligations: Vec::new(),
        }
    }

    fn supp(kind: &str, ends: Option<NaiveDate>, done: Option<NaiveDate>) -> SupplementaryPenalty {
        SupplementaryPenalty { kind: kind.to_string(), ends_on: ends, completed_on: done }
    }

    fn obligation(kind: &str, amount: i64, paid_on: Option<NaiveDate>) -> Obligation {
        Obligation { kind: kind.to_string(), amount_vnd: amount, paid: paid_on.is_some(), paid_on }
    }

    fn codes(f: &Forecast) -> Vec<&'static str> {
        f.blocking.iter().map(|b| b.code).collect()
    }

    #[test]
    fn band_and_period_for_every_penalty_on_both_tracks() {
        // (name, penalty, band, automatic years, court years)
        let table = [
            ("warning", Warning, Band::OneYearBand, 1, 1),
            ("fine", Fine, Band::OneYearBand, 1, 1),
            ("non-custodial reform", NonCustodialReform, Band::OneYearBand, 1, 1),
            ("suspended", Suspended, Band::OneYearBand, 1, 1),
            ("imprisonment 0 months", Imprisonment { months: 0 }, Band::UpToFiveYears, 2, 3),
            ("imprisonment 1 month", Imprisonment { months: 1 }, Band::UpToFiveYears, 2, 3),
            ("imprisonment 60 months", Imprisonment { months: 60 }, Band::UpToFiveYears, 2, 3),
            ("imprisonment 61 months", Imprisonment { months: 61 }, Band::FiveToFifteenYears, 3, 5),
            ("imprisonment 180 months", Imprisonment { months: 180 }, Band::FiveToFifteenYears, 3, 5),
            ("imprisonment 181 months", Imprisonment { months: 181 }, Band::OverFifteenYears, 5, 7),
            ("life", Life, Band::OverFifteenYears, 5, 7),
            ("death commuted", DeathCommuted, Band::OverFifteenYears, 5, 7),
        ];
        // (chapter, track)
        let chapters =
            [(17, Track::Automatic), (14, Track::Automatic), (13, Track::CourtDecision), (26, Track::CourtDecision)];
        let completed = d(2020, 3, 10);
        for (name, penalty, band, auto_years, court_years) in table {
            assert_eq!(band_of(penalty), band, "{name}");
            for (chapter, track) in chapters {
                let years = match track {
                    Track::Automatic => auto_years,
                    Track::CourtDecision => court_years,
                };
                assert_eq!(waiting_years(track, band), years, "{name} ch{chapter}");
                let f = forecast(&[conv("01/2019/HS-ST", chapter, penalty, Some(completed))], d(2040, 1, 1));
                assert_eq!(f.track, track, "{name} ch{chapter}");
                assert_eq!(f.waiting_period_years, years, "{name} ch{chapter}");
                assert_eq!(f.counted_from, Some(completed), "{name} ch{chapter}");
                assert_eq!(f.earliest_date, Some(d(2020 + years as i32, 3, 10)), "{name} ch{chapter}");
                assert!(f.eligible_on_as_of, "{name} ch{chapter}");
                assert!(f.blocking.is_empty(), "{name} ch{chapter}");
            }
        }
    }

    #[test]
    fn track_of_chapter_table() {
        let table = [
            (13, Track::CourtDecision),
            (26, Track::CourtDecision),
            (14, Track::Automatic),
            (16, Track::Automatic),
            (17, Track::Automatic),
            (20, Track::Automatic),
            (25, Track::Automatic),
        ];
        for (chapter, track) in table {
            assert_eq!(track_of_chapter(chapter), track, "chapter {chapter}");
        }
    }

    #[test]
    fn suspended_sentence_counts_from_probation_end() {
        let probation_end = d(2021, 6, 30);
        let f = forecast(&[conv("05/2018/HS-ST", 17, Suspended, Some(probation_end))], d(2022, 7, 1));
        assert_eq!(f.counted_from, Some(probation_end));
        assert_eq!(f.earliest_date, Some(d(2022, 6, 30)));
        assert!(f.eligible_on_as_of);
    }

    #[test]
    fn supplementary_penalty_end_versus_period() {
        let completed = d(2020, 1, 15); // 36 months → 2 years → 2022-01-15
                                        // (name, supplementary, as_of, expected earliest, expected codes)
        let table = [
            (
                "ends after the period: wins",
                supp("probation", Some(d(2023, 1, 15)), Some(d(2023, 1, 15))),
                d(2024, 1, 1),
                d(2023, 1, 15),
                vec![],
            ),
            (
                "ends before the period: does not matter",
                supp("residence ban", Some(d(2021, 1, 15)), Some(d(2021, 1, 15))),
                d(2024, 1, 1),
                d(2022, 1, 15),
                vec![],
            ),
            (
                "term passed without a recorded completion",
                supp("ban on posts", Some(d(2021, 1, 15)), None),
                d(2024, 1, 1),
                d(2022, 1, 15),
                vec![],
            ),
            (
                "term ends after as_of: blocks, date still forecast",
                supp("probation", Some(d(2023, 1, 15)), None),
                d(2022, 6, 1),
                d(2023, 1, 15),
                vec!["supplementary_not_completed"],
            ),
            (
                "no end and no completion: blocks",
                supp("loss of civic rights", None, None),
                d(2024, 1, 1),
                d(2022, 1, 15),
                vec!["supplementary_not_completed"],
            ),
            (
                "no end but completion recorded: counts",
                supp("loss of civic rights", None, Some(d(2022, 3, 1))),
                d(2024, 1, 1),
                d(2022, 3, 1),
                vec![],
            ),
            (
                "exempted early (Art. 73(4)): completion wins over term end",
                supp("residence ban", Some(d(2025, 1, 1)), Some(d(2022, 5, 1))),
                d(2024, 1, 1),
                d(2022, 5, 1),
                vec![],
            ),
            (
                "completion recorded after as_of: blocks",
                supp("residence ban", None, Some(d(2024, 6, 1))),
                d(2024, 1, 1),
                d(2024, 6, 1),
                vec!["supplementary_not_completed"],
            ),
        ];
        for (name, s, as_of, earliest, expected_codes) in table {
            let mut c = conv("12/2017/HS-PT", 17, Imprisonment { months: 36 }, Some(completed));
            c.supplementary.push(s);
            let f = forecast(&[c], as_of);
            assert_eq!(f.earliest_date, Some(earliest), "{name}");
            assert_eq!(codes(&f), expected_codes, "{name}");
            assert_eq!(f.eligible_on_as_of, expected_codes.is_empty() && earliest <= as_of, "{name}");
        }
    }

    #[test]
    fn supplementary_message_names_judgment_and_item() {
        let mut c = conv("12/2017/HS-PT", 17, Fine, Some(d(2020, 1, 1)));
        c.supplementary.push(supp("probation", Some(d(2023, 1, 15)), None));
        let f = forecast(&[c], d(2022, 1, 1));
        let msg = &f.blocking[0].message;
        assert!(msg.contains("12/2017/HS-PT"), "{msg}");
        assert!(msg.contains("probation"), "{msg}");
        assert!(msg.contains("2023-01-15"), "{msg}");
    }

    #[test]
    fn obligations_block_but_date_is_still_forecast() {
        let as_of = d(2024, 1, 1);
        // (name, obligation, expected codes)
        let table = [
            ("unpaid", obligation("civil compensation", 5_000_000, None), vec!["obligation_unpaid"]),
            ("paid", obligation("court fee", 200_000, Some(d(2021, 1, 1))), vec![]),
            ("paid after as_of", obligation("court fee", 200_000, Some(d(2024, 2, 1))), vec!["obligation_unpaid"]),
            (
                "paid without a date",
                Obligation { kind: "court fee".to_string(), amount_vnd: 200_000, paid: true, paid_on: None },
                vec![],
            ),
        ];
        for (name, o, expected_codes) in table {
            let mut c = conv("07/2019/HS-ST", 16, Imprisonment { months: 24 }, Some(d(2020, 5, 1)));
            c.obligations.push(o);
            let f = forecast(&[c], as_of);
            assert_eq!(f.earliest_date, Some(d(2022, 5, 1)), "{name}");
            assert_eq!(codes(&f), expected_codes, "{name}");
            assert_eq!(f.eligible_on_as_of, expected_codes.is_empty(), "{name}");
        }
    }

    #[test]
    fn unpaid_obligation_message_is_readable() {
        let mut c = conv("07/2019/HS-ST", 16, Fine, Some(d(2020, 5, 1)));
        c.obligations.push(obligation("civil compensation", 5_000_000, None));
        let f = forecast(&[c], d(2024, 1, 1));
        let msg = &f.blocking[0].message;
        assert!(msg.contains("07/2019/HS-ST"), "{msg}");
        assert!(msg.contains("civil compensation"), "{msg}");
        assert!(msg.contains("5,000,000 VND"), "{msg}");
    }

    #[test]
    fn principal_not_completed_gives_no_date() {
        let f = forecast(&[conv("03/2022/HS-ST", 17, Imprisonment { months: 48 }, None)], d(2024, 1, 1));
        assert_eq!(f.track, Track::Automatic);
        assert_eq!(f.waiting_period_years, 2);
        assert_eq!(f.counted_from, None);
        assert_eq!(f.earliest_date, None);
        assert_eq!(f.special_case_earliest_date, None);
        assert!(!f.eligible_on_as_of);
        assert_eq!(codes(&f), vec!["principal_not_completed"]);
        assert!(f.blocking[0].message.contains("03/2022/HS-ST"));
        assert!(f.blocking[0].message.contains("imprisonment of 48 months"));
    }

    #[test]
    fn new_conviction_restarts_count_with_longest_band() {
        let old = conv("01/2017/HS-ST", 17, Imprisonment { months: 36 }, Some(d(2019, 5, 1)));
        let new = conv("09/2020/HS-ST", 17, Fine, Some(d(2020, 3, 15)));
        for slice in [vec![old.clone(), new.clone()], vec![new.clone(), old.clone()]] {
            let f = forecast(&slice, d(2022, 3, 15));
            assert_eq!(f.track, Track::Automatic);
            assert_eq!(f.waiting_period_years, 2);
            assert_eq!(f.counted_from, Some(d(2020, 3, 15)));
            assert_eq!(f.earliest_date, Some(d(2022, 3, 15)));
            assert!(f.eligible_on_as_of);
        }

        // A later, heavier conviction raises the band.
        let heavy = conv("02/2021/HS-ST", 20, Imprisonment { months: 72 }, Some(d(2023, 8, 1)));
        let f = forecast(&[old.clone(), heavy], d(2024, 1, 1));
        assert_eq!(f.waiting_period_years, 3);
        assert_eq!(f.earliest_date, Some(d(2026, 8, 1)));

        // The new penalty is not yet served: no date at all.
        let pending = conv("04/2023/HS-ST", 17, Fine, None);
        let f = forecast(&[old, pending], d(2024, 1, 1));
        assert_eq!(f.counted_from, None);
        assert_eq!(f.earliest_date, None);
        assert_eq!(codes(&f), vec!["principal_not_completed"]);
    }

    #[test]
    fn latest_supplementary_end_across_convictions() {
        let mut old = conv("01/2017/HS-ST", 17, Fine, Some(d(2019, 5, 1)));
        old.supplementary.push(supp("residence ban", Some(d(2023, 9, 1)), None));
        let new = conv("09/2020/HS-ST", 17, Fine, Some(d(2020, 3, 15)));
        let f = forecast(&[old, new], d(2024, 1, 1));
        assert_eq!(f.earliest_date, Some(d(2023, 9, 1)));
        assert!(f.eligible_on_as_of);
    }

    #[test]
    fn mixing_tracks_goes_to_court() {
        let security = conv("01/2018/HS-ST", 13, Fine, Some(d(2019, 1, 1)));
        let ordinary = conv("02/2019/HS-ST", 17, Imprisonment { months: 36 }, Some(d(2020, 1, 1)));
        let f = forecast(&[ordinary, security], d(2024, 1, 1));
        assert_eq!(f.track, Track::CourtDecision);
        assert_eq!(f.waiting_period_years, 3);
        assert_eq!(f.earliest_date, Some(d(2023, 1, 1)));
    }

    #[test]
    fn special_case_one_third_rounds_up() {
        // (name, chapter, penalty, completed, expected special date)
        let table = [
            // 2 years = 731 days (leap year) → 243.67 → 244 days.
            ("2y from 2020-01-01", 17, Imprisonment { months: 36 }, d(2020, 1, 1), d(2020, 9, 1)),
            // 2 years = 730 days → 243.33 → 244 days.
            ("2y from 2021-01-01", 17, Imprisonment { months: 36 }, d(2021, 1, 1), d(2021, 9, 2)),
            // 3 years = 1095 days → exactly 365 days, no rounding.
            ("3y from 2021-01-01", 17, Imprisonment { months: 100 }, d(2021, 1, 1), d(2022, 1, 1)),
            // 1 year = 365 days → 121.67 → 122 days.
            ("1y from 2021-01-01", 17, Fine, d(2021, 1, 1), d(2021, 5, 3)),
            // Court track 7 years = 2557 days → 852.33 → 853 days.
            ("7y from 2015-01-01", 26, Life, d(2015, 1, 1), d(2017, 5, 3)),
        ];
        for (name, chapter, penalty, completed, special) in table {
            let f = forecast(&[conv("10/2014/HS-ST", chapter, penalty, Some(completed))], d(2030, 1, 1));
            assert_eq!(f.special_case_earliest_date, Some(special), "{name}");
            assert!(f.special_case_earliest_date <= f.earliest_date, "{name}");
        }
    }

    #[test]
    fn special_case_waits_for_supplementary_penalty() {
        let mut c = conv("10/2014/HS-ST", 17, Imprisonment { months: 36 }, Some(d(2020, 1, 1)));
        c.supplementary.push(supp("probation", Some(d(2021, 1, 1)), None));
        let f = forecast(&[c], d(2030, 1, 1));
        assert_eq!(f.special_case_earliest_date, Some(d(2021, 1, 1)));
        assert_eq!(f.earliest_date, Some(d(2022, 1, 1)));
    }

    #[test]
    fn feb_29_clamps_to_feb_28() {
        let leap = d(2020, 2, 29);
        // (name, penalty, chapter, expected earliest)
        let table = [
            ("fine, 1y", Fine, 17, d(2021, 2, 28)),
            ("36 months, 2y", Imprisonment { months: 36 }, 17, d(2022, 2, 28)),
            ("36 months court, 3y", Imprisonment { months: 36 }, 13, d(2023, 2, 28)),
            ("life, 5y", Life, 17, d(2025, 2, 28)),
            ("life court, 7y", Life, 13, d(2027, 2, 28)),
        ];
        for (name, penalty, chapter, earliest) in table {
            let f = forecast(&[conv("11/2019/HS-ST", chapter, penalty, Some(leap))], d(2030, 1, 1));
            assert_eq!(f.earliest_date, Some(earliest), "{name}");
        }
        assert_eq!(add_years(leap, 4), Some(d(2024, 2, 29)));
        // 1 year from 2020-02-29 is 365 days → 121.67 → 122 days.
        let f = forecast(&[conv("11/2019/HS-ST", 17, Fine, Some(leap))], d(2030, 1, 1));
        assert_eq!(f.special_case_earliest_date, Some(d(2020, 6, 30)));
    }

    #[test]
    fn eligible_exactly_on_the_date_not_the_day_before() {
        let c = conv("06/2019/HS-ST", 17, Fine, Some(d(2020, 3, 10)));
        // (as_of, eligible)
        let table = [(d(2021, 3, 9), false), (d(2021, 3, 10), true), (d(2021, 3, 11), true), (d(2020, 3, 10), false)];
        for (as_of, eligible) in table {
            let f = forecast(std::slice::from_ref(&c), as_of);
            assert_eq!(f.earliest_date, Some(d(2021, 3, 10)));
            assert_eq!(f.eligible_on_as_of, eligible, "as_of {as_of}");
            assert!(f.blocking.is_empty());
        }
    }

    #[test]
    fn scheduled_future_completion_is_forecast_but_not_eligible() {
        let f = forecast(&[conv("08/2023/HS-ST", 17, Imprisonment { months: 12 }, Some(d(2025, 1, 1)))], d(2024, 1, 1));
        assert_eq!(f.earliest_date, Some(d(2027, 1, 1)));
        assert!(!f.eligible_on_as_of);
        assert!(f.blocking.is_empty());
    }

    #[test]
    fn empty_slice_reports_no_convictions() {
        let f = forecast(&[], d(2024, 1, 1));
        assert_eq!(codes(&f), vec!["no_convictions"]);
        assert_eq!(f.earliest_date, None);
        assert_eq!(f.counted_from, None);
        assert_eq!(f.special_case_earliest_date, None);
        assert!(!f.eligible_on_as_of);
    }

    #[test]
    fn unknown_chapter_blocks() {
        let f = forecast(&[conv("", 0, Fine, Some(d(2020, 1, 1)))], d(2024, 1, 1));
        assert_eq!(f.track, Track::Automatic);
        assert_eq!(f.earliest_date, Some(d(2021, 1, 1)));
        assert_eq!(codes(&f), vec!["unknown_chapter"]);
        assert!(f.blocking[0].message.contains("number not recorded"));
        assert!(!f.eligible_on_as_of);
    }

    #[test]
    fn several_blocking_reasons_are_all_listed() {
        let mut a = conv("01/2020/HS-ST", 17, Fine, Some(d(2020, 1, 1)));
        a.obligations.push(obligation("court fee", 200_000, None));
        let mut b = conv("02/2021/HS-ST", 17, Fine, None);
        b.supplementary.push(supp("probation", None, None));
        let f = forecast(&[a, b], d(2024, 1, 1));
        assert_eq!(codes(&f), vec!["obligation_unpaid", "principal_not_completed", "supplementary_not_completed"]);
        assert!(f.blocking[0].message.contains("01/2020/HS-ST"));
        assert!(f.blocking[1].message.contains("02/2021/HS-ST"));
    }

    #[test]
    fn format_vnd_groups_thousands() {
        let table = [
            (0, "0 VND"),
            (999, "999 VND"),
            (1_000, "1,000 VND"),
            (1_500_000, "1,500,000 VND"),
            (-25_000, "-25,000 VND"),
        ];
        for (amount, text) in table {
            assert_eq!(format_vnd(amount), text);
        }
    }
}
