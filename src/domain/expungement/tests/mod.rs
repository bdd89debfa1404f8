//! Rule tables of the engine: bands and periods, conditions, several convictions.

mod juveniles;

use super::*;
use PrincipalPenalty::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

/// An adult's intentional conviction, judged and committed on 2010-01-01.
fn conv(number: &str, chapter: u8, principal: PrincipalPenalty, completed: Option<NaiveDate>) -> ConvictionFacts {
    ConvictionFacts {
        judgment_number: number.to_string(),
        chapter,
        principal,
        principal_completed_on: completed,
        judgment_date: d(2010, 1, 1),
        offence_date: Some(d(2010, 1, 1)),
        crime_category: Some(CrimeCategory::VerySerious),
        culpability: Some(Culpability::Intentional),
        ..Default::default()
    }
}

/// Born 1980-01-01, no refusals.
fn adult() -> PersonFacts {
    PersonFacts { date_of_birth: Some(d(1980, 1, 1)), ..Default::default() }
}

fn fc(convictions: &[ConvictionFacts], as_of: NaiveDate) -> Forecast {
    forecast(&adult(), convictions, as_of)
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
            let years = if track == Track::Automatic { auto_years } else { court_years };
            assert_eq!(waiting_years(track, band), years, "{name} ch{chapter}");
            let f = fc(&[conv("01/2019/HS-ST", chapter, penalty, Some(completed))], d(2040, 1, 1));
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
    let f = fc(&[conv("05/2018/HS-ST", 17, Suspended, Some(probation_end))], d(2022, 7, 1));
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
        let f = fc(&[c], as_of);
        assert_eq!(f.earliest_date, Some(earliest), "{name}");
        assert_eq!(codes(&f), expected_codes, "{name}");
        assert_eq!(f.eligible_on_as_of, expected_codes.is_empty() && earliest <= as_of, "{name}");
    }
}

#[test]
fn supplementary_message_names_judgment_and_item() {
    let mut c = conv("12/2017/HS-PT", 17, Fine, Some(d(2020, 1, 1)));
    c.supplementary.push(supp("probation", Some(d(2023, 1, 15)), None));
    let f = fc(&[c], d(2022, 1, 1));
    let msg = &f.blocking[0].message;
    assert!(msg.contains("12/2017/HS-PT"), "{msg}");
    assert!(msg.contains("probation"), "{msg}");
    assert!(msg.contains("2023-01-15"), "{msg}");
}

#[test]
fn obligations_met_late_move_the_date() {
    // Art. 70(2): the other decisions of the judgment must be served. Period ends
    // 2022-05-01. (name, obligation, as_of, expected earliest, expected codes)
    let table = [
        (
            "unpaid: the period's date, blocked",
            obligation("civil compensation", 5_000_000, None),
            d(2024, 1, 1),
            d(2022, 5, 1),
            vec!["obligation_unpaid"],
        ),
        (
            "paid before the period ends",
            obligation("court fee", 200_000, Some(d(2021, 1, 1))),
            d(2024, 1, 1),
            d(2022, 5, 1),
            vec![],
        ),
        (
            "paid on the period's last day",
            obligation("court fee", 200_000, Some(d(2022, 4, 30))),
            d(2024, 1, 1),
            d(2022, 5, 1),
            vec![],
        ),
        (
            "paid on the period's end date",
            obligation("court fee", 200_000, Some(d(2022, 5, 1))),
            d(2024, 1, 1),
            d(2022, 5, 1),
            vec![],
        ),
        (
            "paid the day after: that day",
            obligation("court fee", 200_000, Some(d(2022, 5, 2))),
            d(2024, 1, 1),
            d(2022, 5, 2),
            vec![],
        ),
        (
            "paid late: that day",
            obligation("fine", 3_000_000, Some(d(2023, 8, 20))),
            d(2024, 1, 1),
            d(2023, 8, 20),
            vec![],
        ),
        (
            "paid late, as_of the day before",
            obligation("fine", 3_000_000, Some(d(2023, 8, 20))),
            d(2023, 8, 19),
            d(2023, 8, 20),
            vec!["obligation_unpaid"],
        ),
        (
            "paid late, as_of that day",
            obligation("fine", 3_000_000, Some(d(2023, 8, 20))),
            d(2023, 8, 20),
            d(2023, 8, 20),
            vec![],
        ),
        (
            "paid without a date",
            Obligation { kind: "court fee".to_string(), amount_vnd: 200_000, paid: true, paid_on: None },
            d(2024, 1, 1),
            d(2022, 5, 1),
            vec![],
        ),
    ];
    for (name, o, as_of, earliest, expected_codes) in table {
        let mut c = conv("07/2019/HS-ST", 16, Imprisonment { months: 24 }, Some(d(2020, 5, 1)));
        c.obligations.push(o);
        let f = fc(&[c], as_of);
        assert_eq!(f.earliest_date, Some(earliest), "{name}");
        assert_eq!(codes(&f), expected_codes, "{name}");
        assert_eq!(f.eligible_on_as_of, expected_codes.is_empty() && earliest <= as_of, "{name}");
    }
    // The last of several conditions wins, also for Art. 72.
    let mut c = conv("07/2019/HS-ST", 16, Imprisonment { months: 24 }, Some(d(2020, 5, 1)));
    c.obligations.push(obligation("court fee", 200_000, Some(d(2021, 3, 1))));
    c.obligations.push(obligation("civil compensation", 9_000_000, Some(d(2023, 2, 14))));
    let f = fc(&[c], d(2024, 1, 1));
    assert_eq!(f.earliest_date, Some(d(2023, 2, 14)));
    assert_eq!(f.special_case_earliest_date, Some(d(2023, 2, 14)));
}

