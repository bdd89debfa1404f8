//! The indicator figures: what the database computes for a unit and a period, and what the
//! API and the exports show (the DTOs re-export these types under their own names).
//!
//! Counting rules, stated once here and in each field's description:
//! - A person is **managed** on a day when their latest status change up to that day, among
//!   the changes recorded in the unit, is `received` or `under_management`. A person who
//!   moved between communes of one province is therefore counted once in the province.
//! - Events (receptions, exits, activities…) count when their date lies in `[from, to]`,
//!   both days included, in the unit where they were recorded.
//! - Moves between two communes of the reported unit are neither receptions nor exits of
//!   that unit; at commune level they are (`transferred_in`, `moved_out`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod figures;
pub use figures::{outreach_kind_label, Figure, FigureValue};

use crate::domain::enums::*;
pub use crate::domain::report_lines::{
    JudicialRecordFigures, LegalSupportTotal, MassOrganisationHelp, OrganisationHelp, OutreachBreakdown, OutreachLine,
    ProgrammeLoans,
};
use crate::domain::reporting::rate_hundredths;

/// A rate shown with what it is made of.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
    /// `numerator / denominator` in percent, rounded half up to 2 decimals; null when the
    /// denominator is 0.
    pub percent: Option<f64>,
}

impl Default for Rate {
    /// 0 of 0: no data.
    fn default() -> Rate {
        Rate::of(0, 0)
    }
}

impl Rate {
    pub fn of(numerator: i64, denominator: i64) -> Rate {
        Rate { numerator, denominator, percent: rate_hundredths(numerator, denominator).map(|h| h as f64 / 100.0) }
    }

    pub fn hundredths(&self) -> Option<i64> {
        rate_hundredths(self.numerator, self.denominator)
    }
}

/// Receptions in the period (tiếp nhận), by how the person left prison.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Receptions {
    /// Status changes to `received` in the period in the unit (excluding moves inside the unit).
    pub total: i64,
    pub completed_sentence: i64,
    pub special_amnesty: i64,
    pub conditional_early_release: i64,
    /// Receptions of persons with no release recorded yet.
    pub release_type_unknown: i64,
    /// Of the total: persons moved in from a commune outside the unit.
    pub transferred_in: i64,
    /// Parolees received more than 5 days after release (reception in the period).
    pub late_parolees: i64,
    /// Of the total: receptions whose management file was opened (the person's next change
    /// is `under_management`) by `to`.
    #[serde(default)]
    pub files_opened: i64,
    /// Of the total, less those transferred in (receptions after a custodial sentence): those
    /// whose latest release notice up to the reception day was dated at least 2 months
    /// before the expected release date (the facility's notice is due about 2 months ahead).
    #[serde(default)]
    pub notified_two_months_ahead: i64,
    /// Persons released to the unit: release notices addressed to the unit whose expected
    /// release date lies in the period, counted once the person was received (on or after
    /// the notice, by `to`, anywhere) or once the release date is more than
    /// `RECEPTION_GRACE_DAYS` (5) days before `to`. A person still `expected` 5 days after the
    /// expected release date therefore counts here and not in `released_received`.
    #[serde(default)]
    pub released: i64,
    /// Of `released`: those received by `to`.
    #[serde(default)]
    pub released_received: i64,
}

/// Days a released person has to report to the commune before a missing reception counts
/// against `rates.received_of_released`: the 5 days a parolee has to report to the commune
/// and register residence after release, the same window the `late_parolees` figure uses.
pub const RECEPTION_GRACE_DAYS: i64 = 5;

/// Exits in the period ("số giảm"), by reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Exits {
    pub total: i64,
    /// Record expunged (xóa án tích).
    pub expunged: i64,
    /// Convicted of a new crime (tái phạm tội).
    pub reoffended: i64,
    /// Administrative law violation (VPPL).
    pub law_violation: i64,
    /// Moved to a commune outside the unit.
    pub moved_out: i64,
    pub absconded: i64,
    pub deceased: i64,
}

