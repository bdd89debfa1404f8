//! Juveniles (Art. 107), missing facts, no-record cases, expunged records, parolees,
//! court refusals and ages.

use chrono::Months;

use super::*;

fn juvenile(
    born: NaiveDate,
    offence: Option<NaiveDate>,
    category: Option<CrimeCategory>,
    culpability: Option<Culpability>,
    principal: PrincipalPenalty,
) -> (PersonFacts, ConvictionFacts) {
    let mut c = conv("21/2020/HS-ST", 17, principal, Some(d(2021, 3, 10)));
    c.judgment_date = d(2020, 6, 1);
    c.offence_date = offence;
    c.crime_category = category;
    c.culpability = culpability;
    (PersonFacts { date_of_birth: Some(born), ..Default::default() }, c)
}

#[test]
fn juveniles_art_107() {
    use CrimeCategory::*;
    use Culpability::*;
    let born = d(2003, 5, 15); // 16 on 2019-05-15, 18 on 2021-05-15
    let as_of = d(2030, 1, 1);
    // (name, offence date, category, culpability, principal, track, months, earliest)
    let table = [
        (
            "14-16: no record, whatever the crime",
            Some(d(2019, 5, 14)),
            Some(EspeciallySerious),
            Some(Intentional),
            Imprisonment { months: 100 },
            Track::NoRecord,
            0,
            None,
        ),
        (
            "16 on the day: less serious, no record",
            Some(d(2019, 5, 15)),
            Some(LessSerious),
            Some(Intentional),
            Fine,
            Track::NoRecord,
            0,
            None,
        ),
        (
            "16-18 serious intentional: no record (Art. 107(1)(b))",
            Some(d(2020, 1, 1)),
            Some(Serious),
            Some(Intentional),
            Imprisonment { months: 30 },
            Track::NoRecord,
            0,
            None,
        ),
        (
            "16-18 very serious negligent: no record",
            Some(d(2020, 1, 1)),
            Some(VerySerious),
            Some(Negligent),
            Imprisonment { months: 30 },
            Track::NoRecord,
            0,
            None,
        ),
        (
            "16-18 very serious intentional, suspended: 6 months",
            Some(d(2020, 1, 1)),
            Some(VerySerious),
            Some(Intentional),
            Suspended,
            Track::Automatic,
            6,
            Some(d(2021, 9, 10)),
        ),
        (
            "16-18 very serious intentional, 60 months: 1 year",
            Some(d(2020, 1, 1)),
            Some(VerySerious),
            Some(Intentional),
            Imprisonment { months: 60 },
            Track::Automatic,
            12,
            Some(d(2022, 3, 10)),
        ),
        (
            "16-18 especially serious, 61 months: 2 years",
            Some(d(2020, 1, 1)),
            Some(EspeciallySerious),
            Some(Intentional),
            Imprisonment { months: 61 },
            Track::Automatic,
            24,
            Some(d(2023, 3, 10)),
        ),
        (
            "16-18 especially serious negligent, 181 months: 3 years",
            Some(d(2020, 1, 1)),
            Some(EspeciallySerious),
            Some(Negligent),
            Imprisonment { months: 181 },
            Track::Automatic,
            36,
            Some(d(2024, 3, 10)),
        ),
        (
            "18 on the day: adult, 2 years",
            Some(d(2021, 5, 15)),
            Some(VerySerious),
            Some(Intentional),
            Imprisonment { months: 60 },
            Track::Automatic,
            24,
            Some(d(2023, 3, 10)),
        ),
        (
            "adult negligent serious: no record (Art. 69(2))",
            Some(d(2021, 5, 15)),
            Some(Serious),
            Some(Negligent),
            Imprisonment { months: 36 },
            Track::NoRecord,
            0,
            None,
        ),
        (
            "adult negligent very serious: record",
            Some(d(2021, 5, 15)),
            Some(VerySerious),
            Some(Negligent),
            Imprisonment { months: 36 },
            Track::Automatic,
            24,
            Some(d(2023, 3, 10)),
        ),
    ];
    for (name, offence, category, culpability, principal, track, months, earliest) in table {
        let (person, mut c) = juvenile(born, offence, category, culpability, principal);
        c.judgment_date = offence.unwrap_or(c.judgment_date);
        let f = forecast(&person, &[c], as_of);
        assert_eq!(f.track, track, "{name}");
        assert_eq!(f.waiting_period_months, months, "{name}");
        assert_eq!(f.earliest_date, earliest, "{name}");
        assert!(f.blocking.is_empty(), "{name}: {:?}", f.blocking);
        assert!(f.eligible_on_as_of, "{name}");
        if track == Track::NoRecord {
            assert_eq!(f.waiting_period_years, 0, "{name}");
            assert_eq!(f.special_case_earliest_date, None, "{name}");
            assert!(f.note.as_deref().is_some_and(|n| n.contains("Art. ")), "{name}");
        }
    }
}

