//! Enumerations stored as snake_case text in the database and on the wire.

/// Declares an enum with snake_case serde names, a `ToSchema`, `as_str`, `parse` and `ALL`.
///
/// Each variant's text is taken as a `tt`, not a `literal`: a `literal` fragment reaches a
/// derive wrapped in an invisible group, which serde unwraps but utoipa's attribute parser
/// does not, so the schema fell back to the variant's own snake_case name
/// (`Under3Months` → `under3_months` instead of `under_3_months`, issue #27).
///
/// The enum is also a diesel `Text` value on SQLite and PostgreSQL (`ToSql`/`FromSql`, with
/// `AsExpression`/`FromSqlRow` so it can be a field of a row struct), as crates.io's `pg_enum!`
/// and vaultwarden's `impl_FromToSqlText!` do; `db::text_enums` adds the `MultiBackend` side.
/// A value read from the database that is not one of the enum's is a deserialization error,
/// never a default.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::text_enum_sql!($name, diesel::sqlite::Sqlite);
        $crate::text_enum_sql!($name, diesel::pg::Pg);
    };
}

/// `ToSql`/`FromSql<Text>` of a `text_enum!` type on one backend.
#[macro_export]
macro_rules! text_enum_sql {
    ($name:ident, $backend:ty) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Text, $backend> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $backend>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, $backend>>::to_sql(self.as_str(), out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, $backend> for $name {
            fn from_sql(
                bytes: <$backend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, $backend>>::from_sql(bytes)?;
                $name::parse(&text)
                    .ok_or_else(|| format!("unexpected {} in the database: {text:?}", stringify!($name)).into())
            }
        }
    };
}

text_enum!(
    /// Where a person stands in the reintegration lifecycle.
    PersonStatus {
        /// Notified by the facility before release (dự kiến).
        Expected => "expected",
        /// Reported to the commune (tiếp nhận).
        Received => "received",
        /// Management file opened, supervised (đang quản lý).
        UnderManagement => "under_management",
        /// Record expunged (xóa án tích).
        Expunged => "expunged",
        /// Convicted of a new crime (tái phạm tội).
        Reoffended => "reoffended",
        /// Violated the law (vi phạm pháp luật).
        LawViolation => "law_violation",
        /// Moved to another commune (chuyển đi).
        MovedOut => "moved_out",
        /// Left the locality without notice (bỏ đi khỏi địa phương).
        Absconded => "absconded",
        /// Died.
        Deceased => "deceased",
    }
);

text_enum!(
    /// How the person left prison.
    ReleaseType {
        /// Served the full term (Giấy chứng nhận chấp hành xong án phạt tù).
        CompletedSentence => "completed_sentence",
        /// Đặc xá.
        SpecialAmnesty => "special_amnesty",
        /// Tha tù trước thời hạn có điều kiện (parole).
        ConditionalEarlyRelease => "conditional_early_release",
    }
);

text_enum!(
    /// Offence group for reporting.
    OffenceGroup {
        Drugs => "drugs",
        Theft => "theft",
        Robbery => "robbery",
        Gambling => "gambling",
        Assault => "assault",
        Homicide => "homicide",
        SexualOffence => "sexual_offence",
        Fraud => "fraud",
        ForestAndEnvironment => "forest_and_environment",
        Traffic => "traffic",
        PublicOrder => "public_order",
        Corruption => "corruption",
        NationalSecurity => "national_security",
        Other => "other",
    }
);

text_enum!(
    /// Principal penalty pronounced by the court.
    PrincipalKind {
        Warning => "warning",
        Fine => "fine",
        NonCustodialReform => "non_custodial_reform",
        Suspended => "suspended",
        Imprisonment => "imprisonment",
        Life => "life",
        DeathCommuted => "death_commuted",
        /// Miễn hình phạt: convicted but exempted from penalty; no criminal record
        /// (Criminal Code Art. 69(2)).
        Exempted => "exempted",
    }
);

