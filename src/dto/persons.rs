//! Person wire types. What a response contains depends on the caller's roles: fields a role
//! may not see are omitted (never sent as null).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

pub use crate::auth::fields::Visibility;
use crate::db::persons::PersonRow;
use crate::domain::enums::*;
use crate::dto::{birth_date, no_control_chars, person_name};

/// A person under (or expected for) community reintegration.
///
/// Field groups and who sees them — identity: every role with access; residence: police,
/// commune_committee, labour, bank, supervisor; social (education, occupation, family,
/// employment): police, commune_committee, labour, supervisor; release: police,
/// commune_committee, justice, bank, supervisor; status: all but bank; management
/// (reception, classification): police, commune_committee, supervisor; criminal (offence
/// group): police, commune_committee, justice; expungement: police, commune_committee, justice.
#[derive(Debug, Serialize, ToSchema, Default)]
pub struct Person {
    pub id: String,
    #[schema(example = "Nguyễn Văn An")]
    pub full_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "An \"Sẹo\"")]
    pub other_names: Option<String>,
    pub gender: Option<Gender>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    /// Age in whole years today (Vietnam date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<i32>,
    /// CCCD, 12 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Kinh")]
    pub ethnicity: Option<String>,
    pub nationality: Option<Nationality>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Commune code (the record's jurisdiction).
    #[schema(example = "00070")]
    pub unit: String,
    pub province: String,
    /// Residence group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Thôn Đông Hạ")]
    pub village: Option<String>,
    /// Residence group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Số 12, ngõ 3, đường Trần Phú")]
    pub address_line: Option<String>,
    /// Social group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Lớp 9/12")]
    pub education: Option<String>,
    /// Social group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Làm mộc")]
    pub occupation: Option<String>,
    /// Social group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Sống cùng mẹ già và một con nhỏ")]
    pub family_situation: Option<String>,
    /// Social group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_status: Option<EmploymentStatus>,
    /// Status group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PersonStatus>,
    /// Status group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_since: Option<NaiveDate>,
    /// Release group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_date: Option<NaiveDate>,
    /// Release group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_type: Option<ReleaseType>,
    /// Release group: completion or amnesty certificate number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_certificate_number: Option<String>,
    /// Release group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_certificate_date: Option<NaiveDate>,
    /// Release group: end of probation for parolees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probation_end: Option<NaiveDate>,
    /// Release group: days since the release date (Vietnam date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_since_release: Option<i64>,
    /// Management group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    /// Management group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiving_officer: Option<String>,
    /// Management group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_signed: Option<bool>,
    /// Management group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_file_number: Option<String>,
    /// Management group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_started_on: Option<NaiveDate>,
    /// Management group: under 18 on the day of reception.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub juvenile: Option<bool>,
    /// Management group: a parolee who reported more than 5 days after release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_reception: Option<bool>,
    /// Management group: police classification group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// Management group: needs focused measures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_focus: Option<bool>,
    /// Criminal group: offence group of the latest conviction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offence_group: Option<OffenceGroup>,
    /// Expungement group: forecast track (`automatic`, `court_decision`, or `no_record` under
    /// Criminal Code Art. 69(2) / 107(1)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expungement_track: Option<String>,
    /// Expungement group: forecast earliest date (Arts. 70–73).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expungement_due_on: Option<NaiveDate>,
    /// Expungement group: the justice office's decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expungement_status: Option<ExpungementStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expungement_decided_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judicial_record_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

impl Person {
    pub fn build(r: &PersonRow, v: Visibility, today: NaiveDate) -> Person {
        let some = |show: bool, value: Option<String>| if show { value } else { None };
        Person {
            id: r.id.clone(),
            full_name: r.full_name.clone(),
            other_names: r.other_names.clone(),
            gender: Some(r.gender),
            date_of_birth: r.date_of_birth,
            age: r.date_of_birth.map(|d| age_on(d, today)),
            id_number: r.id_number.clone(),
            ethnicity: r.ethnicity.clone(),
            nationality: Some(r.nationality),
            country: r.country.clone(),
            phone: r.phone.clone(),
            unit: r.unit_code.clone(),
            province: r.province_code.clone(),
            village: some(v.residence, r.village.clone()),
            address_line: some(v.residence, r.address_line.clone()),
            education: some(v.social, r.education.clone()),
            occupation: some(v.social, r.occupation.clone()),
            family_situation: some(v.social, r.family_situation.clone()),
            employment_status: if v.social { r.employment_status } else { None },
            status: v.status.then_some(r.status),
            status_since: v.status.then_some(r.status_since),
            release_date: if v.release { r.release_date } else { None },
            release_type: if v.release { r.release_type } else { None },
            release_certificate_number: some(v.release, r.release_certificate_number.clone()),
            release_certificate_date: if v.release { r.release_certificate_date } else { None },
            probation_end: if v.release { r.probation_end } else { None },
            days_since_release: if v.release { r.release_date.map(|d| (today - d).num_days()) } else { None },
            received_on: if v.management { r.received_on } else { None },
            receiving_officer: some(v.management, r.receiving_officer.clone()),
            commitment_signed: if v.management { r.commitment_signed } else { None },
            management_file_number: some(v.management, r.management_file_number.clone()),
            management_started_on: if v.management { r.management_started_on } else { None },
            juvenile: v.management.then_some(r.juvenile),
            late_reception: v.management.then_some(r.late_reception),
            classification: if v.management { r.classification } else { None },
            needs_focus: v.management.then_some(r.needs_focus),
            offence_group: if v.criminal { r.offence_group } else { None },
            expungement_track: some(v.expungement, r.expungement_track.clone()),
            expungement_due_on: if v.expungement { r.expungement_due_on } else { None },
            expungement_status: v.expungement.then_some(r.expungement_status),
            expungement_decided_on: if v.expungement { r.expungement_decided_on } else { None },
            judicial_record_number: some(v.expungement, r.judicial_record_number.clone()),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

fn cccd_shape(value: &str) -> Result<(), ValidationError> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        let mut e = ValidationError::new("id_number");
        e.message = Some("must be exactly 12 digits".into());
        Err(e)
    }
}

fn commune_code(value: &str) -> Result<(), ValidationError> {
    if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        let mut e = ValidationError::new("unit");
        e.message = Some("must be a 5-digit commune code".into());
        Err(e)
    }
}

/// Identity and residence of a new person.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[validate(length(min = 1, max = 200), custom(function = "person_name"))]
    #[schema(example = "Nguyễn Văn An")]
    pub full_name: String,
    #[validate(length(max = 200), custom(function = "person_name"))]
    #[schema(example = "An \"Sẹo\"")]
    pub other_names: Option<String>,
    pub gender: Gender,
    #[validate(custom(function = "birth_date"))]
    pub date_of_birth: Option<NaiveDate>,
    /// CCCD: 12 digits, consistent with the year of birth and gender.
    #[validate(custom(function = "cccd_shape"))]
    #[schema(example = "001085012345")]
    pub id_number: Option<String>,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Kinh")]
    pub ethnicity: Option<String>,
    #[serde(default = "default_nationality")]
    pub nationality: Nationality,
    /// Required for foreign nationals.
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub country: Option<String>,
    #[validate(length(max = 30), custom(function = "crate::dto::single_line"))]
    pub phone: Option<String>,
    /// Commune of residence (5-digit code).
    #[validate(custom(function = "commune_code"))]
    #[schema(example = "00070")]
    pub unit: String,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Thôn Đông Hạ")]
    pub village: Option<String>,
    #[validate(length(max = 500), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Số 12, ngõ 3, đường Trần Phú")]
    pub address_line: Option<String>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Lớp 9/12")]
    pub education: Option<String>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Làm mộc")]
    pub occupation: Option<String>,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    #[schema(example = "Sống cùng mẹ già và một con nhỏ")]
    pub family_situation: Option<String>,
    /// Day the person entered the registry (the initial `expected` status), for records
    /// brought in from paper files: not in the future; today when absent. Later transitions
    /// may be dated from this day on.
    #[serde(default)]
    #[schema(example = "2020-03-01")]
    pub registered_on: Option<NaiveDate>,
}

