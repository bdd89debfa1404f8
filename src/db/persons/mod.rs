//! Persons: storage and jurisdiction-scoped queries. Status changes always go through
//! [`record_status`], which appends to the status history the reports count from.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    job_referrals as jr, loan_list_entries as lle, loan_lists as ll, loans as l, person_status_history as psh,
    persons as p, plan_items as pi, release_notices as rn, social_assistance as soc, supervision_assignments as sa,
    trainings as tr,
};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::{
    Classification, EmploymentStatus, ExpungementBasisKind, ExpungementStatus, Gender, Nationality, OffenceGroup,
    PersonStatus, ReleaseType,
};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = p)]
pub struct PersonRow {
    pub id: String,
    pub full_name: String,
    pub other_names: Option<String>,
    #[serde(skip)]
    pub search_text: String,
    pub gender: Gender,
    pub date_of_birth: Option<NaiveDate>,
    pub id_number: Option<String>,
    pub ethnicity: Option<String>,
    pub nationality: Nationality,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub unit_code: String,
    pub province_code: String,
    pub village: Option<String>,
    pub address_line: Option<String>,
    pub education: Option<String>,
    pub occupation: Option<String>,
    pub family_situation: Option<String>,
    pub status: PersonStatus,
    pub status_since: NaiveDate,
    pub active: bool,
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<ReleaseType>,
    pub release_certificate_number: Option<String>,
    pub release_certificate_date: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub offence_group: Option<OffenceGroup>,
    pub received_on: Option<NaiveDate>,
    pub receiving_officer: Option<String>,
    pub commitment_signed: Option<bool>,
    pub management_file_number: Option<String>,
    pub management_started_on: Option<NaiveDate>,
    pub juvenile: bool,
    pub late_reception: bool,
    pub classification: Option<Classification>,
    pub needs_focus: bool,
    pub employment_status: Option<EmploymentStatus>,
    pub expungement_track: Option<String>,
    pub expungement_due_on: Option<NaiveDate>,
    pub expungement_status: ExpungementStatus,
    pub expungement_decided_on: Option<NaiveDate>,
    pub expungement_basis: Option<String>,
    pub judicial_record_number: Option<String>,
    pub judicial_record_issuer: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub last_contact_on: Option<NaiveDate>,
    pub last_check_in_on: Option<NaiveDate>,
    pub expungement_basis_kind: Option<ExpungementBasisKind>,
    pub expungement_decision_number: Option<String>,
    pub expungement_refusals: i32,
    pub expungement_last_refused_on: Option<NaiveDate>,
}

/// The text `q` searches: folded name, other names and the ID number.
pub fn search_text(full_name: &str, other_names: Option<&str>, id_number: Option<&str>) -> String {
    let mut text = crate::text::fold(full_name);
    for extra in [other_names.map(crate::text::fold), id_number.map(str::to_string)].into_iter().flatten() {
        text.push(' ');
        text.push_str(&extra);
    }
    text
}

/// What part of the registry a caller may reach: its unit, and inside it, for roles whose
/// purpose is narrower than managing persons, only the persons that purpose concerns
/// (docs/data-protection.md). Enforced in the query: everyone else is a 404.
#[derive(Debug, Clone)]
pub struct PersonScope {
    pub jurisdiction: Jurisdiction,
    /// `None`: every person of the unit (police, commune committee, justice office).
    pub purpose: Option<Purpose>,
}

/// The persons a purpose-limited token reaches; a token with several such roles reaches
/// the union.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purpose {
    /// Bank (Decision 22/2023): persons on an eligibility list sent to the bank, and
    /// applicants and borrowers of loans submitted to it, the lists and loans of its unit.
    pub bank: bool,
    /// Labour office: persons under management, `received` or `under_management` as the
    /// reports count them (the plan matrix), and persons with a training, job referral,
    /// social assistance or plan area assigned to labour.
    pub labour: bool,
    /// Supervisor: the persons actively assigned to this account.
    pub caseload_of: Option<String>,
    /// Facility: the persons named in the release notices this principal sent, wherever
    /// they live ("records I created").
    pub notices_of: Option<String>,
}

impl PersonScope {
    pub fn of(auth: &crate::auth::Auth) -> PersonScope {
        use crate::auth::Role;
        let whole_unit = [Role::Police, Role::CommuneCommittee, Role::Justice];
        let purpose = (!auth.roles.iter().any(|r| whole_unit.contains(r))).then(|| Purpose {
            bank: auth.has_role(Role::Bank),
            labour: auth.has_role(Role::Labour),
            caseload_of: auth.has_role(Role::Supervisor).then(|| auth.sub.clone()),
            notices_of: auth.has_role(Role::Facility).then(|| auth.sub.clone()),
        });
        // A facility's own notices go to any commune of the country.
        let jurisdiction = match auth.created_only() {
            Some(_) => Jurisdiction::National,
            None => auth.jurisdiction.clone(),
        };
        PersonScope { jurisdiction, purpose }
    }

