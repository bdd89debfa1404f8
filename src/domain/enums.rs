//! Enumerations stored as snake_case text in the database and on the wire.

/// Declares an enum with snake_case serde names, a `ToSchema`, `as_str`, `parse` and `ALL`.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