#[test]
fn unpaid_obligation_message_is_readable() {
    let mut c = conv("07/2019/HS-ST", 16, Fine, Some(d(2020, 5, 1)));
    c.obligations.push(obligation("civil compensation", 5_000_000, None));
    let f = fc(&[c], d(2024, 1, 1));
    let msg = &f.blocking[0].message;
    assert!(msg.contains("07/2019/HS-ST"), "{msg}");
    assert!(msg.contains("civil compensation"), "{msg}");
    assert!(msg.contains("5,000,000 VND"), "{msg}");
}

#[test]
fn principal_not_completed_gives_no_date() {
    let f = fc(&[conv("03/2022/HS-ST", 17, Imprisonment { months: 48 }, None)], d(2024, 1, 1));
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
        let f = fc(&slice, d(2022, 3, 15));
        assert_eq!(f.track, Track::Automatic);
        assert_eq!(f.waiting_period_years, 2);
        assert_eq!(f.counted_from, Some(d(2020, 3, 15)));
        assert_eq!(f.earliest_date, Some(d(2022, 3, 15)));
        assert!(f.eligible_on_as_of);
    }

    // A later, heavier conviction raises the band.
    let heavy = conv("02/2021/HS-ST", 20, Imprisonment { months: 72 }, Some(d(2023, 8, 1)));
    let f = fc(&[old.clone(), heavy], d(2024, 1, 1));
    assert_eq!(f.waiting_period_years, 3);
    assert_eq!(f.earliest_date, Some(d(2026, 8, 1)));

    // The new penalty is not yet served: no date at all.
    let pending = conv("04/2023/HS-ST", 17, Fine, None);
    let f = fc(&[old, pending], d(2024, 1, 1));
    assert_eq!(f.counted_from, None);
    assert_eq!(f.earliest_date, None);
    assert_eq!(codes(&f), vec!["principal_not_completed"]);
}

#[test]
fn latest_supplementary_end_across_convictions() {
    let mut old = conv("01/2017/HS-ST", 17, Fine, Some(d(2019, 5, 1)));
    old.supplementary.push(supp("residence ban", Some(d(2023, 9, 1)), None));
    let new = conv("09/2020/HS-ST", 17, Fine, Some(d(2020, 3, 15)));
    let f = fc(&[old, new], d(2024, 1, 1));
    assert_eq!(f.earliest_date, Some(d(2023, 9, 1)));
    assert!(f.eligible_on_as_of);
}

#[test]
fn mixing_tracks_goes_to_court() {
    let security = conv("01/2018/HS-ST", 13, Fine, Some(d(2019, 1, 1)));
    let ordinary = conv("02/2019/HS-ST", 17, Imprisonment { months: 36 }, Some(d(2020, 1, 1)));
    let f = fc(&[ordinary, security], d(2024, 1, 1));
    assert_eq!(f.track, Track::CourtDecision);
    assert_eq!(f.waiting_period_years, 3);
    assert_eq!(f.earliest_date, Some(d(2023, 1, 1)));
}

