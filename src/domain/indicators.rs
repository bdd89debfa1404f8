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

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FigureValue {
    Count(i64),
    Vnd(i64),
    Rate(Rate),
}

impl FigureValue {
    /// The comparable value: counts and VND as they are, rates in hundredths of a percent.
    pub fn comparable(&self) -> Option<i64> {
        match self {
            FigureValue::Count(n) | FigureValue::Vnd(n) => Some(*n),
            FigureValue::Rate(r) => r.hundredths(),
        }
    }

    /// As written in exports: `7.46` for rates, plain integers otherwise.
    pub fn display(&self) -> String {
        match self {
            FigureValue::Count(n) | FigureValue::Vnd(n) => n.to_string(),
            FigureValue::Rate(r) => r.hundredths().map(|h| format!("{}.{:02}", h / 100, h % 100)).unwrap_or_default(),
        }
    }
}

/// One line of the indicator table: stable key, Vietnamese label, value.
#[derive(Debug, Clone)]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub section: &'static str,
    pub value: FigureValue,
}

/// The Vietnamese label of an outreach kind (or of any kind code of the figures).
pub fn outreach_kind_label(kind: &str) -> &str {
    kind_label(kind)
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "home_visit" => "thăm gặp tại nhà",
        "check_in" => "kiểm diện",
        "counselling_individual" => "tư vấn cá nhân",
        "counselling_group" => "tư vấn nhóm",
        "psychological_support" => "hỗ trợ tâm lý",
        "legal_support" => "trợ giúp pháp lý",
        "vocational_guidance" => "hướng nghiệp",
        "loan_guidance" => "hướng dẫn vay vốn",
        "violation_observed" => "phát hiện vi phạm",
        "commendation" => "khen ngợi",
        "national_id_card" => "làm CCCD",
        "residence_registration" => "đăng ký cư trú",
        "judicial_record_certificate" => "phiếu lý lịch tư pháp",
        "expungement_guidance" => "hướng dẫn xóa án tích",
        "civil_status" => "hộ tịch",
        "civil_judgment_obligation" => "nghĩa vụ thi hành án dân sự",
        "procedure_other" => "thủ tục khác",
        "self_management_group" => "Tổ tự quản",
        "youth_volunteer_team" => "Đội thanh niên tình nguyện",
        "employment_support" => "hỗ trợ việc làm",
        "joint_management" => "chung tay quản lý, giáo dục",
        "supervision_education" => "giám sát, giáo dục",
        "production" => "sản xuất",
        "meeting" => "họp, hội nghị",
        "broadcast_news" => "tin phát thanh, truyền hình",
        "article" => "bài viết",
        "leaflet_distribution" => "phát tờ rơi",
        "in_facility_session" => "buổi tại cơ sở giam giữ",
        "banner" => "băng rôn, khẩu hiệu",
        "loudspeaker" => "loa truyền thanh",
        _ => "khác",
    }
}

/// The Vietnamese label of a step of building a model.
fn step_label(step: &str) -> &str {
    match step {
        "committee_formed" => "thành lập Ban chủ nhiệm",
        "regulations_issued" => "ban hành quy chế",
        "first_activities" => "tổ chức hoạt động",
        "launched" => "ra mắt",
        "maintaining" => "duy trì hoạt động",
        _ => "khác",
    }
}

