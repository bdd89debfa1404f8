//! Bands, waiting periods and the regime (adult, juvenile, no record) of one conviction.

use chrono::{Datelike, Months, NaiveDate};

use super::facts::*;
use super::labels::{describe_principal, judgment_label};

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
pub(super) enum AgeClass {
    /// 14 to under 16.
    Under16,
    /// 16 to under 18.
    Under18,
    Adult,
}

/// Which rules a conviction falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Regime {
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

pub(super) fn class_of(age: i32) -> AgeClass {
    match age {
        ..=15 => AgeClass::Under16,
        16 | 17 => AgeClass::Under18,
        _ => AgeClass::Adult,
    }
}

/// The rule for one age class; `None` when the category or culpability
/// needed to decide is missing.
pub(super) fn regime_for(class: AgeClass, c: &ConvictionFacts) -> Option<Regime> {
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
pub(super) fn regime_of(person: &PersonFacts, c: &ConvictionFacts) -> Result<Regime, Vec<&'static str>> {
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

pub(super) fn missing_message(judgment: &str, fact: &str) -> String {
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
pub(super) fn completion_of(c: &ConvictionFacts) -> Result<NaiveDate, Blocking> {
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

/// Calendar addition of whole months, clamping to the last day of the month
/// (Civil Code Art. 148: 2020-02-29 + 12 months = 2021-02-28). `None` only
/// outside chrono's range.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}