#[test]
#[allow(clippy::type_complexity)]
fn missing_facts_block_and_the_engine_does_not_guess() {
    use CrimeCategory::*;
    use Culpability::*;
    let born = d(2003, 5, 15);
    let as_of = d(2030, 1, 1);
    // (name, birth known, offence, judgment, category, culpability, expected track, codes)
    let table: [(
        &str,
        bool,
        Option<NaiveDate>,
        NaiveDate,
        Option<CrimeCategory>,
        Option<Culpability>,
        Track,
        Vec<&str>,
    ); 9] = [
        (
            "no offence date, 15 at judgment: settled, no record",
            true,
            None,
            d(2019, 5, 14),
            None,
            None,
            Track::NoRecord,
            vec![],
        ),
        (
            "no offence date, 17 at judgment, less serious: settled",
            true,
            None,
            d(2020, 6, 1),
            Some(LessSerious),
            None,
            Track::NoRecord,
            vec![],
        ),
        (
            "no offence date, 17 at judgment, very serious intentional: 14-16 or 16-18",
            true,
            None,
            d(2020, 6, 1),
            Some(VerySerious),
            Some(Intentional),
            Track::Automatic,
            vec!["offence_date_missing"],
        ),
        (
            "no offence date, adult at judgment, negligent less serious: settled",
            true,
            None,
            d(2025, 6, 1),
            Some(LessSerious),
            Some(Negligent),
            Track::NoRecord,
            vec![],
        ),
        (
            "no offence date, adult at judgment, intentional: unsettled",
            true,
            None,
            d(2025, 6, 1),
            Some(VerySerious),
            Some(Intentional),
            Track::Automatic,
            vec!["offence_date_missing"],
        ),
        (
            "adult, no category, intentional: settled",
            true,
            Some(d(2025, 6, 1)),
            d(2025, 6, 1),
            None,
            Some(Intentional),
            Track::Automatic,
            vec![],
        ),
        (
            "adult, negligent, no category",
            true,
            Some(d(2025, 6, 1)),
            d(2025, 6, 1),
            None,
            Some(Negligent),
            Track::Automatic,
            vec!["crime_category_missing"],
        ),
        (
            "adult, serious, no culpability",
            true,
            Some(d(2025, 6, 1)),
            d(2025, 6, 1),
            Some(Serious),
            None,
            Track::Automatic,
            vec!["culpability_missing"],
        ),
        (
            "no date of birth",
            false,
            Some(d(2025, 6, 1)),
            d(2025, 6, 1),
            Some(VerySerious),
            Some(Intentional),
            Track::Automatic,
            vec!["date_of_birth_missing"],
        ),
    ];
    for (name, known, offence, judgment, category, culpability, track, expected) in table {
        let (mut person, mut c) = juvenile(born, offence, category, culpability, Imprisonment { months: 30 });
        c.judgment_date = judgment;
        c.principal_completed_on = Some(judgment + Months::new(30));
        if !known {
            person.date_of_birth = None;
        }
        let f = forecast(&person, &[c], as_of);
        assert_eq!(f.track, track, "{name}");
        assert_eq!(codes(&f), expected, "{name}");
        assert_eq!(f.eligible_on_as_of, expected.is_empty(), "{name}");
        if !expected.is_empty() {
            // The adult period is shown meanwhile.
            assert_eq!(f.waiting_period_months, 24, "{name}");
            assert!(f.blocking[0].message.contains("21/2020/HS-ST"), "{name}");
            assert_eq!(f.convictions[0].record, "undetermined", "{name}");
        }
    }
}

#[test]
fn exempted_and_negligent_leave_no_record_art_69_2() {
    let mut exempted = conv("30/2021/HS-ST", 17, Exempted, None);
    exempted.culpability = None;
    exempted.crime_category = None;
    let f = fc(&[exempted.clone()], d(2022, 1, 1));
    assert_eq!(f.track, Track::NoRecord);
    assert_eq!(f.waiting_period_years, 0);
    assert_eq!(f.earliest_date, None);
    assert!(f.eligible_on_as_of);
    assert!(f.blocking.is_empty());
    assert!(f.note.as_deref().unwrap().contains("Art. 69(2)"));
    assert_eq!(f.convictions[0].record, "no_record");

    // A no-record conviction does not join or restart a record.
    let earlier = conv("01/2015/HS-ST", 17, Imprisonment { months: 24 }, Some(d(2017, 1, 1)));
    let mut negligent = conv("02/2018/HS-ST", 17, Imprisonment { months: 12 }, Some(d(2019, 6, 1)));
    negligent.offence_date = Some(d(2018, 1, 1));
    negligent.culpability = Some(Culpability::Negligent);
    negligent.crime_category = Some(CrimeCategory::Serious);
    let f = fc(&[earlier, negligent, exempted], d(2020, 1, 1));
    assert_eq!(f.track, Track::Automatic);
    assert_eq!(f.counted_from, Some(d(2017, 1, 1)));
    assert_eq!(f.earliest_date, Some(d(2019, 1, 1)));
    assert_eq!(f.convictions.iter().map(|c| c.record).collect::<Vec<_>>(), vec!["record", "no_record", "no_record"]);
}