impl Indicators {
    /// The flat table used by CSV, XLSX, HTML, targets and comparisons.
    pub fn figures(&self) -> Vec<Figure> {
        let mut out = Vec::new();
        let mut push = |section: &'static str, key: String, label: String, value: FigureValue| {
            out.push(Figure { key, label, section, value });
        };
        use FigureValue::{Count as C, Rate as R, Vnd as V};
        let r = &self.received;
        for (k, l, v) in [
            ("total", "Tổng số tiếp nhận trong kỳ", r.total),
            ("completed_sentence", "— chấp hành xong án phạt tù", r.completed_sentence),
            ("special_amnesty", "— được đặc xá", r.special_amnesty),
            ("conditional_early_release", "— tha tù trước thời hạn có điều kiện", r.conditional_early_release),
            ("release_type_unknown", "— chưa rõ hình thức", r.release_type_unknown),
            ("transferred_in", "— từ nơi khác chuyển đến", r.transferred_in),
            ("late_parolees", "Tha tù có điều kiện trình diện quá 5 ngày", r.late_parolees),
            ("files_opened", "Số được tiếp nhận đã lập hồ sơ quản lý", r.files_opened),
            (
                "notified_two_months_ahead",
                "Số được tiếp nhận có thông báo trước 02 tháng khi chấp hành xong án",
                r.notified_two_months_ahead,
            ),
            ("released", "Số người chấp hành xong án phạt tù về địa phương", r.released),
            ("released_received", "— trong đó đã được tiếp nhận", r.released_received),
        ] {
            push("received", format!("received.{k}"), l.into(), C(v));
        }
        let e = &self.exits;
        for (k, l, v) in [
            ("total", "Tổng số giảm trong kỳ", e.total),
            ("expunged", "— được xóa án tích", e.expunged),
            ("reoffended", "— tái phạm tội", e.reoffended),
            ("law_violation", "— vi phạm pháp luật", e.law_violation),
            ("moved_out", "— chuyển đi nơi khác", e.moved_out),
            ("absconded", "— bỏ đi khỏi địa phương", e.absconded),
            ("deceased", "— chết", e.deceased),
        ] {
            push("exits", format!("exits.{k}"), l.into(), C(v));
        }
        let m = &self.managed;
        for (k, l, v) in [
            ("at_start", "Đang quản lý đầu kỳ", m.at_start),
            ("at_end", "Đang quản lý cuối kỳ", m.at_end),
            ("during_period", "Số người được quản lý trong kỳ", m.during_period),
            ("files_opened", "Hồ sơ quản lý lập mới", m.files_opened),
            ("at_end_male", "Cuối kỳ — nam", m.at_end_male),
            ("at_end_female", "Cuối kỳ — nữ", m.at_end_female),
            ("at_end_other_sex", "Cuối kỳ — giới tính khác", m.at_end_other_sex),
            ("at_end_juveniles", "Cuối kỳ — người chưa thành niên", m.at_end_juveniles),
            ("at_end_group_a", "Cuối kỳ — nhóm A", m.at_end_group_a),
            ("at_end_group_b", "Cuối kỳ — nhóm B", m.at_end_group_b),
            ("at_end_group_c", "Cuối kỳ — nhóm C", m.at_end_group_c),
            ("at_end_group_d", "Cuối kỳ — nhóm D", m.at_end_group_d),
            ("at_end_unclassified", "Cuối kỳ — chưa phân loại", m.at_end_unclassified),
            ("at_end_needs_focus", "Cuối kỳ — cần áp dụng biện pháp trọng điểm", m.at_end_needs_focus),
            ("at_end_employed_stable", "Cuối kỳ — có việc làm ổn định", m.at_end_employed_stable),
            ("at_end_employed_unstable", "Cuối kỳ — có việc làm không ổn định", m.at_end_employed_unstable),
            ("at_end_unemployed", "Cuối kỳ — chưa có việc làm", m.at_end_unemployed),
            ("at_end_employment_unknown", "Cuối kỳ — chưa rõ việc làm", m.at_end_employment_unknown),
        ] {
            push("managed", format!("managed.{k}"), l.into(), C(v));
        }
        let s = &self.support;
        for a in &s.activities {
            let l = kind_label(&a.kind);
            push("support", format!("support.activities.{}.count", a.kind), format!("Lượt {l}"), C(a.count));
            push("support", format!("support.activities.{}.persons", a.kind), format!("Số người — {l}"), C(a.persons));
        }
        for a in &s.legal_support {
            let l = kind_label(&a.kind);
            push(
                "support",
                format!("support.legal_support.{}.count", a.kind),
                format!("Trợ giúp pháp lý — {l}"),
                C(a.count),
            );
            push(
                "support",
                format!("support.legal_support.{}.persons", a.kind),
                format!("Số người được trợ giúp — {l}"),
                C(a.persons),
            );
        }
        for (k, l, v) in [
            ("counselling_sessions", "Buổi tư vấn tâm lý", s.counselling_sessions),
            ("counselling_persons", "Số người được tư vấn", s.counselling_persons),
            ("legal_help_persons", "Số người được trợ giúp pháp lý", s.legal_help_persons),
            ("trainings_started", "Khóa đào tạo nghề bắt đầu", s.trainings_started),
            ("trained_persons", "Số người được đào tạo nghề", s.trained_persons),
            ("trainings_completed", "Khóa đào tạo nghề kết thúc", s.trainings_completed),
            ("job_referrals", "Lượt giới thiệu việc làm", s.job_referrals),
            ("hires", "Lượt được tuyển dụng", s.hires),
            ("hired_persons", "Số người có việc làm qua giới thiệu", s.hired_persons),
            ("assistance_grants", "Lượt trợ giúp xã hội", s.assistance_grants),
            ("assistance_persons", "Số người được trợ giúp xã hội", s.assistance_persons),
        ] {
            push("support", format!("support.{k}"), l.into(), C(v));
        }
        push("support", "support.assistance_vnd".into(), "Kinh phí trợ giúp xã hội (đồng)".into(), V(s.assistance_vnd));
        let lo = &self.loans;
        for (k, l, v) in [
            ("listed_eligible", "Số người đủ điều kiện vay (danh sách)", C(lo.listed_eligible)),
            ("applications", "Hồ sơ đề nghị vay", C(lo.applications)),
            ("disbursed_loans", "Khoản vay được giải ngân", C(lo.disbursed_loans)),
            ("borrowers", "Số người được vay", C(lo.borrowers)),
            ("disbursed_vnd", "Số tiền giải ngân (đồng)", V(lo.disbursed_vnd)),
            ("outstanding_vnd", "Dư nợ cuối kỳ (đồng)", V(lo.outstanding_vnd)),
            ("borrowers_all_programmes", "Số người được vay (tất cả các chương trình)", C(lo.borrowers_all_programmes)),
        ] {
            push("loans", format!("loans.{k}"), l.into(), v);
        }
        let o = &self.organisation;
        for mt in &o.models_by_type {
            let l = kind_label(&mt.kind);
            push("organisation", format!("organisation.models.{}.count", mt.kind), format!("Mô hình {l}"), C(mt.count));
            push(
                "organisation",
                format!("organisation.models.{}.persons", mt.kind),
                format!("Người tham gia mô hình {l}"),
                C(mt.persons),
            );
        }
        for ms in &o.models_by_step {
            push(
                "organisation",
                format!("organisation.models_by_step.{}", ms.kind),
                format!("Mô hình đã đạt bước: {}", step_label(&ms.kind)),
                C(ms.count),
            );
        }
        for ok in &o.outreach_by_kind {
            let l = kind_label(&ok.kind);
            push(
                "organisation",
                format!("organisation.outreach.{}.count", ok.kind),
                format!("Tuyên truyền — {l}"),
                C(ok.count),
            );
            push(
                "organisation",
                format!("organisation.outreach.{}.audience", ok.kind),
                format!("Lượt người nghe — {l}"),
                C(ok.persons),
            );
        }
        for (k, l, v) in [
            ("models_active", "Mô hình đang hoạt động", o.models_active),
            ("model_participants", "Người tham gia mô hình", o.model_participants),
            ("model_person_participants", "Người được quản lý tham gia mô hình", o.model_person_participants),
            ("committees_active", "Ban Chỉ đạo đang hoạt động", o.committees_active),
            ("outreach_events", "Hoạt động tuyên truyền", o.outreach_events),
            ("outreach_audience", "Lượt người được tuyên truyền", o.outreach_audience),
            ("outreach_quantity", "Số tin, bài, tờ rơi", o.outreach_quantity),
            ("propagandists", "Tuyên truyền viên", o.propagandists),
            ("communes_with_managed", "Số xã có người được quản lý", o.communes_with_managed),
            ("communes_with_model", "Số xã có mô hình", o.communes_with_model),
            ("communes_with_outreach", "Số xã tổ chức tuyên truyền", o.communes_with_outreach),
            ("communes_with_propagandists", "Số xã có tuyên truyền viên", o.communes_with_propagandists),
            (
                "communes_with_effective_model",
                "Số xã có mô hình được đánh giá hiệu quả",
                o.communes_with_effective_model,
            ),
        ] {
            push("organisation", format!("organisation.{k}"), l.into(), C(v));
        }
        let p = &self.pre_release;
        push("pre_release", "pre_release.notices".into(), "Thông báo trước khi chấp hành xong án".into(), C(p.notices));
        push(
            "pre_release",
            "pre_release.in_facility_counselling".into(),
            "Buổi tư vấn tại cơ sở giam giữ".into(),
            C(p.in_facility_counselling),
        );
        push(
            "pre_release",
            "pre_release.travel_allowances".into(),
            "Số người được cấp tiền tàu xe".into(),
            C(p.travel_allowances),
        );
        push(
            "pre_release",
            "pre_release.travel_allowance_vnd".into(),
            "Tiền tàu xe (đồng)".into(),
            V(p.travel_allowance_vnd),
        );
        for (k, l, v) in [
            ("intakes", "Số phạm nhân được tiếp nhận vào cơ sở giam giữ", p.intakes),
            (
                "certificate_requests",
                "Số trường hợp đề nghị cấp giấy chứng nhận chấp hành xong án",
                p.certificate_requests,
            ),
            ("policy_briefings.sessions", "Buổi phổ biến chính sách tại cơ sở giam giữ", p.policy_briefings.sessions),
            ("policy_briefings.attendance", "Lượt người dự phổ biến chính sách", p.policy_briefings.attendance),
            ("trainings", "Số phạm nhân được dạy nghề", p.trainings),
            ("education_sessions", "Buổi giáo dục chuẩn bị tái hòa nhập cộng đồng", p.education_sessions),
            ("population", "Số phạm nhân đang chấp hành án tại cơ sở giam giữ", p.population),
            ("counselled_or_educated", "Số phạm nhân được tư vấn, giáo dục", p.counselled_or_educated),
        ] {
            push("pre_release", format!("pre_release.{k}"), l.into(), C(v));
        }
        for (k, l, v) in [
            (
                "counselled_or_educated_of_held",
                "Tỷ lệ phạm nhân được tư vấn, giáo dục (%)",
                p.counselled_or_educated_of_held,
            ),
            ("trained_of_held", "Tỷ lệ phạm nhân trong độ tuổi lao động được dạy nghề (%)", p.trained_of_held),
        ] {
            push("pre_release", format!("pre_release.{k}"), l.into(), R(v));
        }
        let rt = &self.rates;
        for (k, l, v) in [
            ("reoffending_of_received", "Tỷ lệ tái phạm, VPPL trên số tiếp nhận (%)", rt.reoffending_of_received),
            ("reoffending_of_managed", "Tỷ lệ tái phạm, VPPL trên số được quản lý (%)", rt.reoffending_of_managed),
            ("trained", "Tỷ lệ được đào tạo nghề (%)", rt.trained),
            ("placed_in_jobs", "Tỷ lệ được giới thiệu có việc làm (%)", rt.placed_in_jobs),
            ("given_loans", "Tỷ lệ người đủ điều kiện được vay vốn (%)", rt.given_loans),
            ("given_legal_help", "Tỷ lệ được trợ giúp pháp lý (%)", rt.given_legal_help),
            ("employed_at_end", "Tỷ lệ có việc làm cuối kỳ (%)", rt.employed_at_end),
            ("communes_with_model", "Tỷ lệ xã có mô hình (%)", rt.communes_with_model),
            ("communes_with_outreach", "Tỷ lệ xã tổ chức tuyên truyền (%)", rt.communes_with_outreach),
            ("communes_with_propagandists", "Tỷ lệ xã có tuyên truyền viên (%)", rt.communes_with_propagandists),
            (
                "received_of_released",
                "Tỷ lệ tiếp nhận trên số chấp hành xong án về địa phương (%)",
                rt.received_of_released,
            ),
            ("files_opened_of_received", "Tỷ lệ lập hồ sơ quản lý trên số tiếp nhận (%)", rt.files_opened_of_received),
            (
                "notified_two_months_ahead",
                "Tỷ lệ được thông báo trước 02 tháng khi chấp hành xong án (%)",
                rt.notified_two_months_ahead,
            ),
            ("borrowers_of_managed", "Tỷ lệ người được vay vốn trên số được quản lý (%)", rt.borrowers_of_managed),
        ] {
            push("rates", format!("rates.{k}"), l.into(), R(v));
        }
        crate::domain::report_lines::append_figures(self, &mut out);
        out
    }
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
    /// Whether the figure `key` is counted in percent (the `rates.*` figures and the
    /// pre-release rates) rather than as a count; `None` when no figure has that key.
    pub fn is_rate(key: &str) -> Option<bool> {
        let d = NaiveDate::default();
        let figure = Indicators::zero("VN", d, d).figures().into_iter().find(|f| f.key == key)?;
        Some(matches!(figure.value, FigureValue::Rate(_)))
    }

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
