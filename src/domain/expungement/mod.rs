//! Expungement of a criminal record (*xóa án tích*) under the Criminal Code
//! 2015 (amended 2017), Arts. 69–73 and 107, with the crime categories of
//! Art. 9, and periods counted as the Civil Code 2015 counts them (Arts.
//! 144–148).
//!
//! This is a pure rule engine: no I/O and no clock. "Today" is the `as_of`
//! argument of [`forecast`]. The rules, clause by clause, with an example
//! date for each, are in `docs/legal-rules.md` ("Criminal records").
//!
//! * **Art. 69(1)** — once expunged, the person is treated as never having
//!   been convicted: an expunged record is not revived by a later crime.
//! * **Art. 69(2)** — a person convicted of a *less serious* or *serious*
//!   crime committed *negligently* (lỗi vô ý), and a person exempted from
//!   penalty (miễn hình phạt), has no criminal record at all.
//! * **Art. 70** — automatic track (all crimes except Chapter XIII and
//!   Chapter XXVI): 1 / 2 / 3 / 5 years by [`Band`] (clause 2); a longer
//!   supplementary penalty ends the period when it is served (clause 2,
//!   second paragraph).
//! * **Art. 71** — court-decision track (Chapter XIII national security
//!   crimes, Chapter XXVI peace / war crimes): 1 / 3 / 5 / 7 years (clause 2).
//!   Clause 3: after a court refuses an application, a new one may be made
//!   only 1 year after the refusal, or 2 years after a second or later one.
//! * **Art. 72** — special case: clear progress plus a meritorious act; the
//!   court may expunge once one third of the Art. 70(2) / 71(2) period has
//!   passed.
//! * **Art. 73** — the period depends on the penalty *pronounced* (clause 1);
//!   a new crime committed *before* the record is expunged restarts the count
//!   from the new penalty's completion (clause 2); if any conviction belongs
//!   to the court track, the court track applies to all (clause 3);
//!   exemption from the rest of a penalty counts as having served it
//!   (clause 4).
//! * **Art. 107** — offenders under 18 at the time of the offence: aged 14 to
//!   under 16, no record (clause 1(a)); aged 16 to under 18 convicted of a
//!   less serious or serious crime, or of a very serious crime committed
//!   negligently, no record (clause 1(b)); aged 16 to under 18 convicted of a
//!   very serious crime committed intentionally or of an especially serious
//!   crime: automatic expungement after 6 months (warning, fine, non-custodial
//!   reform, suspended sentence), 1 year (prison up to 5 years), 2 years (over
//!   5 up to 15 years) or 3 years (over 15 years) (clause 2).
//! * **Art. 66** — a parolee (tha tù trước thời hạn có điều kiện) serves the
//!   rest of the term as a probation period equal to the remaining term: the
//!   prison sentence is served at the end of that probation, not on release.
//!
//! # Conventions
//!
//! * **Counting.** The waiting period is counted from the day the principal
//!   penalty was completed (release, end of a parolee's probation, end of
//!   suspended-sentence probation, exemption from the remainder, or expiry of
//!   the limitation period for executing the judgment). The record is
//!   expungeable **on** `completion + period`; the waiting period ends the
//!   day before. Example: completed 2020-03-10, 1-year period → expungeable
//!   on 2021-03-10, not on 2021-03-09.
//! * **Calendar months and years (Civil Code Arts. 145, 147, 148).** Every
//!   period is a whole number of months (a year is 12) added on the calendar;
//!   when the target month has no such day the date is the last day of that
//!   month: 2020-02-29 + 1 year = 2021-02-28; 2021-08-31 + 6 months =
//!   2022-02-28.
//! * **Art. 72 one third.** One third of a period of N years is 4N months
//!   (of 6 months, 2 months), counted the same way: completed 2021-10-31,
//!   2 years → one third is 8 months → 2022-06-30.
//! * **Conditions (Art. 70(2), 71(2)).** The supplementary penalties and the
//!   other decisions of the judgment (fines, compensation, court fees) must
//!   be served. Each supplementary penalty ends on its recorded
//!   `completed_on`, otherwise on its `ends_on`; each obligation on its
//!   `paid_on`. The earliest date is the latest of the period's end and
//!   those dates: a condition met after the period ends moves the date to the
//!   day it was met. An unmet condition, or one met after `as_of`, blocks
//!   eligibility; the date shown is then the period's (conditions assumed
//!   met on time).
//! * **Several convictions (Arts. 69(1), 73(2)).** The convictions are taken
//!   in the order of their offence dates (the judgment date when the offence
//!   date is unknown). Before each new offence, the records still open are
//!   checked: if they were expunged on or before the day of the new offence
//!   (a date recorded by the justice office or a court, or, on the automatic
//!   track, the computed date with every condition met), they stay expunged
//!   and are left out; otherwise they join the new conviction, and the count
//!   starts from the latest principal completion among them with the longest
//!   period among them. If any principal penalty in the open group is not
//!   completed, no date is given.
//! * **Missing facts.** Whether a conviction leaves a record depends on the
//!   offender's age at the offence (date of birth and `offence_date`), the
//!   crime category (Art. 9) and the culpability. When a needed fact is
//!   missing and the others do not settle the answer, a blocking reason names
//!   it and the engine does not guess: the dates shown are those of the adult
//!   rules (the longest possible period). Without `offence_date` the judgment
//!   date is used only when it settles the answer (the offence is never after
//!   the judgment, and no one is convicted for an act before turning 14).
//! * **Court refusals (Art. 71(3)).** They move the court-track earliest date
//!   and the Art. 72 date (both need an application to a court) to 1 year
//!   after the last refusal, or 2 years when there were two or more. The
//!   automatic track needs no application and is not moved.