    /// Every person of a unit, whatever the caller's roles (internal checks).
    pub fn unit(jurisdiction: Jurisdiction) -> PersonScope {
        PersonScope { jurisdiction, purpose: None }
    }
}

macro_rules! in_unit {
    ($query:expr, $scope:expr) => {
        match $scope {
            Jurisdiction::National => $query,
            Jurisdiction::Province(code) => $query.filter(p::province_code.eq(code.clone())),
            Jurisdiction::Commune(code) => $query.filter(p::unit_code.eq(code.clone())),
        }
    };
}

/// The purpose predicate on `persons`; `$list_unit` and `$loan_unit` keep the bank to the
/// lists and loans of its unit.
macro_rules! purpose_predicate {
    ($purpose:expr, $list_unit:expr, $loan_unit:expr) => {{
        use diesel::sql_types::Bool;
        let purpose: &Purpose = $purpose;
        let bank = p::id
            .eq_any(
                lle::table
                    .filter(
                        lle::list_id
                            .eq_any(ll::table.filter(ll::sent_on.is_not_null()).filter($list_unit).select(ll::id)),
                    )
                    .select(lle::person_id),
            )
            .or(p::id.nullable().eq_any(
                l::table
                    .filter(l::person_id.is_not_null())
                    .filter(l::status.ne("draft"))
                    .filter($loan_unit)
                    .select(l::person_id),
            ));
        let labour = p::status
            .eq_any(["received", "under_management"])
            .or(p::id.eq_any(tr::table.select(tr::person_id)))
            .or(p::id.eq_any(jr::table.select(jr::person_id)))
            .or(p::id.eq_any(soc::table.select(soc::person_id)))
            .or(p::id.eq_any(pi::table.filter(pi::responsible_agency.eq("labour")).select(pi::person_id)));
        let caseload = p::id.eq_any(
            sa::table
                .filter(sa::account_id.eq(purpose.caseload_of.clone().unwrap_or_default()))
                .filter(sa::to_date.is_null())
                .select(sa::person_id),
        );
        let notified = p::id.eq_any(
            rn::table.filter(rn::created_by.eq(purpose.notices_of.clone().unwrap_or_default())).select(rn::person_id),
        );
        purpose
            .bank
            .into_sql::<Bool>()
            .and(bank)
            .or(purpose.labour.into_sql::<Bool>().and(labour))
            .or(purpose.caseload_of.is_some().into_sql::<Bool>().and(caseload))
            .or(purpose.notices_of.is_some().into_sql::<Bool>().and(notified))
    }};
}

macro_rules! scoped {
    ($query:expr, $scope:expr) => {{
        let scope: &PersonScope = $scope;
        let q = in_unit!($query, &scope.jurisdiction);
        match (&scope.purpose, &scope.jurisdiction) {
            (None, _) => q,
            (Some(purpose), Jurisdiction::National) => {
                q.filter(purpose_predicate!(purpose, true.into_sql::<Bool>(), true.into_sql::<Bool>()))
            }
            (Some(purpose), Jurisdiction::Province(code)) => q.filter(purpose_predicate!(
                purpose,
                ll::province_code.eq(code.clone()),
                l::province_code.eq(code.clone())
            )),
            (Some(purpose), Jurisdiction::Commune(code)) => {
                q.filter(purpose_predicate!(purpose, ll::unit_code.eq(code.clone()), l::unit_code.eq(code.clone())))
            }
        }
    }};
}

pub fn insert(conn: &mut DbConnection, row: &PersonRow) -> ApiResult<()> {
    ensure_id_number_free(conn, row.id_number.as_deref(), None)?;
    diesel::insert_into(p::table).values(row).execute(conn)?;
    Ok(())
}

/// ID numbers are unique among persons not yet exited (also enforced by a partial index).
pub fn ensure_id_number_free(conn: &mut DbConnection, id_number: Option<&str>, except: Option<&str>) -> ApiResult<()> {
    let Some(number) = id_number else { return Ok(()) };
    let mut q = p::table.filter(p::id_number.eq(number)).filter(p::active.eq(true)).into_boxed();
    if let Some(id) = except {
        q = q.filter(p::id.ne(id));
    }
    let n: i64 = q.count().get_result(conn)?;
    if n > 0 {
        return Err(ApiError::conflict("duplicate_id_number", "another person under management has this ID number"));
    }
    Ok(())
}