text_enum!(
    /// Crime category by the maximum penalty the law provides (Criminal Code Art. 9).
    CrimeCategory {
        /// Ít nghiêm trọng: up to 3 years.
        LessSerious => "less_serious",
        /// Nghiêm trọng: over 3 up to 7 years.
        Serious => "serious",
        /// Rất nghiêm trọng: over 7 up to 15 years.
        VerySerious => "very_serious",
        /// Đặc biệt nghiêm trọng: over 15 years, life or death.
        EspeciallySerious => "especially_serious",
    }
);

text_enum!(
    /// Lỗi cố ý / lỗi vô ý (Criminal Code Arts. 10, 11).
    Culpability {
        Intentional => "intentional",
        Negligent => "negligent",
    }
);

text_enum!(
    /// On what basis the justice office records an expungement.
    ExpungementBasisKind {
        /// By law once the period has run (Art. 70; Art. 107(2)).
        Automatic => "automatic",
        /// By a court decision (Art. 71 or Art. 72), with its number.
        CourtDecision => "court_decision",
    }
);

text_enum!(
    /// Police classification group (Circular 10/2024/TT-BCA).
    Classification {
        A => "a",
        B => "b",
        C => "c",
        D => "d",
    }
);

text_enum!(
    EmploymentStatus {
        Stable => "stable",
        Unstable => "unstable",
        Unemployed => "unemployed",
    }
);

text_enum!(
    Gender {
        Male => "male",
        Female => "female",
        Other => "other",
    }
);

text_enum!(
    Nationality {
        Vietnamese => "vietnamese",
        Foreign => "foreign",
        Stateless => "stateless",
    }
);

text_enum!(
    /// The justice office's decision on expungement.
    ExpungementStatus {
        None => "none",
        Pending => "pending",
        Expunged => "expunged",
        Rejected => "rejected",
    }
);

text_enum!(
    /// Outcome of the commune police's address check after a release notice.
    VerificationResult {
        Confirmed => "confirmed",
        AddressChanged => "address_changed",
        NotFound => "not_found",
    }
);

text_enum!(
    SupplementaryKind {
        Probation => "probation",
        ResidenceBan => "residence_ban",
        PostBan => "post_ban",
        ProfessionBan => "profession_ban",
        LossOfCivicRights => "loss_of_civic_rights",
        Fine => "fine",
        Confiscation => "confiscation",
        Expulsion => "expulsion",
        Other => "other",
    }
);

text_enum!(
    ObligationKind {
        CivilCompensation => "civil_compensation",
        CourtFees => "court_fees",
        Restitution => "restitution",
        Other => "other",
    }
);

text_enum!(
    /// Who supervises a person.
    SupervisorKind {
        CommitteeMember => "committee_member",
        PoliceOfficer => "police_officer",
        MassOrganisationMember => "mass_organisation_member",
        VillageHead => "village_head",
        FamilyMember => "family_member",
        Employer => "employer",
    }
);

text_enum!(
    /// Organisations supervisors come from.
    Organisation {
        Police => "police",
        CommuneCommittee => "commune_committee",
        FatherlandFront => "fatherland_front",
        WomensUnion => "womens_union",
        YouthUnion => "youth_union",
        Veterans => "veterans",
        Farmers => "farmers",
        Elderly => "elderly",
        Village => "village",
        Family => "family",
        Business => "business",
        Other => "other",
    }
);

text_enum!(
    /// What was done with or for a person.
    ActivityKind {
        HomeVisit => "home_visit",
        /// Kiểm danh, kiểm diện.
        CheckIn => "check_in",
        CounsellingIndividual => "counselling_individual",
        /// One session, several persons.
        CounsellingGroup => "counselling_group",
        PsychologicalSupport => "psychological_support",
        LegalSupport => "legal_support",
        VocationalGuidance => "vocational_guidance",
        LoanGuidance => "loan_guidance",
        ViolationObserved => "violation_observed",
        Commendation => "commendation",
        Other => "other",
    }
);