fn default_nationality() -> Nationality {
    Nationality::Vietnamese
}

/// Changes to a person. Classification, `needs_focus` and employment changes are kept in a
/// dated history with `change_reason`. The commune changes only through a transfer.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    #[validate(length(min = 1, max = 200), custom(function = "person_name"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = String)]
    pub full_name: Option<String>,
    #[validate(length(max = 200), custom(function = "person_name"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub other_names: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Gender)]
    pub gender: Option<Gender>,
    #[validate(custom(function = "birth_date"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    #[validate(custom(function = "cccd_shape"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub id_number: Option<Option<String>>,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub ethnicity: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Nationality)]
    pub nationality: Option<Nationality>,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub country: Option<Option<String>>,
    #[validate(length(max = 30), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub village: Option<Option<String>>,
    #[validate(length(max = 500), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub address_line: Option<Option<String>>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub education: Option<Option<String>>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub occupation: Option<Option<String>>,
    #[validate(length(max = 2000), custom(function = "no_control_chars"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub family_situation: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Classification)]
    pub classification: Option<Classification>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = bool)]
    pub needs_focus: Option<bool>,
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = EmploymentStatus)]
    pub employment_status: Option<EmploymentStatus>,
    /// Date the classification/employment change takes effect (default today).
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub changed_on: Option<NaiveDate>,
    /// Why the classification/employment changed (kept in the history).
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub change_reason: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// A province or commune code inside your unit (a province covers its communes).
    pub unit: Option<String>,
    pub status: Option<PersonStatus>,
    pub release_type: Option<ReleaseType>,
    /// Roles that see offences only.
    pub offence_group: Option<OffenceGroup>,
    /// Roles that see classification only.
    pub classification: Option<Classification>,
    pub juvenile: Option<bool>,
    pub needs_focus: Option<bool>,
    /// Received on or after this date.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this date.
    pub received_to: Option<NaiveDate>,
    /// Active persons whose forecast expungement date is before this date ("who becomes
    /// eligible next month?"). Roles that see expungement only.
    pub expungement_due_before: Option<NaiveDate>,
    /// Search, accent-insensitive (lower-case, diacritics removed, đ→d). Digits alone
    /// (spaces ignored): persons whose ID number starts with them (`0790`). Otherwise words:
    /// every word must be a word of the name, other names or ID number, in any order, the
    /// last one may be the start of a word as the user types (`van nguyen a` finds
    /// `Nguyễn Văn An` and `Nguyễn Văn Anh`). Words are split at spaces and punctuation
    /// (`b'lao` is `b` and `lao`). At most 100 characters.
    pub q: Option<String>,
    /// Persons under management with no contact within their classification group's
    /// interval (default A 90, B 60, C 30, D 7 days, unclassified 30; `THNCD_CONTACT_INTERVALS`),
    /// and parolees who missed a check-in (default every 30 days). Contact exactly N days ago
    /// is on time; N+1 days ago is overdue.
    pub contact_overdue: Option<bool>,
    /// `full_name` (default), `-full_name`, `received_on`, `-received_on`,
    /// `expungement_due_on`, `created_at`, `-created_at`.
    #[param(schema_with = crate::dto::query_words::person_sort)]
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Keyset paging: the `next` token of the previous page (same filters and sort);
    /// replaces `page`. Sorts `full_name`, `-full_name`, `created_at`, `-created_at`.
    pub after: Option<String>,
    /// `exact`: count every match. By default `total` is exact up to 1,000 matches
    /// (`THNCD_EXACT_TOTAL_UP_TO`) and above that an estimate flagged `total_is_estimate`.
    #[param(schema_with = crate::dto::query_words::exact_or_auto)]
    pub total: Option<String>,
}

