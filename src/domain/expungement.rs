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

use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};

/// Principal penalty as *pronounced* in the judgment (Art. 73(1)), not the
/// time actually served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrincipalPenalty {
    /// Cảnh cáo.
    #[default]
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
    /// Miễn hình phạt: convicted but exempted from penalty (Art. 59); no
    /// record (Art. 69(2)).
    Exempted,
}

/// Crime category by the maximum penalty the law provides (Art. 9(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrimeCategory {
    /// Ít nghiêm trọng: up to 3 years.
    LessSerious,
    /// Nghiêm trọng: over 3 up to 7 years.
    Serious,
    /// Rất nghiêm trọng: over 7 up to 15 years.
    VerySerious,
    /// Đặc biệt nghiêm trọng: over 15 years, life or death.
    EspeciallySerious,
}

/// Lỗi cố ý / lỗi vô ý (Arts. 10, 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culpability {
    Intentional,
    Negligent,
}

/// How the record is expunged: automatically (Art. 70), by a court decision
/// (Art. 71), or there is no record to expunge (Arts. 69(2), 107(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// Art. 70 (and Art. 107(2)) — automatic expungement.
    Automatic,
    /// Art. 71 — expungement by court decision (Chapters XIII and XXVI).
    CourtDecision,
    /// Art. 69(2) or 107(1) — the conviction leaves no criminal record.
    NoRecord,
}

/// Severity band of the principal penalty, shared by Arts. 70(2), 71(2) and
/// 107(2).
///
/// Ordered from the shortest to the longest waiting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Warning, fine, non-custodial reform or suspended sentence
    /// (automatic 1 year, court 1 year, under 18: 6 months).
    OneYearBand,
    /// Imprisonment up to and including 5 years, i.e. at most 60 months
    /// (automatic 2 years, court 3 years, under 18: 1 year).
    UpToFiveYears,
    /// Imprisonment over 5 up to and including 15 years, i.e. 61..=180
    /// months (automatic 3 years, court 5 years, under 18: 2 years).
    FiveToFifteenYears,
    /// Imprisonment over 15 years (181+ months), life, or a commuted death
    /// sentence (automatic 5 years, court 7 years, under 18: 3 years).
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConvictionFacts {
    pub judgment_number: String,
    /// Criminal Code chapter of the most serious offence (13 and 26 → court
    /// track). Offences are in Chapters XIII–XXVI.
    pub chapter: u8,
    pub principal: PrincipalPenalty,
    /// Recorded completion of the principal penalty (release, end of
    /// probation, exemption from the rest). `None` = not recorded: for a
    /// parolee the end of probation is used, otherwise the release date.
    pub principal_completed_on: Option<NaiveDate>,
    pub supplementary: Vec<SupplementaryPenalty>,
    pub obligations: Vec<Obligation>,
    pub judgment_date: NaiveDate,
    /// Day the crime was committed.
    pub offence_date: Option<NaiveDate>,
    pub crime_category: Option<CrimeCategory>,
    pub culpability: Option<Culpability>,
    pub release_date: Option<NaiveDate>,
    /// Released on parole (Art. 66).
    pub conditional_release: bool,
    /// End of the parolee's probation period.
    pub probation_end: Option<NaiveDate>,
    /// Expungement recorded for this conviction by the justice office or a
    /// court.
    pub recorded_expunged_on: Option<NaiveDate>,
}

/// Facts about the person rather than one judgment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PersonFacts {
    pub date_of_birth: Option<NaiveDate>,
    /// Recorded refusals of an application to expunge (Art. 71(3)).
    pub refusals: u32,
    /// Date of the latest refusal.
    pub last_refusal_on: Option<NaiveDate>,
}

/// A reason the record cannot be expunged yet, besides the waiting period.
///
/// Codes: `no_convictions`, `principal_not_completed`,
/// `probation_end_missing`, `supplementary_not_completed`,
/// `obligation_unpaid`, `unknown_chapter`, `date_of_birth_missing`,
/// `offence_date_missing`, `crime_category_missing`, `culpability_missing`,
/// `refused_recently`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocking {
    pub code: &'static str,
    pub message: String,
}