impl ActivityKind {
    /// Kinds that count as contact with the person for the overdue list.
    pub fn is_contact(self) -> bool {
        !matches!(self, ActivityKind::ViolationObserved | ActivityKind::Commendation | ActivityKind::Other)
    }
}

text_enum!(
    LegalSubKind {
        NationalIdCard => "national_id_card",
        ResidenceRegistration => "residence_registration",
        JudicialRecordCertificate => "judicial_record_certificate",
        ExpungementGuidance => "expungement_guidance",
        CivilStatus => "civil_status",
        CivilJudgmentObligation => "civil_judgment_obligation",
        /// Help with a procedure that fits no listed sub-kind.
        ProcedureOther => "procedure_other",
    }
);

text_enum!(
    /// Areas of the personal reintegration plan.
    PlanArea {
        Residence => "residence",
        IdentityPapers => "identity_papers",
        Employment => "employment",
        VocationalTraining => "vocational_training",
        FinanceAndLoans => "finance_and_loans",
        Family => "family",
        HealthAndDrugs => "health_and_drugs",
        Legal => "legal",
        Education => "education",
    }
);

text_enum!(
    PlanStatus {
        NotStarted => "not_started",
        InProgress => "in_progress",
        SupportRequired => "support_required",
        Done => "done",
        Declined => "declined",
    }
);

text_enum!(
    ResponsibleAgency {
        Police => "police",
        Commune => "commune",
        Justice => "justice",
        Labour => "labour",
        Bank => "bank",
        MassOrganisation => "mass_organisation",
        Family => "family",
    }
);

text_enum!(
    TrainingLevel {
        Elementary => "elementary",
        Under3Months => "under_3_months",
        Intermediate => "intermediate",
        College => "college",
        Other => "other",
    }
);

text_enum!(
    ReferralOutcome {
        Pending => "pending",
        Hired => "hired",
        NotHired => "not_hired",
    }
);

text_enum!(
    AssistanceKind {
        /// Monthly social allowance (Decree 20/2021).
        MonthlyAllowance => "monthly_allowance",
        Emergency => "emergency",
        HealthInsurance => "health_insurance",
        Housing => "housing",
        Other => "other",
    }
);

text_enum!(
    CommitteeStatus {
        Active => "active",
        Dissolved => "dissolved",
    }
);

text_enum!(
    /// The steering committee itself, or its working group (Tổ giúp việc).
    CommitteeBody {
        Committee => "committee",
        WorkingGroup => "working_group",
    }
);

text_enum!(
    /// Committee: head, standing_deputy, deputy, member. Working group: leader, deputy, member.
    MemberRole {
        Head => "head",
        StandingDeputy => "standing_deputy",
        Deputy => "deputy",
        Member => "member",
        Leader => "leader",
    }
);

text_enum!(
    ModelType {
        /// Tổ tự quản hỗ trợ tái hòa nhập cộng đồng.
        SelfManagementGroup => "self_management_group",
        /// Đội thanh niên tình nguyện.
        YouthVolunteerTeam => "youth_volunteer_team",
        EmploymentSupport => "employment_support",
        /// Chung tay quản lý, giáo dục, giúp đỡ…
        JointManagement => "joint_management",
        SupervisionEducation => "supervision_education",
        /// Forestry, livestock.
        Production => "production",
        Other => "other",
    }
);

text_enum!(
    ModelStatus {
        Planned => "planned",
        Active => "active",
        Suspended => "suspended",
        Dissolved => "dissolved",
    }
);

text_enum!(
    /// The five steps of building a model, in order.
    ModelStep {
        CommitteeFormed => "committee_formed",
        RegulationsIssued => "regulations_issued",
        FirstActivities => "first_activities",
        /// Ra mắt.
        Launched => "launched",
        Maintaining => "maintaining",
    }
);

text_enum!(
    ParticipantRole {
        Participant => "participant",
        Helper => "helper",
    }
);