mod facts;
mod labels;
mod terms;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;

pub use facts::*;
use labels::*;
pub use terms::*;

/// Forecast when the person's criminal record can be expunged, as of
/// `as_of` (see the module docs for the conventions).
pub fn forecast(person: &PersonFacts, convictions: &[ConvictionFacts], as_of: NaiveDate) -> Forecast {
    let mut blocking = Vec::new();
    if convictions.is_empty() {
        blocking.push(Blocking {
            code: "no_convictions",
            message: "No convictions were given, so there is no criminal record to expunge.".to_string(),
        });
        return Forecast {
            track: Track::Automatic,
            waiting_period_years: 0,
            waiting_period_months: 0,
            counted_from: None,
            earliest_date: None,
            special_case_earliest_date: None,
            eligible_on_as_of: false,
            blocking,
            note: None,
            convictions: Vec::new(),
        };
    }

    // Regime of each conviction; missing facts become blocking reasons and
    // the adult rules (the longest periods) apply meanwhile.
    let mut outcomes: Vec<ConvictionOutcome> = Vec::with_capacity(convictions.len());
    let mut regimes = Vec::with_capacity(convictions.len());
    for c in convictions {
        let (regime, record, article) = match regime_of(person, c) {
            Ok(r @ Regime::NoRecord(article)) => (r, "no_record", article),
            Ok(Regime::Juvenile) => (Regime::Juvenile, "record", "Art. 107(2)"),
            Ok(Regime::Adult) => (Regime::Adult, "record", adult_article(track_of_chapter(c.chapter))),
            Err(missing) => {
                let judgment = judgment_label(c);
                for fact in missing {
                    blocking.push(Blocking { code: missing_code(fact), message: missing_message(&judgment, fact) });
                }
                (Regime::Adult, "undetermined", adult_article(track_of_chapter(c.chapter)))
            }
        };
        regimes.push(regime);
        outcomes.push(ConvictionOutcome {
            record,
            article,
            expunged_on: c.recorded_expunged_on.filter(|_| record != "no_record"),
            expunged_on_source: c.recorded_expunged_on.filter(|_| record != "no_record").map(|_| "recorded"),
            in_current_record: false,
        });
    }

    // Date order of the record-bearing convictions (Art. 73(2)).
    let offence_of = |c: &ConvictionFacts| c.offence_date.unwrap_or(c.judgment_date);
    let mut order: Vec<usize> =
        (0..convictions.len()).filter(|&i| !matches!(regimes[i], Regime::NoRecord(_))).collect();
    order.sort_by_key(|&i| (offence_of(&convictions[i]), convictions[i].judgment_date, i));

    if order.is_empty() {
        let articles: Vec<&str> = outcomes.iter().map(|o| o.article).collect();
        let mut list = articles.clone();
        list.dedup();
        return Forecast {
            track: Track::NoRecord,
            waiting_period_years: 0,
            waiting_period_months: 0,
            counted_from: None,
            earliest_date: None,
            special_case_earliest_date: None,
            eligible_on_as_of: blocking.is_empty(),
            blocking,
            note: Some(format!(
                "No criminal record: under {} of the Criminal Code the person is not regarded as having a \
                 criminal record for {}.",
                list.join(" and "),
                if convictions.len() == 1 { "this conviction" } else { "these convictions" }
            )),
            convictions: outcomes,
        };
    }

    let mut open: Vec<usize> = Vec::new();
    for &i in &order {
        let offence = offence_of(&convictions[i]);
        // A record with its own recorded expungement on or before the new
        // offence stays expunged (Art. 69(1)).
        open.retain(|&j| convictions[j].recorded_expunged_on.is_none_or(|e| e > offence));
        if !open.is_empty() {
            let group = evaluate(person, convictions, &regimes, &open, offence);
            if group.track == Track::Automatic && group.blocking.is_empty() {
                if let Some(e) = group.earliest_date.filter(|&e| e <= offence) {
                    for &j in &open {
                        outcomes[j].expunged_on = Some(e);
                        outcomes[j].expunged_on_source = Some("computed");
                    }
                    open.clear();
                }
            }
        }
        open.push(i);
    }
    // Recorded expungements of the last group before as_of also count, but
    // the forecast is about the last open group as a whole.
    let g = evaluate(person, convictions, &regimes, &open, as_of);
    blocking.extend(g.blocking);
    let eligible_on_as_of = blocking.is_empty() && g.earliest_date.is_some_and(|d| d <= as_of);
    for &j in &open {
        outcomes[j].in_current_record = true;
        if outcomes[j].expunged_on.is_none() && g.track == Track::Automatic && eligible_on_as_of {
            outcomes[j].expunged_on = g.earliest_date;
            outcomes[j].expunged_on_source = Some("computed");
        }
    }
    Forecast {
        track: g.track,
        waiting_period_years: g.months / 12,
        waiting_period_months: g.months,
        counted_from: g.counted_from,
        earliest_date: g.earliest_date,
        special_case_earliest_date: g.special_case_earliest_date,
        eligible_on_as_of,
        blocking,
        note: None,
        convictions: outcomes,
    }
}