#[test]
fn special_case_one_third_in_calendar_months() {
    // Art. 72: one third of N years is 4N months, clamped to the month's end
    // (Civil Code Art. 148). (name, chapter, penalty, completed, expected special date)
    let table = [
        ("2y from 2020-01-01: 8 months", 17, Imprisonment { months: 36 }, d(2020, 1, 1), d(2020, 9, 1)),
        ("2y from 2021-01-01: 8 months", 17, Imprisonment { months: 36 }, d(2021, 1, 1), d(2021, 9, 1)),
        ("3y from 2021-01-01: 12 months", 17, Imprisonment { months: 100 }, d(2021, 1, 1), d(2022, 1, 1)),
        ("1y from 2021-01-01: 4 months", 17, Fine, d(2021, 1, 1), d(2021, 5, 1)),
        ("court 7y from 2015-01-01: 28 months", 26, Life, d(2015, 1, 1), d(2017, 5, 1)),
        (
            "2y from 2021-10-31: 8 months, June has 30 days",
            17,
            Imprisonment { months: 36 },
            d(2021, 10, 31),
            d(2022, 6, 30),
        ),
        ("1y from 2021-10-31: 4 months, to 28 February", 17, Fine, d(2021, 10, 31), d(2022, 2, 28)),
        ("1y from 2023-10-31: 4 months, leap February", 17, Fine, d(2023, 10, 31), d(2024, 2, 29)),
        ("3y from 2021-05-31: 12 months", 17, Imprisonment { months: 61 }, d(2021, 5, 31), d(2022, 5, 31)),
        ("5y from 2020-06-30: 20 months", 17, Life, d(2020, 6, 30), d(2022, 2, 28)),
    ];
    for (name, chapter, penalty, completed, special) in table {
        let f = fc(&[conv("10/2014/HS-ST", chapter, penalty, Some(completed))], d(2030, 1, 1));
        assert_eq!(f.special_case_earliest_date, Some(special), "{name}");
        assert!(f.special_case_earliest_date <= f.earliest_date, "{name}");
    }
}

#[test]
fn special_case_waits_for_supplementary_penalty() {
    let mut c = conv("10/2014/HS-ST", 17, Imprisonment { months: 36 }, Some(d(2020, 1, 1)));
    c.supplementary.push(supp("probation", Some(d(2021, 1, 1)), None));
    let f = fc(&[c], d(2030, 1, 1));
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
        let f = fc(&[conv("11/2019/HS-ST", chapter, penalty, Some(leap))], d(2030, 1, 1));
        assert_eq!(f.earliest_date, Some(earliest), "{name}");
    }
    assert_eq!(add_months(leap, 48), Some(d(2024, 2, 29)));
    // One third of 1 year from 2020-02-29 is 4 months.
    let f = fc(&[conv("11/2019/HS-ST", 17, Fine, Some(leap))], d(2030, 1, 1));
    assert_eq!(f.special_case_earliest_date, Some(d(2020, 6, 29)));
}

#[test]
fn eligible_exactly_on_the_date_not_the_day_before() {
    let c = conv("06/2019/HS-ST", 17, Fine, Some(d(2020, 3, 10)));
    // (as_of, eligible)
    let table = [(d(2021, 3, 9), false), (d(2021, 3, 10), true), (d(2021, 3, 11), true), (d(2020, 3, 10), false)];
    for (as_of, eligible) in table {
        let f = fc(std::slice::from_ref(&c), as_of);
        assert_eq!(f.earliest_date, Some(d(2021, 3, 10)));
        assert_eq!(f.eligible_on_as_of, eligible, "as_of {as_of}");
        assert!(f.blocking.is_empty());
    }
}

#[test]
fn scheduled_future_completion_is_forecast_but_not_eligible() {
    let f = fc(&[conv("08/2023/HS-ST", 17, Imprisonment { months: 12 }, Some(d(2025, 1, 1)))], d(2024, 1, 1));
    assert_eq!(f.earliest_date, Some(d(2027, 1, 1)));
    assert!(!f.eligible_on_as_of);
    assert!(f.blocking.is_empty());
}

#[test]
fn empty_slice_reports_no_convictions() {
    let f = fc(&[], d(2024, 1, 1));
    assert_eq!(codes(&f), vec!["no_convictions"]);
    assert_eq!(f.earliest_date, None);
    assert_eq!(f.counted_from, None);
    assert_eq!(f.special_case_earliest_date, None);
    assert!(!f.eligible_on_as_of);
}

#[test]
fn unknown_chapter_blocks() {
    let f = fc(&[conv("", 0, Fine, Some(d(2020, 1, 1)))], d(2024, 1, 1));
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
    let f = fc(&[a, b], d(2024, 1, 1));
    assert_eq!(codes(&f), vec!["obligation_unpaid", "principal_not_completed", "supplementary_not_completed"]);
    assert!(f.blocking[0].message.contains("01/2020/HS-ST"));
    assert!(f.blocking[1].message.contains("02/2021/HS-ST"));
}

#[test]
fn format_vnd_groups_thousands() {
    let table =
        [(0, "0 VND"), (999, "999 VND"), (1_000, "1,000 VND"), (1_500_000, "1,500,000 VND"), (-25_000, "-25,000 VND")];
    for (amount, text) in table {
        assert_eq!(format_vnd(amount), text);
    }
}