#[test]
fn an_expunged_record_stays_expunged() {
    // Art. 69(1), 73(2): the 2003 record (84 months, released 2010-04-01, 3 years)
    // was expunged on 2013-04-01; a crime on or after that day starts afresh.
    let mut old = conv("12/2003/HS-ST", 17, Imprisonment { months: 84 }, Some(d(2010, 4, 1)));
    old.judgment_date = d(2003, 9, 1);
    old.offence_date = Some(d(2003, 2, 1));
    // (name, new offence date, expected counted_from, expected months, old expunged_on,
    // old still in the current record)
    let table = [
        // Expunged together with the new record, 36 months after the fine was paid.
        (
            "offence the day before: restarts, longest band",
            d(2013, 3, 31),
            d(2015, 6, 1),
            36,
            Some(d(2018, 6, 1)),
            true,
        ),
        ("offence on the day: already expunged", d(2013, 4, 1), d(2015, 6, 1), 12, Some(d(2013, 4, 1)), false),
        ("offence years later", d(2018, 1, 1), d(2015, 6, 1), 12, Some(d(2013, 4, 1)), false),
    ];
    for (name, offence, counted_from, months, old_expunged, current) in table {
        let mut new = conv("05/2014/HS-ST", 17, Fine, Some(d(2015, 6, 1)));
        new.offence_date = Some(offence);
        new.judgment_date = offence.max(d(2014, 12, 1));
        // Given in either order.
        for slice in [vec![old.clone(), new.clone()], vec![new.clone(), old.clone()]] {
            let f = fc(&slice, d(2030, 1, 1));
            assert_eq!(f.counted_from, Some(counted_from), "{name}");
            assert_eq!(f.waiting_period_months, months, "{name}");
            let o = slice.iter().position(|c| c.judgment_number == "12/2003/HS-ST").unwrap();
            assert_eq!(f.convictions[o].expunged_on, old_expunged, "{name}");
            assert_eq!(f.convictions[o].in_current_record, current, "{name}");
        }
    }
    // A condition met only after the new offence: not expunged before it.
    let mut late = old.clone();
    late.obligations.push(obligation("civil compensation", 1_000_000, Some(d(2019, 1, 1))));
    let mut new = conv("05/2018/HS-ST", 17, Fine, Some(d(2018, 6, 1)));
    new.offence_date = Some(d(2018, 1, 1));
    let f = fc(&[late, new.clone()], d(2030, 1, 1));
    assert_eq!(f.waiting_period_months, 36);
    assert_eq!(f.counted_from, Some(d(2018, 6, 1)));
    assert_eq!(f.earliest_date, Some(d(2021, 6, 1)));
    // The court track is never expunged without a court: restarts.
    let mut security = old.clone();
    security.chapter = 13;
    let f = fc(&[security.clone(), new.clone()], d(2030, 1, 1));
    assert_eq!(f.track, Track::CourtDecision);
    assert_eq!(f.convictions[0].expunged_on, None);
    // ...unless the court's expungement was recorded before the new offence.
    security.recorded_expunged_on = Some(d(2016, 2, 1));
    let f = fc(&[security, new], d(2030, 1, 1));
    assert_eq!(f.track, Track::Automatic);
    assert_eq!(f.waiting_period_months, 12);
    assert_eq!(f.convictions[0].expunged_on, Some(d(2016, 2, 1)));
    assert_eq!(f.convictions[0].expunged_on_source, Some("recorded"));
}

#[test]
fn the_current_record_shows_its_computed_expunged_on() {
    let c = conv("06/2019/HS-ST", 17, Fine, Some(d(2020, 3, 10)));
    let before = fc(std::slice::from_ref(&c), d(2021, 3, 9));
    assert_eq!(before.convictions[0].expunged_on, None);
    let on = fc(std::slice::from_ref(&c), d(2021, 3, 10));
    assert_eq!(on.convictions[0].expunged_on, Some(d(2021, 3, 10)));
    assert_eq!(on.convictions[0].expunged_on_source, Some("computed"));
    assert!(on.convictions[0].in_current_record);
}