/// A page of persons.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonPage {
    pub items: Vec<Person>,
    /// 1-based page number (1 when paging with `after`).
    pub page: i64,
    pub page_size: i64,
    /// Number of matching records over all pages: exact up to 1,000, above that an
    /// estimate unless `total=exact` was asked.
    pub total: i64,
    /// True when `total` is an estimate (PostgreSQL: the planner's; SQLite: the search
    /// index's count before the filters it does not hold).
    pub total_is_estimate: bool,
    /// Pass as `after` for the page after this one; absent on the last page and for the
    /// sorts paged by offset only (`received_on`, `-received_on`, `expungement_due_on`).
    pub next: Option<String>,
}

/// A status change as recorded in the history the reports count from.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusChange {
    pub seq: i32,
    pub from_status: Option<PersonStatus>,
    pub to_status: PersonStatus,
    pub occurred_on: NaiveDate,
    /// Commune where the change happened.
    pub unit: String,
    pub reason: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    pub actor_sub: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<crate::db::persons::StatusRow> for StatusChange {
    fn from(r: crate::db::persons::StatusRow) -> Self {
        StatusChange {
            seq: r.seq,
            from_status: r.from_status,
            to_status: r.to_status,
            occurred_on: r.occurred_on,
            unit: r.unit_code,
            reason: r.reason,
            details: r.details.map(|d| d.0),
            actor_sub: r.actor_sub,
            recorded_at: r.recorded_at.and_utc(),
        }
    }
}