/// A person inside the caller's jurisdiction, or 404.
pub fn find_in(conn: &mut DbConnection, scope: &PersonScope, id: &str) -> ApiResult<PersonRow> {
    let q = p::table.filter(p::id.eq(id)).select(PersonRow::as_select()).into_boxed();
    scoped!(q, scope).first(conn).or_not_found()
}

/// Same, locking the row on PostgreSQL so concurrent transitions serialise (SQLite's
/// `BEGIN IMMEDIATE` already does). One statement, so the row read is the locked, current
/// one. The whole-unit roles filter the row itself by its commune or province; a
/// purpose-limited token's predicate goes through a sub-select (diesel cannot lock a boxed
/// query). The sub-select cost every province-scoped write a second scan of `persons`
/// (issue 25: 1,203 activities/s against 2,289/s with a VN token).
pub fn find_in_for_update(conn: &mut DbConnection, scope: &PersonScope, id: &str) -> ApiResult<PersonRow> {
    match conn {
        DbConnection::Postgresql(c) => {
            let row = p::table.filter(p::id.eq(id)).select(PersonRow::as_select());
            let found = match (&scope.purpose, &scope.jurisdiction) {
                (None, Jurisdiction::National) => row.for_update().first(c),
                (None, Jurisdiction::Province(code)) => row.filter(p::province_code.eq(code)).for_update().first(c),
                (None, Jurisdiction::Commune(code)) => row.filter(p::unit_code.eq(code)).for_update().first(c),
                (Some(_), _) => {
                    let visible = p::table.filter(p::id.eq(id)).select(p::id).into_boxed::<diesel::pg::Pg>();
                    let visible = scoped!(visible, scope);
                    p::table.filter(p::id.eq_any(visible)).for_update().select(PersonRow::as_select()).first(c)
                }
            };
            found.or_not_found()
        }
        DbConnection::Sqlite(_) => find_in(conn, scope, id),
    }
}

/// [`find_in_for_update`], with the person's registration (the first date of its status
/// history, see [`first_status_date`]) when the same statement can read it: on
/// PostgreSQL, for a whole-unit role, which saves one round trip of the seven an activity
/// write took (issue 25). Otherwise the registration is `None`, not read, and the caller
/// asks for it only if it needs it.
pub fn find_in_for_update_registered(
    conn: &mut DbConnection,
    scope: &PersonScope,
    id: &str,
) -> ApiResult<(PersonRow, Option<Option<NaiveDate>>)> {
    match (conn, &scope.purpose) {
        (DbConnection::Postgresql(c), None) => {
            // Written with the DSL, not as SQL text: a literal would make diesel prepare the
            // statement afresh on every call, which cost more than the round trip saved.
            let registered =
                psh::table.filter(psh::person_id.eq(p::id)).select(diesel::dsl::min(psh::occurred_on)).single_value();
            let row = p::table.filter(p::id.eq(id)).select((PersonRow::as_select(), registered));
            let found = match &scope.jurisdiction {
                Jurisdiction::National => row.for_update().first(c),
                Jurisdiction::Province(code) => row.filter(p::province_code.eq(code)).for_update().first(c),
                Jurisdiction::Commune(code) => row.filter(p::unit_code.eq(code)).for_update().first(c),
            };
            found.or_not_found().map(|(person, registered)| (person, Some(registered)))
        }
        (conn, _) => Ok((find_in_for_update(conn, scope, id)?, None)),
    }
}

pub fn find_active_by_id_number(
    conn: &mut DbConnection,
    scope: &PersonScope,
    number: &str,
) -> ApiResult<Option<PersonRow>> {
    let q = p::table
        .filter(p::id_number.eq(number))
        .select(PersonRow::as_select())
        .order(p::updated_at.desc())
        .into_boxed();
    Ok(scoped!(q, scope).first(conn).optional()?)
}

/// Saves every column of `row`, which must still be at `expected_version`; bumps the version.
pub fn save(conn: &mut DbConnection, row: &PersonRow, expected_version: i32) -> ApiResult<PersonRow> {
    let mut next = row.clone();
    next.version = expected_version + 1;
    next.updated_at = crate::time::now();
    let n = diesel::update(p::table.filter(p::id.eq(&row.id)).filter(p::version.eq(expected_version)))
        .set(PersonChangeset(&next))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(next)
}