/// The caseload.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Caseload {
    /// Managed at the end of the day before `from`.
    pub at_start: i64,
    /// Managed at the end of `to`.
    pub at_end: i64,
    /// Distinct persons managed at any time in the period (at start, or received or under
    /// management on a day of the period).
    pub during_period: i64,
    /// Management files opened in the period (`received` → `under_management`).
    pub files_opened: i64,
    /// Of `at_end`: by sex.
    pub at_end_male: i64,
    pub at_end_female: i64,
    pub at_end_other_sex: i64,
    /// Of `at_end`: under 18 on `to`.
    pub at_end_juveniles: i64,
    /// Of `at_end`: police classification group on `to` (Circular 10/2024/TT-BCA).
    pub at_end_group_a: i64,
    pub at_end_group_b: i64,
    pub at_end_group_c: i64,
    pub at_end_group_d: i64,
    pub at_end_unclassified: i64,
    /// Of `at_end`: marked as needing focused measures on `to`.
    pub at_end_needs_focus: i64,
    /// Of `at_end`: employment on `to` (latest recorded change up to `to`).
    pub at_end_employed_stable: i64,
    pub at_end_employed_unstable: i64,
    pub at_end_unemployed: i64,
    pub at_end_employment_unknown: i64,
}

/// Activities of one kind in the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct KindCount {
    /// Activity kind, legal-support sub-kind, model type or outreach kind.
    pub kind: String,
    /// Records (activities, models, events).
    pub count: i64,
    /// Distinct persons concerned (for outreach: total audience).
    pub persons: i64,
}

/// Support given in the period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Support {
    /// Every activity kind, with records and distinct persons (deleted records excluded).
    pub activities: Vec<KindCount>,
    /// Legal-procedure help by sub-kind (CCCD, residence, judicial record, expungement
    /// guidance, civil status, civil-judgment obligations).
    pub legal_support: Vec<KindCount>,
    /// Individual counselling records plus distinct group sessions.
    pub counselling_sessions: i64,
    /// Distinct persons counselled (individual or group).
    pub counselling_persons: i64,
    /// Distinct persons given legal-procedure help.
    pub legal_help_persons: i64,
    /// Trainings started in the period, and distinct persons trained.
    pub trainings_started: i64,
    pub trained_persons: i64,
    /// Trainings ending in the period.
    pub trainings_completed: i64,
    /// Job referrals made in the period.
    pub job_referrals: i64,
    /// Referrals with outcome `hired` dated in the period, and distinct persons hired.
    pub hires: i64,
    pub hired_persons: i64,
    /// Social assistance starting in the period: grants, distinct persons, VND.
    pub assistance_grants: i64,
    pub assistance_persons: i64,
    pub assistance_vnd: i64,
    /// Legal-procedure help as a line of its own: records and distinct persons, every sub-kind.
    #[serde(default)]
    pub legal_support_total: LegalSupportTotal,
    /// Judicial-record certificate requests recorded by the justice office.
    #[serde(default)]
    pub judicial_record_requests: JudicialRecordFigures,
}

/// Loans under Decision 22/2023/QĐ-TTg only (the bank's other programmes are in
/// `other_programme_loans`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LoanFigures {
    /// Distinct persons on the monthly eligibility lists (certified or later) of the
    /// period's months.
    pub listed_eligible: i64,
    /// Applications dated in the period.
    pub applications: i64,
    /// Loans with a disbursement in the period, the persons borrowing, and VND disbursed.
    pub disbursed_loans: i64,
    pub borrowers: i64,
    pub disbursed_vnd: i64,
    /// Principal disbursed minus principal repaid, on `to`.
    pub outstanding_vnd: i64,
    /// Distinct persons with a disbursement in the period under any programme, Decision 22
    /// and the bank's other programmes together (`other_programme_loans`).
    #[serde(default)]
    pub borrowers_all_programmes: i64,
}

/// Reintegration models, committees and outreach.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[schema(as = OrganisationFigures)]
pub struct Organisation {
    /// Active models on `to` by type (`persons`: managed persons participating on `to`).
    pub models_by_type: Vec<KindCount>,
    pub models_active: i64,
    /// Participants on `to` (persons, members and helpers), and of them the persons managed
    /// on `to` (an exit ends a person's participations on the exit day).
    pub model_participants: i64,
    pub model_person_participants: i64,
    /// Steering committees established by `to` and not dissolved by then.
    pub committees_active: i64,
    /// Outreach events held in the period by kind (`persons`: audience).
    pub outreach_by_kind: Vec<KindCount>,
    pub outreach_events: i64,
    pub outreach_audience: i64,
    /// Items produced or distributed (articles, leaflets, broadcasts…).
    pub outreach_quantity: i64,
    /// Propagandists serving on `to`.
    pub propagandists: i64,
    /// Communes with at least one person managed in the period (the denominator of the
    /// commune shares below).
    pub communes_with_managed: i64,
    /// Of those: communes running an active model on `to`, holding outreach in the period,
    /// having a propagandist on `to`.
    pub communes_with_model: i64,
    pub communes_with_outreach: i64,
    pub communes_with_propagandists: i64,
    /// Outreach held in the period by kind and by topic, with events, audience and quantity.
    #[serde(default)]
    pub outreach: OutreachBreakdown,
    /// Persons each supervising organisation helped in the period (supervised, or gave an
    /// activity), and the persons helped by the mass organisations together.
    #[serde(default)]
    pub mass_organisations: MassOrganisationHelp,
    /// Models not dissolved by `to`, by the last step (highest in the order of building a
    /// model) they reached by `to` (`kind`: the step; `persons` is 0). Models that reached no
    /// step are not listed.
    #[serde(default)]
    pub models_by_step: Vec<KindCount>,
    /// Communes of the unit with a model whose latest review by `to` rates it `effective`.
    #[serde(default)]
    pub communes_with_effective_model: i64,
}