/// What the forecast says about one conviction, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConvictionOutcome {
    /// `no_record`, `record` or `undetermined` (a fact is missing).
    pub record: &'static str,
    /// The article that applies: e.g. `Art. 69(2)`, `Art. 107(2)`, `Art. 70(2)`.
    pub article: &'static str,
    /// Day the record was (or will be, by law) expunged: recorded by the
    /// justice office or a court, or computed on the automatic track once
    /// reached with every condition met.
    #[serde(serialize_with = "serialize_opt_date")]
    pub expunged_on: Option<NaiveDate>,
    /// `recorded` or `computed` when `expunged_on` is set.
    pub expunged_on_source: Option<&'static str>,
    /// Part of the record the forecast is about (not expunged before a later
    /// offence, and leaving a record).
    pub in_current_record: bool,
}

/// Result of [`forecast`]. Dates serialize as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub track: Track,
    /// Whole years of the waiting period (0 for a 6-month period).
    pub waiting_period_years: u32,
    /// The waiting period in months.
    pub waiting_period_months: u32,
    /// Latest principal completion among the open convictions (Art. 73(2)).
    #[serde(serialize_with = "serialize_opt_date")]
    pub counted_from: Option<NaiveDate>,
    /// First day the record is expungeable; `None` when a principal penalty
    /// is not completed, or there is no record.
    #[serde(serialize_with = "serialize_opt_date")]
    pub earliest_date: Option<NaiveDate>,
    /// Art. 72 special case (court decision after one third of the period).
    #[serde(serialize_with = "serialize_opt_date")]
    pub special_case_earliest_date: Option<NaiveDate>,
    /// `earliest_date <= as_of` and nothing blocking (always true for no
    /// record). On the court track this means the person may apply.
    pub eligible_on_as_of: bool,
    pub blocking: Vec<Blocking>,
    /// A sentence naming the article when there is no record.
    pub note: Option<String>,
    /// One entry per conviction, in the order given.
    pub convictions: Vec<ConvictionOutcome>,
}