/// Every column a person edit may change; `last_contact_on`/`last_check_in_on` are left
/// out: they are recomputed from the activity log by their own statement.
#[derive(AsChangeset)]
#[diesel(table_name = p, treat_none_as_null = true)]
struct PersonChangesetInner<'a> {
    full_name: &'a str,
    other_names: Option<&'a str>,
    search_text: &'a str,
    gender: Gender,
    date_of_birth: Option<NaiveDate>,
    id_number: Option<&'a str>,
    ethnicity: Option<&'a str>,
    nationality: Nationality,
    country: Option<&'a str>,
    phone: Option<&'a str>,
    unit_code: &'a str,
    province_code: &'a str,
    village: Option<&'a str>,
    address_line: Option<&'a str>,
    education: Option<&'a str>,
    occupation: Option<&'a str>,
    family_situation: Option<&'a str>,
    status: PersonStatus,
    status_since: NaiveDate,
    active: bool,
    release_date: Option<NaiveDate>,
    release_type: Option<ReleaseType>,
    release_certificate_number: Option<&'a str>,
    release_certificate_date: Option<NaiveDate>,
    probation_end: Option<NaiveDate>,
    offence_group: Option<OffenceGroup>,
    received_on: Option<NaiveDate>,
    receiving_officer: Option<&'a str>,
    commitment_signed: Option<bool>,
    management_file_number: Option<&'a str>,
    management_started_on: Option<NaiveDate>,
    juvenile: bool,
    late_reception: bool,
    classification: Option<Classification>,
    needs_focus: bool,
    employment_status: Option<EmploymentStatus>,
    expungement_track: Option<&'a str>,
    expungement_due_on: Option<NaiveDate>,
    expungement_status: ExpungementStatus,
    expungement_decided_on: Option<NaiveDate>,
    expungement_basis: Option<&'a str>,
    judicial_record_number: Option<&'a str>,
    judicial_record_issuer: Option<&'a str>,
    expungement_basis_kind: Option<ExpungementBasisKind>,
    expungement_decision_number: Option<&'a str>,
    expungement_refusals: i32,
    expungement_last_refused_on: Option<NaiveDate>,
    updated_at: NaiveDateTime,
    version: i32,
}

struct PersonChangeset<'a>(&'a PersonRow);

impl<'a> AsChangeset for PersonChangeset<'a> {
    type Target = p::table;
    type Changeset = <PersonChangesetInner<'a> as AsChangeset>::Changeset;

    fn as_changeset(self) -> Self::Changeset {
        let r = self.0;
        PersonChangesetInner {
            full_name: &r.full_name,
            other_names: r.other_names.as_deref(),
            search_text: &r.search_text,
            gender: r.gender,
            date_of_birth: r.date_of_birth,
            id_number: r.id_number.as_deref(),
            ethnicity: r.ethnicity.as_deref(),
            nationality: r.nationality,
            country: r.country.as_deref(),
            phone: r.phone.as_deref(),
            unit_code: &r.unit_code,
            province_code: &r.province_code,
            village: r.village.as_deref(),
            address_line: r.address_line.as_deref(),
            education: r.education.as_deref(),
            occupation: r.occupation.as_deref(),
            family_situation: r.family_situation.as_deref(),
            status: r.status,
            status_since: r.status_since,
            active: r.active,
            release_date: r.release_date,
            release_type: r.release_type,
            release_certificate_number: r.release_certificate_number.as_deref(),
            release_certificate_date: r.release_certificate_date,
            probation_end: r.probation_end,
            offence_group: r.offence_group,
            received_on: r.received_on,
            receiving_officer: r.receiving_officer.as_deref(),
            commitment_signed: r.commitment_signed,
            management_file_number: r.management_file_number.as_deref(),
            management_started_on: r.management_started_on,
            juvenile: r.juvenile,
            late_reception: r.late_reception,
            classification: r.classification,
            needs_focus: r.needs_focus,
            employment_status: r.employment_status,
            expungement_track: r.expungement_track.as_deref(),
            expungement_due_on: r.expungement_due_on,
            expungement_status: r.expungement_status,
            expungement_decided_on: r.expungement_decided_on,
            expungement_basis: r.expungement_basis.as_deref(),
            judicial_record_number: r.judicial_record_number.as_deref(),
            judicial_record_issuer: r.judicial_record_issuer.as_deref(),
            expungement_basis_kind: r.expungement_basis_kind,
            expungement_decision_number: r.expungement_decision_number.as_deref(),
            expungement_refusals: r.expungement_refusals,
            expungement_last_refused_on: r.expungement_last_refused_on,
            updated_at: r.updated_at,
            version: r.version,
        }
        .as_changeset()
    }
}

// The submodules come after the macros above, which they use.
mod history;
mod id_numbers;
mod search;

pub use self::history::*;
pub use self::id_numbers::*;
pub use self::search::*;