/// Pre-release work, each figure counted on its own date: release notices addressed to the
/// unit (destination commune), and the facility activities of facilities that sit in the
/// unit or in a unit below it (`/facility-activities`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(default)]
pub struct PreRelease {
    /// Release notices with `notice_date` in the period.
    pub notices: i64,
    /// In-facility counselling sessions: those recorded on notices, counted on
    /// `counselling_held_on`, plus `counselling` facility activities (one session each).
    pub in_facility_counselling: i64,
    /// Persons given a travel allowance: notices with an allowance, counted on
    /// `travel_allowance_paid_on`, plus the `persons` of `travel_allowance` activities.
    pub travel_allowances: i64,
    /// The VND of those allowances.
    pub travel_allowance_vnd: i64,
    /// Prisoners taken in to serve a sentence (`persons` of `intake` activities).
    pub intakes: i64,
    /// Completion certificates requested (`persons` of `completion_certificate_request`).
    pub certificate_requests: i64,
    /// Policy briefings inside facilities: sessions and their attendance.
    pub policy_briefings: Sessions,
    /// Persons given vocational training (`persons` of `vocational_training` activities).
    pub trainings: i64,
    /// Pre-release education sessions (`pre_release_education` activities).
    pub education_sessions: i64,
    /// Prisoners held: for each facility, the `persons` of its latest `population` activity
    /// in the period, added up over the facilities.
    pub population: i64,
    /// Prisoners counselled or educated: the persons reached by `counselling` and
    /// `pre_release_education` activities (`persons`, or `attendance` when larger).
    pub counselled_or_educated: i64,
    /// `counselled_or_educated` ÷ `population`.
    pub counselled_or_educated_of_held: Rate,
    /// Prisoners of working age given vocational training (`trainings`, which facilities
    /// give to working-age prisoners) ÷ `population`.
    pub trained_of_held: Rate,
}

/// Sessions held and the attendance they had.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Sessions {
    pub sessions: i64,
    pub attendance: i64,
}

/// The headline rates, each with its numerator and denominator.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Rates {
    /// (reoffended + law violations in the period) ÷ received in the period.
    pub reoffending_of_received: Rate,
    /// (reoffended + law violations in the period) ÷ persons managed during the period.
    pub reoffending_of_managed: Rate,
    /// Distinct persons whose training started in the period ÷ managed during the period.
    pub trained: Rate,
    /// Distinct persons hired in the period ÷ managed during the period.
    pub placed_in_jobs: Rate,
    /// Distinct borrowers with a disbursement in the period ÷ persons listed eligible.
    pub given_loans: Rate,
    /// Distinct persons given legal-procedure help ÷ managed during the period.
    pub given_legal_help: Rate,
    /// Employed (stable or unstable) at the end ÷ managed at the end.
    pub employed_at_end: Rate,
    /// Communes with an active model ÷ communes with managed persons.
    pub communes_with_model: Rate,
    /// Communes holding outreach ÷ communes with managed persons.
    pub communes_with_outreach: Rate,
    /// Communes with a propagandist ÷ communes with managed persons.
    pub communes_with_propagandists: Rate,
    /// Persons received ÷ persons released to the unit (`received.released_received` ÷
    /// `received.released`): a person still `expected` 5 days after the expected release
    /// date counts against it.
    #[serde(default)]
    pub received_of_released: Rate,
    /// Receptions whose management file was opened by `to` ÷ receptions in the period.
    #[serde(default)]
    pub files_opened_of_received: Rate,
    /// Receptions notified at least 2 months before release ÷ receptions after a custodial
    /// sentence (received in the period, less those transferred in).
    #[serde(default)]
    pub notified_two_months_ahead: Rate,
    /// Distinct borrowers of every programme ÷ persons managed during the period (beside
    /// `given_loans`, which is Decision 22 borrowers ÷ persons listed eligible).
    #[serde(default)]
    pub borrowers_of_managed: Rate,
}