/// Band of a pronounced principal penalty (Arts. 70(2), 71(2), 73(1)).
pub fn band_of(p: PrincipalPenalty) -> Band {
    match p {
        PrincipalPenalty::Warning
        | PrincipalPenalty::Fine
        | PrincipalPenalty::NonCustodialReform
        | PrincipalPenalty::Suspended
        | PrincipalPenalty::Exempted => Band::OneYearBand,
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
        (Track::NoRecord, _) => 0,
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

/// Waiting period in months for an offender aged 16 to under 18 (Art. 107(2)).
pub fn juvenile_months(band: Band) -> u32 {
    match band {
        Band::OneYearBand => 6,
        Band::UpToFiveYears => 12,
        Band::FiveToFifteenYears => 24,
        Band::OverFifteenYears => 36,
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

/// Age class at the offence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AgeClass {
    /// 14 to under 16.
    Under16,
    /// 16 to under 18.
    Under18,
    Adult,
}

/// Which rules a conviction falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Regime {
    NoRecord(&'static str),
    /// Art. 107(2) shortened automatic periods.
    Juvenile,
    /// Arts. 70 / 71.
    Adult,
}

impl Regime {
    fn same_kind(self, other: Regime) -> bool {
        matches!((self, other), (Regime::NoRecord(_), Regime::NoRecord(_))) || self == other
    }
}

/// Whole years of age on `on` for someone born on `birth` (a person born on
/// 29 February turns a year older on 1 March in common years).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

fn class_of(age: i32) -> AgeClass {
    match age {
        ..=15 => AgeClass::Under16,
        16 | 17 => AgeClass::Under18,
        _ => AgeClass::Adult,
    }
}

/// The rule for one age class; `None` when the category or culpability
/// needed to decide is missing.
fn regime_for(class: AgeClass, c: &ConvictionFacts) -> Option<Regime> {
    use CrimeCategory::*;
    use Culpability::*;
    if c.principal == PrincipalPenalty::Exempted {
        return Some(Regime::NoRecord("Art. 69(2)"));
    }
    match class {
        AgeClass::Under16 => Some(Regime::NoRecord("Art. 107(1)(a)")),
        AgeClass::Under18 => match (c.crime_category?, c.culpability) {
            (LessSerious | Serious, _) => Some(Regime::NoRecord("Art. 107(1)(b)")),
            (VerySerious, Some(Negligent)) => Some(Regime::NoRecord("Art. 107(1)(b)")),
            (VerySerious, Some(Intentional)) | (EspeciallySerious, _) => Some(Regime::Juvenile),
            (VerySerious, None) => None,
        },
        AgeClass::Adult => match (c.culpability, c.crime_category) {
            (Some(Intentional), _) | (_, Some(VerySerious | EspeciallySerious)) => Some(Regime::Adult),
            (Some(Negligent), Some(LessSerious | Serious)) => Some(Regime::NoRecord("Art. 69(2)")),
            _ => None,
        },
    }
}

/// Decides the regime of one conviction, or lists the missing facts.
fn regime_of(person: &PersonFacts, c: &ConvictionFacts) -> Result<Regime, Vec<&'static str>> {
    let classes: Vec<AgeClass> = match (person.date_of_birth, c.offence_date) {
        (Some(birth), Some(offence)) => vec![class_of(age_on(birth, offence))],
        (Some(birth), None) => match class_of(age_on(birth, c.judgment_date)) {
            AgeClass::Under16 => vec![AgeClass::Under16],
            AgeClass::Under18 => vec![AgeClass::Under16, AgeClass::Under18],
            AgeClass::Adult => vec![AgeClass::Under16, AgeClass::Under18, AgeClass::Adult],
        },
        (None, _) => vec![AgeClass::Under16, AgeClass::Under18, AgeClass::Adult],
    };
    let outcomes: Vec<Option<Regime>> = classes.iter().map(|&k| regime_for(k, c)).collect();
    if let Some(Some(first)) = outcomes.first() {
        if outcomes.iter().all(|o| o.is_some_and(|r| r.same_kind(*first))) {
            // The oldest class's article: the likeliest one.
            return Ok(outcomes.last().copied().flatten().unwrap_or(*first));
        }
    }
    let mut missing = Vec::new();
    if classes.len() > 1 {
        missing.push(if person.date_of_birth.is_none() { "date_of_birth" } else { "offence_date" });
    }
    let undecided = |k: AgeClass| classes.contains(&k) && regime_for(k, c).is_none();
    let category_needed = c.crime_category.is_none()
        && (undecided(AgeClass::Under18) || undecided(AgeClass::Adult) || classes.contains(&AgeClass::Under18));
    if category_needed {
        missing.push("crime_category");
    }
    let culpability_needed = c.culpability.is_none()
        && (undecided(AgeClass::Adult)
            || (classes.contains(&AgeClass::Under18)
                && matches!(c.crime_category, None | Some(CrimeCategory::VerySerious))));
    if culpability_needed {
        missing.push("culpability");
    }
    if missing.is_empty() {
        // Cannot happen with the rules above; name every optional fact.
        missing.push("offence_date");
    }
    Err(missing)
}

fn missing_message(judgment: &str, fact: &str) -> String {
    let what = match fact {
        "date_of_birth" => {
            "the person's date of birth is not recorded, so the age at the offence (Art. 107) is unknown"
        }
        "offence_date" => {
            "the offence date is not recorded and the judgment date alone does not settle the age at the \
             offence (Art. 107)"
        }
        "crime_category" => {
            "the crime category (Art. 9: less serious, serious, very serious, especially serious) is not \
             recorded, and Arts. 69(2) / 107 depend on it"
        }
        _ => "the culpability (intentional or negligent) is not recorded, and Arts. 69(2) / 107 depend on it",
    };
    format!("{judgment}: {what}. Record it; until then the dates shown follow the adult rules and are not relied on.")
}

/// The completion date used for a conviction and, when there is none, the
/// blocking reason (Art. 66 for parolees, Art. 73(4)).
fn completion_of(c: &ConvictionFacts) -> Result<NaiveDate, Blocking> {
    let judgment = judgment_label(c);
    let default = if c.conditional_release { c.probation_end } else { c.release_date };
    match c.principal_completed_on.or(default) {
        Some(d) => Ok(d),
        None if c.conditional_release => Err(Blocking {
            code: "probation_end_missing",
            message: format!(
                "{judgment}: released on parole, but neither the end of the probation period nor the \
                 completion of the sentence is recorded; the prison sentence counts as served at the end \
                 of probation (Art. 66)."
            ),
        }),
        None => Err(Blocking {
            code: "principal_not_completed",
            message: format!(
                "{judgment}: the principal penalty ({}) has not been completed; the waiting period only \
                 starts once it is served, its probation ends or the person is exempted from the rest.",
                describe_principal(c.principal)
            ),
        }),
    }
}

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

/// Calendar addition of whole months, clamping to the last day of the month
/// (Civil Code Art. 148: 2020-02-29 + 12 months = 2021-02-28). `None` only
/// outside chrono's range.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
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
        PrincipalPenalty::Exempted => "exemption from penalty".to_string(),
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
        assert_eq!(
            f.convictions.iter().map(|c| c.record).collect::<Vec<_>>(),
            vec!["record", "no_record", "no_record"]
        );
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
}