#[test]
fn parolee_serves_the_sentence_at_the_end_of_probation() {
    // Art. 66: released 2022-01-10 on parole, probation until 2023-07-10.
    // (name, recorded completion, probation end, expected counted_from, codes)
    let table = [
        ("no completion recorded: end of probation", None, Some(d(2023, 7, 10)), Some(d(2023, 7, 10)), vec![]),
        (
            "certificate at the end of probation",
            Some(d(2023, 7, 10)),
            Some(d(2023, 7, 10)),
            Some(d(2023, 7, 10)),
            vec![],
        ),
        (
            "exempted from the rest earlier (Art. 73(4))",
            Some(d(2022, 9, 1)),
            Some(d(2023, 7, 10)),
            Some(d(2022, 9, 1)),
            vec![],
        ),
        ("nothing recorded", None, None, None, vec!["probation_end_missing"]),
    ];
    for (name, completed, probation_end, counted_from, expected) in table {
        let mut c = conv("09/2019/HS-ST", 17, Imprisonment { months: 48 }, completed);
        c.release_date = Some(d(2022, 1, 10));
        c.conditional_release = true;
        c.probation_end = probation_end;
        let f = fc(&[c], d(2030, 1, 1));
        assert_eq!(f.counted_from, counted_from, "{name}");
        assert_eq!(f.earliest_date, counted_from.and_then(|d| add_months(d, 24)), "{name}");
        assert_eq!(codes(&f), expected, "{name}");
    }
    // A release that is not parole defaults to the release date.
    let mut c = conv("09/2019/HS-ST", 17, Imprisonment { months: 48 }, None);
    c.release_date = Some(d(2022, 1, 10));
    assert_eq!(fc(&[c], d(2030, 1, 1)).counted_from, Some(d(2022, 1, 10)));
}

#[test]
fn court_refusals_art_71_3() {
    // Court track, 36 months → 3 years from 2020-01-01 = 2023-01-01; Art. 72: 12 months.
    let c = conv("01/2019/HS-ST", 13, Imprisonment { months: 36 }, Some(d(2020, 1, 1)));
    // (name, refusals, last refusal, as_of, earliest, special, eligible)
    let table = [
        ("none", 0, None, d(2023, 1, 1), d(2023, 1, 1), d(2021, 1, 1), true),
        (
            "first refusal 2022-06-15: 1 year",
            1,
            Some(d(2022, 6, 15)),
            d(2023, 6, 14),
            d(2023, 6, 15),
            d(2023, 6, 15),
            false,
        ),
        (
            "first refusal: eligible on the day",
            1,
            Some(d(2022, 6, 15)),
            d(2023, 6, 15),
            d(2023, 6, 15),
            d(2023, 6, 15),
            true,
        ),
        ("second refusal: 2 years", 2, Some(d(2022, 6, 15)), d(2024, 6, 14), d(2024, 6, 15), d(2024, 6, 15), false),
        ("third refusal: 2 years", 3, Some(d(2022, 6, 15)), d(2024, 6, 15), d(2024, 6, 15), d(2024, 6, 15), true),
        (
            "old refusal does not move a later date",
            1,
            Some(d(2020, 3, 1)),
            d(2023, 1, 1),
            d(2023, 1, 1),
            d(2021, 3, 1),
            true,
        ),
        (
            "refusal on 2023-02-28 of a leap-free year",
            1,
            Some(d(2024, 2, 29)),
            d(2025, 2, 28),
            d(2025, 2, 28),
            d(2025, 2, 28),
            true,
        ),
    ];
    for (name, refusals, last, as_of, earliest, special, eligible) in table {
        let person = PersonFacts { refusals, last_refusal_on: last, ..adult() };
        let f = forecast(&person, std::slice::from_ref(&c), as_of);
        assert_eq!(f.earliest_date, Some(earliest), "{name}");
        assert_eq!(f.special_case_earliest_date, Some(special), "{name}");
        assert_eq!(f.eligible_on_as_of, eligible, "{name}");
    }
    // The automatic track needs no application: only the Art. 72 date moves.
    let auto = conv("01/2019/HS-ST", 17, Imprisonment { months: 36 }, Some(d(2020, 1, 1)));
    let person = PersonFacts { refusals: 1, last_refusal_on: Some(d(2021, 3, 1)), ..adult() };
    let f = forecast(&person, &[auto], d(2022, 1, 1));
    assert_eq!(f.earliest_date, Some(d(2022, 1, 1)));
    assert_eq!(f.special_case_earliest_date, Some(d(2022, 3, 1)));
    assert!(f.eligible_on_as_of);
}

#[test]
fn age_on_birthdays() {
    let table = [
        (d(2003, 5, 15), d(2019, 5, 14), 15),
        (d(2003, 5, 15), d(2019, 5, 15), 16),
        (d(2004, 2, 29), d(2022, 2, 28), 17),
        (d(2004, 2, 29), d(2022, 3, 1), 18),
    ];
    for (born, on, age) in table {
        assert_eq!(age_on(born, on), age, "{born} on {on}");
    }
}