text_enum!(
    ReviewKind {
        /// Sơ kết.
        Interim => "interim",
        /// Tổng kết.
        Final => "final",
    }
);

text_enum!(
    /// How a review rates the model (hiệu quả / hiệu quả một phần / không hiệu quả).
    /// `partly_effective` was `average` before 2025-07-24.
    ReviewRating {
        Effective => "effective",
        PartlyEffective => "partly_effective",
        Ineffective => "ineffective",
    }
);

text_enum!(
    OutreachKind {
        Meeting => "meeting",
        BroadcastNews => "broadcast_news",
        Article => "article",
        LeafletDistribution => "leaflet_distribution",
        InFacilitySession => "in_facility_session",
        Banner => "banner",
        Loudspeaker => "loudspeaker",
        Other => "other",
    }
);

text_enum!(
    /// Where a loan stands.
    LoanStatus {
        Draft => "draft",
        Submitted => "submitted",
        /// Certified by the commune People's Committee.
        Certified => "certified",
        Approved => "approved",
        Rejected => "rejected",
        Disbursed => "disbursed",
        Repaying => "repaying",
        Overdue => "overdue",
        Settled => "settled",
        /// Misuse found: the loan is being recovered.
        Recovery => "recovery",
        WrittenOff => "written_off",
    }
);

text_enum!(
    BorrowerKind {
        Person => "person",
        Establishment => "establishment",
    }
);

text_enum!(
    LoanListStatus {
        Draft => "draft",
        Certified => "certified",
        Sent => "sent",
        Acknowledged => "acknowledged",
    }
);

text_enum!(
    /// Socio-political organisations the bank entrusts lending to.
    EntrustingOrganisation {
        WomensUnion => "womens_union",
        Farmers => "farmers",
        Veterans => "veterans",
        YouthUnion => "youth_union",
    }
);

text_enum!(
    UseCheckResult {
        Proper => "proper",
        Misused => "misused",
    }
);

text_enum!(
    /// Kind of periodic report.
    PeriodKind {
        /// Six-monthly (báo cáo 6 tháng).
        Semiannual => "semiannual",
        /// Yearly (báo cáo năm).
        Annual => "annual",
        /// Phase review (sơ kết, tổng kết giai đoạn).
        Phase => "phase",
        /// Five-year review.
        FiveYear => "five_year",
        Custom => "custom",
    }
);

text_enum!(
    /// Where a periodic report stands.
    ReportStatus {
        /// Being written; figures can be refreshed and sections edited.
        Draft => "draft",
        /// Sent to the parent unit; frozen.
        Submitted => "submitted",
        /// Accepted by the parent unit.
        Accepted => "accepted",
        /// Sent back with comments; a corrected version follows.
        Returned => "returned",
    }
);

text_enum!(
    /// Whether a target is on a rate (percent) or a count.
    TargetMeasure {
        Rate => "rate",
        Count => "count",
    }
);

text_enum!(
    /// Actual against target.
    TargetOutcome {
        Met => "met",
        NotMet => "not_met",
        /// At or above a plan target's `aim` ("từ a% đến b%": b reached).
        Exceeded => "exceeded",
        /// The rate has no denominator in the period.
        NoData => "no_data",
    }
);

text_enum!(
    /// The Social Policy Bank programme a loan is made under. Only `decision_22` loans go
    /// through the Decision 22/2023/QĐ-TTg eligibility list and engine and its indicators.
    LoanProgramme {
        /// Decision 22/2023/QĐ-TTg: persons who served their sentence, and establishments
        /// employing them. (The variant keeps the spelling that once worked around the
        /// schema missing `text_enum!`'s renames; the schema now takes the text as written.)
        #[allow(non_camel_case_types)]
        Decision_22 => "decision_22",
        /// Poor households (hộ nghèo).
        PoorHouseholds => "poor_households",
        /// Near-poor households (hộ cận nghèo).
        NearPoorHouseholds => "near_poor_households",
        /// Job creation, keeping and expanding (giải quyết việc làm).
        JobCreation => "job_creation",
        /// Rural clean water and sanitation (nước sạch và vệ sinh môi trường nông thôn).
        CleanWaterSanitation => "clean_water_sanitation",
        /// Pupils and students (học sinh, sinh viên).
        StudentLoans => "student_loans",
        /// Another programme, named by `programme_name`.
        Other => "other",
    }
);

