//! The facts the engine reads (a person, their convictions) and the forecast it answers.

use chrono::NaiveDate;
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

/// Serializes dates as `YYYY-MM-DD` (same output as chrono's own serde
/// support) without requiring chrono's `serde` feature.
pub(super) fn serialize_opt_date<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
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