/// An indicator measured against its target.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TargetCheck {
    /// Indicator key, e.g. `rates.reoffending_of_managed` or `support.trained_persons`.
    pub indicator: String,
    pub measure: TargetMeasure,
    /// Bounds (percent for rates), inclusive.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The actual value (percent for rates); null when a rate has no denominator.
    pub actual: Option<f64>,
    pub outcome: TargetOutcome,
    /// The unit whose target applies (the unit itself, its province, or VN).
    pub set_by: String,
}

/// Live figures for a unit and a period, computed with SQL aggregates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Indicators {
    /// `VN`, a province or a commune code.
    pub unit: String,
    pub unit_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub received: Receptions,
    pub exits: Exits,
    pub managed: Caseload,
    pub support: Support,
    pub loans: LoanFigures,
    /// Loans of the Social Policy Bank's other programmes, by programme.
    #[serde(default)]
    pub other_programme_loans: Vec<ProgrammeLoans>,
    pub organisation: Organisation,
    pub pre_release: PreRelease,
    pub rates: Rates,
    /// Targets for the year of `to` that apply to the unit, with actual and outcome.
    pub targets: Vec<TargetCheck>,
    /// The plans of the unit (or area) whose period includes the year of `to`, each target
    /// measured on this period (a deadline target on its own date).
    #[serde(default)]
    pub plans: Vec<crate::domain::plans::PlanProgress>,
    pub computed_at: DateTime<Utc>,
}

/// Section titles of the printable report, in order.
pub const SECTION_TITLES: [(&str, &str); 8] = [
    ("received", "Tiếp nhận"),
    ("exits", "Số giảm"),
    ("managed", "Quản lý, giám sát"),
    ("support", "Tư vấn, trợ giúp pháp lý, đào tạo nghề, việc làm, trợ giúp xã hội"),
    ("loans", "Vay vốn (Quyết định 22/2023/QĐ-TTg và các chương trình khác của NHCSXH)"),
    ("organisation", "Mô hình, Ban Chỉ đạo, tuyên truyền"),
    ("pre_release", "Công tác trước khi chấp hành xong án"),
    ("rates", "Các tỷ lệ"),
];

impl Default for Rates {
    fn default() -> Self {
        let z = Rate::of(0, 0);
        Rates {
            reoffending_of_received: z,
            reoffending_of_managed: z,
            trained: z,
            placed_in_jobs: z,
            given_loans: z,
            given_legal_help: z,
            employed_at_end: z,
            communes_with_model: z,
            communes_with_outreach: z,
            communes_with_propagandists: z,
            received_of_released: z,
            files_opened_of_received: z,
            notified_two_months_ahead: z,
            borrowers_of_managed: z,
        }
    }
}

impl Indicators {
    /// All-zero figures with every kind listed: the catalogue of indicator keys.
    pub fn zero(unit: &str, from: NaiveDate, to: NaiveDate) -> Indicators {
        let kinds =
            |all: &[&str]| all.iter().map(|k| KindCount { kind: k.to_string(), count: 0, persons: 0 }).collect();
        let mut zero = Indicators {
            unit: unit.into(),
            unit_name: String::new(),
            from,
            to,
            received: Default::default(),
            exits: Default::default(),
            managed: Default::default(),
            support: Support {
                activities: kinds(&ActivityKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                legal_support: kinds(&LegalSubKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                ..Default::default()
            },
            loans: Default::default(),
            organisation: Organisation {
                models_by_type: kinds(&ModelType::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                outreach_by_kind: kinds(&OutreachKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                models_by_step: kinds(&ModelStep::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
                ..Default::default()
            },
            pre_release: Default::default(),
            rates: Default::default(),
            targets: Vec::new(),
            plans: Vec::new(),
            computed_at: DateTime::<Utc>::UNIX_EPOCH,
            other_programme_loans: Vec::new(),
        };
        crate::domain::report_lines::zero_lines(&mut zero);
        zero
    }

    /// The keys a target may name.
    pub fn keys() -> Vec<String> {
        let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        Indicators::zero("VN", d, d).figures().into_iter().map(|f| f.key).collect()
    }
}