fn adult_article(track: Track) -> &'static str {
    match track {
        Track::CourtDecision => "Art. 71(2)",
        _ => "Art. 70(2)",
    }
}

fn missing_code(fact: &str) -> &'static str {
    match fact {
        "date_of_birth" => "date_of_birth_missing",
        "offence_date" => "offence_date_missing",
        "crime_category" => "crime_category_missing",
        _ => "culpability_missing",
    }
}

/// The forecast of one group of open records.
struct Group {
    track: Track,
    months: u32,
    counted_from: Option<NaiveDate>,
    earliest_date: Option<NaiveDate>,
    special_case_earliest_date: Option<NaiveDate>,
    blocking: Vec<Blocking>,
}

fn evaluate(
    person: &PersonFacts,
    all: &[ConvictionFacts],
    regimes: &[Regime],
    open: &[usize],
    as_of: NaiveDate,
) -> Group {
    // Art. 73(3): any adult conviction on the court track → court track for all.
    let track = if open
        .iter()
        .any(|&i| regimes[i] == Regime::Adult && track_of_chapter(all[i].chapter) == Track::CourtDecision)
    {
        Track::CourtDecision
    } else {
        Track::Automatic
    };
    let months = open
        .iter()
        .map(|&i| {
            let band = band_of(all[i].principal);
            match regimes[i] {
                Regime::Juvenile => juvenile_months(band),
                _ => waiting_years(track, band) * 12,
            }
        })
        .max()
        .unwrap_or(0);

    let mut blocking = Vec::new();
    let mut latest_completion: Option<NaiveDate> = None;
    let mut all_completed = true;
    // Latest day a condition (supplementary penalty, obligation) was met.
    let mut conditions_met: Option<NaiveDate> = None;

    for &i in open {
        let c = &all[i];
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

        match completion_of(c) {
            Ok(done) => latest_completion = latest_completion.max(Some(done)),
            Err(b) => {
                all_completed = false;
                blocking.push(b);
            }
        }

        for s in &c.supplementary {
            let item = supplementary_label(s);
            let end = s.completed_on.or(s.ends_on);
            conditions_met = conditions_met.max(end);
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
            if o.paid {
                conditions_met = conditions_met.max(o.paid_on);
            }
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

    // Art. 71(3): a new application to a court only 1 (or 2) years after a refusal.
    let reapply_on = person
        .last_refusal_on
        .filter(|_| person.refusals > 0)
        .and_then(|on| add_months(on, if person.refusals >= 2 { 24 } else { 12 }));
    let counted_from = if all_completed { latest_completion } else { None };
    let (mut earliest_date, mut special_case_earliest_date) = match counted_from {
        Some(from) => (
            add_months(from, months).map(|d| d.max(conditions_met.unwrap_or(d))),
            add_months(from, months / 3).map(|d| d.max(conditions_met.unwrap_or(d))),
        ),
        None => (None, None),
    };
    if let Some(r) = reapply_on {
        if track == Track::CourtDecision {
            earliest_date = earliest_date.map(|d| d.max(r));
        }
        special_case_earliest_date = special_case_earliest_date.map(|d| d.max(r));
        if track == Track::CourtDecision && r > as_of {
            blocking.push(Blocking {
                code: "refused_recently",
                message: format!(
                    "The court refused an application to expunge on {}{}; a new application is possible \
                     from {r} (Art. 71(3)).",
                    person.last_refusal_on.map(|d| d.to_string()).unwrap_or_default(),
                    if person.refusals >= 2 { " (a second or later refusal)" } else { "" }
                ),
            });
        }
    }
    Group { track, months, counted_from, earliest_date, special_case_earliest_date, blocking }
}