text_enum!(
    /// What an outreach event was about (its `topic` is the free title).
    OutreachTopic {
        /// Policy on community reintegration (chính sách tái hòa nhập cộng đồng).
        ReintegrationPolicy => "reintegration_policy",
        /// Loans under Decision 22/2023/QĐ-TTg.
        #[allow(non_camel_case_types)]
        Decision_22Loans => "decision_22_loans",
        /// Dissemination of the law (phổ biến, giáo dục pháp luật).
        LawDissemination => "law_dissemination",
        /// Crime prevention (phòng, chống tội phạm).
        CrimePrevention => "crime_prevention",
        /// Drug prevention (phòng, chống ma túy).
        DrugPrevention => "drug_prevention",
        Other => "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facility::{BriefingTopic, FacilityActivityKind};

    /// The values a type's schema lists, and its serde strings, in declaration order.
    fn listed_and_serde<T: utoipa::PartialSchema + serde::Serialize>(all: &[T]) -> (Vec<String>, Vec<String>) {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("(not a string)").to_string();
        let schema = serde_json::to_value(T::schema()).unwrap_or_default();
        let listed = schema["enum"].as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default();
        let serde = all.iter().map(|v| text(&serde_json::to_value(v).unwrap_or_default())).collect();
        (listed, serde)
    }

    /// Checks each type; returns how many were checked.
    macro_rules! check_each {
        ($($t:ident),+ $(,)?) => {{
            let mut checked = 0;
            $(
                let (listed, serde) = listed_and_serde($t::ALL);
                assert_eq!(listed, serde, "{}: the schema's values differ from serde's", stringify!($t));
                let texts: Vec<&str> = $t::ALL.iter().map(|v| v.as_str()).collect();
                assert_eq!(serde, texts, "{}: serde differs from as_str", stringify!($t));
                checked += 1;
            )+
            checked
        }};
    }

    /// Issue #27: the contract listed TrainingLevel `under3_months` while the service takes
    /// `under_3_months`. Every `text_enum!` must publish exactly the strings serde reads.
    #[test]
    fn every_text_enum_schema_lists_its_serde_strings() {
        // One list, kept compact: the count below checks that it names every type.
        #[rustfmt::skip]
        let checked = check_each![
            PersonStatus, ReleaseType, OffenceGroup, PrincipalKind, CrimeCategory, Culpability,
            ExpungementBasisKind, Classification, EmploymentStatus, Gender, Nationality,
            ExpungementStatus, VerificationResult, SupplementaryKind, ObligationKind,
            SupervisorKind, Organisation, ActivityKind, LegalSubKind, PlanArea, PlanStatus,
            ResponsibleAgency, TrainingLevel, ReferralOutcome, AssistanceKind, CommitteeStatus,
            CommitteeBody, MemberRole, ModelType, ModelStatus, ModelStep, ParticipantRole,
            ReviewKind, ReviewRating, OutreachKind, LoanStatus, BorrowerKind, LoanListStatus,
            EntrustingOrganisation, UseCheckResult, PeriodKind, ReportStatus, TargetMeasure,
            TargetOutcome, LoanProgramme, OutreachTopic, FacilityActivityKind, BriefingTopic,
        ];
        let declared = include_str!("enums.rs").matches("\ntext_enum!(").count()
            + include_str!("facility.rs").matches("\ncrate::text_enum!(").count();
        assert_eq!(checked, declared, "every text_enum! type is in this list");
    }
}
