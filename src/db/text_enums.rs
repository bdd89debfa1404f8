//! The `text_enum!` types as `Text` values of the two-backend connection: each backend's
//! `ToSql`/`FromSql` comes with the enum (`domain::enums`), and the `MultiBackend` impls,
//! which name the connection type, live here so that `domain` does not import `db`.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;

use super::MultiBackend;
use crate::domain::enums::*;
use crate::domain::facility::{BriefingTopic, FacilityActivityKind};
use crate::domain::loan_rules::Purpose;
use crate::domain::working_days::DayKind;

macro_rules! multi_backend_text {
    ($($name:ident),+ $(,)?) => {
        $(
            impl ToSql<Text, MultiBackend> for $name {
                fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                    out.set_value((Text, self));
                    Ok(IsNull::No)
                }
            }

            impl FromSql<Text, MultiBackend> for $name {
                fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                    bytes.from_sql::<$name, Text>()
                }
            }
        )+
    };
}

multi_backend_text!(
    PersonStatus,
    ReleaseType,
    OffenceGroup,
    PrincipalKind,
    CrimeCategory,
    Culpability,
    ExpungementBasisKind,
    Classification,
    EmploymentStatus,
    Gender,
    Nationality,
    ExpungementStatus,
    VerificationResult,
    SupplementaryKind,
    ObligationKind,
    SupervisorKind,
    Organisation,
    ActivityKind,
    LegalSubKind,
    PlanArea,
    PlanStatus,
    ResponsibleAgency,
    TrainingLevel,
    ReferralOutcome,
    AssistanceKind,
    CommitteeStatus,
    CommitteeBody,
    MemberRole,
    ModelType,
    ModelStatus,
    ModelStep,
    ParticipantRole,
    ReviewKind,
    ReviewRating,
    OutreachKind,
    LoanStatus,
    BorrowerKind,
    LoanListStatus,
    EntrustingOrganisation,
    UseCheckResult,
    PeriodKind,
    ReportStatus,
    TargetMeasure,
    TargetOutcome,
    LoanProgramme,
    OutreachTopic,
    FacilityActivityKind,
    BriefingTopic,
    Purpose,
    DayKind,
);