/// A dated change of classification, focus flag or employment status.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttributeChange {
    /// `classification`, `needs_focus` or `employment_status`.
    pub attribute: String,
    pub value: Option<String>,
    pub changed_on: NaiveDate,
    pub reason: Option<String>,
    pub actor_sub: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<crate::db::persons::AttributeChange> for AttributeChange {
    fn from(r: crate::db::persons::AttributeChange) -> Self {
        AttributeChange {
            attribute: r.attribute,
            value: r.value,
            changed_on: r.changed_on,
            reason: r.reason,
            actor_sub: r.actor_sub,
            recorded_at: r.recorded_at.and_utc(),
        }
    }
}

/// Body of a lifecycle action (abscond, return, law violation, decease).
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub occurred_on: NaiveDate,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub reason: Option<String>,
}

/// Reception (tiếp nhận): the person reported to the commune.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceptionInput {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub received_on: NaiveDate,
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    pub receiving_officer: String,
    /// Commitment not to offend signed.
    pub commitment_signed: bool,
    #[validate(length(max = 100), custom(function = "crate::dto::single_line"))]
    pub management_file_number: Option<String>,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub note: Option<String>,
}

/// Opening the management file: supervision starts.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartManagementInput {
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub started_on: NaiveDate,
    #[validate(length(min = 1, max = 100), custom(function = "crate::dto::single_line"))]
    pub management_file_number: String,
}

/// Moving to another commune: the old commune records `moved_out`, the new one receives.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferInput {
    #[validate(custom(function = "commune_code"))]
    pub to_unit: String,
    #[validate(custom(function = "crate::dto::date_from_1900"))]
    pub moved_on: NaiveDate,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub village: Option<String>,
    #[validate(length(max = 500), custom(function = "crate::dto::single_line"))]
    pub address_line: Option<String>,
    #[validate(length(max = 1000), custom(function = "no_control_chars"))]
    pub reason: Option<String>,
}

/// A write refused because another active person holds the ID number.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct IdNumberConflict {
    pub id: String,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub id_number: String,
    /// The unit the refused write was for.
    pub attempted_unit: String,
    /// The unit of the active record holding the number.
    pub existing_unit: String,
    /// That record's id, when it lies in your unit.
    pub existing_person_id: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IdNumberConflictQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
