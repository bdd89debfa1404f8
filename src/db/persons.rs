//! Persons: storage and jurisdiction-scoped queries. Status changes always go through
//! [`record_status`], which appends to the status history the reports count from.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::json_text::JsonText;
use super::schema::{
    job_referrals as jr, loan_list_entries as lle, loan_lists as ll, loans as l, person_attribute_changes as pac,
    person_status_history as psh, persons as p, plan_items as pi, release_notices as rn, social_assistance as soc,
    supervision_assignments as sa, trainings as tr,
};
use super::DbConnection;
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
    scoped!(q, scope).first(conn).optional()?.ok_or(ApiError::NotFound)
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
            found.optional()?.ok_or(ApiError::NotFound)
        }
        DbConnection::Sqlite(_) => find_in(conn, scope, id),
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

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = psh)]
pub struct StatusRow {
    pub id: String,
    pub person_id: String,
    pub seq: i32,
    pub from_status: Option<PersonStatus>,
    pub to_status: PersonStatus,
    pub occurred_on: NaiveDate,
    pub unit_code: String,
    pub province_code: String,
    pub reason: Option<String>,
    pub details: Option<JsonText<serde_json::Value>>,
    pub actor_sub: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// Appends a status change to the history (in the caller's transaction).
#[allow(clippy::too_many_arguments)]
pub fn record_status(
    conn: &mut DbConnection,
    person: &PersonRow,
    from: Option<PersonStatus>,
    to: PersonStatus,
    occurred_on: NaiveDate,
    reason: Option<&str>,
    details: Option<serde_json::Value>,
    actor: Option<&str>,
) -> ApiResult<StatusRow> {
    let last: Option<i32> =
        psh::table.filter(psh::person_id.eq(&person.id)).select(diesel::dsl::max(psh::seq)).first(conn)?;
    let row = StatusRow {
        id: uuid::Uuid::now_v7().to_string(),
        person_id: person.id.clone(),
        seq: last.unwrap_or(0) + 1,
        from_status: from,
        to_status: to,
        occurred_on,
        unit_code: person.unit_code.clone(),
        province_code: person.province_code.clone(),
        reason: reason.map(str::to_string),
        details: details.map(JsonText),
        actor_sub: actor.map(str::to_string),
        recorded_at: crate::time::now(),
    };
    diesel::insert_into(psh::table).values(&row).execute(conn)?;
    Ok(row)
}

pub fn status_history(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<StatusRow>> {
    Ok(psh::table
        .filter(psh::person_id.eq(person_id))
        .order(psh::seq.asc())
        .select(StatusRow::as_select())
        .load(conn)?)
}

pub fn last_status_date(conn: &mut DbConnection, person_id: &str) -> ApiResult<Option<NaiveDate>> {
    Ok(psh::table.filter(psh::person_id.eq(person_id)).select(diesel::dsl::max(psh::occurred_on)).first(conn)?)
}

/// The person's registration: the earliest date of its status history (the notice of
/// release, or a reception recorded with an earlier date).
pub fn first_status_date(conn: &mut DbConnection, person_id: &str) -> ApiResult<Option<NaiveDate>> {
    Ok(psh::table.filter(psh::person_id.eq(person_id)).select(diesel::dsl::min(psh::occurred_on)).first(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = pac)]
pub struct AttributeChange {
    pub id: String,
    pub person_id: String,
    pub attribute: String,
    pub value: Option<String>,
    pub changed_on: NaiveDate,
    pub reason: Option<String>,
    pub actor_sub: Option<String>,
    pub recorded_at: NaiveDateTime,
}

pub fn record_attribute(conn: &mut DbConnection, change: &AttributeChange) -> ApiResult<()> {
    diesel::insert_into(pac::table).values(change).execute(conn)?;
    Ok(())
}

pub fn attribute_history(
    conn: &mut DbConnection,
    person_id: &str,
    attributes: &[&str],
) -> ApiResult<Vec<AttributeChange>> {
    Ok(pac::table
        .filter(pac::person_id.eq(person_id))
        .filter(pac::attribute.eq_any(attributes))
        .order(pac::id.asc())
        .select(AttributeChange::as_select())
        .load(conn)?)
}

/// List filters, already checked against what the caller's roles may filter on.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub unit: Option<Jurisdiction>,
    pub status: Option<String>,
    pub release_type: Option<String>,
    pub offence_group: Option<String>,
    pub classification: Option<String>,
    pub juvenile: Option<bool>,
    pub needs_focus: Option<bool>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub expungement_due_before: Option<NaiveDate>,
    pub q: Option<Search>,
    /// Under management and past their contact interval (or a parolee's check-in) on this date.
    pub contact_overdue: Option<(crate::domain::contact::ContactIntervals, NaiveDate)>,
    pub sort: Sort,
    /// Keyset paging: the rows after this one in `sort` order (instead of an offset).
    pub after: Option<Cursor>,
    /// Counts are exact up to this many matches; above, an estimate unless `exact_total`.
    pub exact_total_up_to: i64,
    pub exact_total: bool,
    /// No count at all (`total` is the page's length): for callers that read every page.
    pub no_total: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    #[default]
    FullName,
    FullNameDesc,
    ReceivedOn,
    ReceivedOnDesc,
    ExpungementDueOn,
    CreatedAt,
    CreatedAtDesc,
}

/// What `q` searches for (docs: the `q` parameter of `GET /persons`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// Digits only (spaces ignored): the start of an ID number.
    IdNumberPrefix(String),
    /// Folded words (lower-case, accent-free, đ→d): each one a word of the name, other
    /// names or ID number, in any order; the last one may be the start of a word.
    Words(Vec<String>),
}

impl Search {
    pub fn parse(q: &str) -> Search {
        let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return Search::IdNumberPrefix(digits);
        }
        let folded = crate::text::fold(q);
        Search::Words(
            folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect(),
        )
    }

    /// PostgreSQL `to_tsquery('simple', …)` text: `'nguyen' & 'van' & 'an':*`.
    fn tsquery(words: &[String]) -> String {
        let n = words.len();
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i + 1 == n { format!("'{w}':*") } else { format!("'{w}'") })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// SQLite FTS5 query on `person_fts`: the words in the `name` column, the jurisdiction
    /// and status in theirs, so that the index alone intersects them.
    fn fts_match(words: &[String], units: &[&Jurisdiction], status: Option<&str>) -> String {
        let n = words.len();
        let name = words
            .iter()
            .enumerate()
            .map(|(i, w)| if i + 1 == n { format!("\"{w}\"*") } else { format!("\"{w}\"") })
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut parts = vec![format!("name : ({name})")];
        for unit in units {
            match unit {
                Jurisdiction::National => {}
                Jurisdiction::Province(code) => parts.push(format!("province : \"{}\"", fts_literal(code))),
                Jurisdiction::Commune(code) => parts.push(format!("unit : \"{}\"", fts_literal(code))),
            }
        }
        if let Some(s) = status {
            parts.push(format!("status : \"{}\"", fts_literal(&s.replace('_', ""))));
        }
        parts.join(" AND ")
    }
}

fn fts_literal(s: &str) -> String {
    s.replace('"', "\"\"")
}

/// A keyset position: the sort key and id of the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// `full_name` / `-full_name`.
    Name { name: String, id: String },
    /// `created_at` / `-created_at` (ids are time-ordered UUIDv7).
    Id(String),
}

impl Cursor {
    /// The opaque `next` token: base64url of `n\u{1f}name\u{1f}id` or `i\u{1f}id`.
    pub fn encode(&self) -> String {
        use base64::Engine;
        let raw = match self {
            Cursor::Name { name, id } => format!("n\u{1f}{name}\u{1f}{id}"),
            Cursor::Id(id) => format!("i\u{1f}{id}"),
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(token: &str) -> Option<Cursor> {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let mut parts = raw.split('\u{1f}');
        let cursor = match (parts.next()?, parts.next(), parts.next()) {
            ("n", Some(name), Some(id)) => Cursor::Name { name: name.to_string(), id: id.to_string() },
            ("i", Some(id), None) => Cursor::Id(id.to_string()),
            _ => return None,
        };
        parts.next().is_none().then_some(cursor)
    }

    /// Whether this cursor was made for `sort` (keyset paging covers the name and creation
    /// orders; the date orders page by offset).
    pub fn fits(&self, sort: Sort) -> bool {
        matches!(
            (self, sort),
            (Cursor::Name { .. }, Sort::FullName | Sort::FullNameDesc)
                | (Cursor::Id(_), Sort::CreatedAt | Sort::CreatedAtDesc)
        )
    }

    fn of(row: &PersonRow, sort: Sort) -> Option<Cursor> {
        match sort {
            Sort::FullName | Sort::FullNameDesc => {
                Some(Cursor::Name { name: row.full_name.clone(), id: row.id.clone() })
            }
            Sort::CreatedAt | Sort::CreatedAtDesc => Some(Cursor::Id(row.id.clone())),
            _ => None,
        }
    }
}

/// A page of the person list.
#[derive(Debug)]
pub struct ListPage {
    pub rows: Vec<PersonRow>,
    pub total: i64,
    /// `total` is the planner's (PostgreSQL) or the index's (SQLite) estimate.
    pub total_is_estimate: bool,
    /// Where the next page starts, when there is one and the sort pages by keyset.
    pub next: Option<Cursor>,
}

/// The filters of a list, on either backend (`$pg`: the search predicate's dialect).
macro_rules! list_filters {
    ($q:expr, $scope:expr, $f:expr, $pg:expr) => {{
        use diesel::sql_types::{Bool, Text};
        let f: &ListFilter = $f;
        let scope: &PersonScope = $scope;
        let mut q = scoped!($q, scope);
        if let Some(unit) = &f.unit {
            q = in_unit!(q, unit);
        }
        if let Some(v) = &f.status {
            q = q.filter(p::status.eq(v.clone()));
        }
        if let Some(v) = &f.release_type {
            q = q.filter(p::release_type.eq(v.clone()));
        }
        if let Some(v) = &f.offence_group {
            q = q.filter(p::offence_group.eq(v.clone()));
        }
        if let Some(v) = &f.classification {
            q = q.filter(p::classification.eq(v.clone()));
        }
        if let Some(v) = f.juvenile {
            q = q.filter(p::juvenile.eq(v));
        }
        if let Some(v) = f.needs_focus {
            q = q.filter(p::needs_focus.eq(v));
        }
        if let Some(v) = f.received_from {
            q = q.filter(p::received_on.ge(v));
        }
        if let Some(v) = f.received_to {
            q = q.filter(p::received_on.le(v));
        }
        if let Some(v) = f.expungement_due_before {
            q = q.filter(p::expungement_due_on.lt(v)).filter(p::active.eq(true));
        }
        if let Some((intervals, today)) = &f.contact_overdue {
            let cut = |group: Option<&str>| intervals.overdue_before(group, *today);
            let late = |cut: NaiveDate| {
                p::last_contact_on.lt(cut).or(p::last_contact_on.is_null().and(p::management_started_on.lt(cut)))
            };
            let group = |g: &'static str| p::classification.eq(g).and(late(cut(Some(g))));
            let parole_cut = *today - chrono::Days::new(intervals.parole_check_in as u64);
            let missed_check_in = p::release_type.eq("conditional_early_release").and(p::probation_end.ge(*today)).and(
                p::last_check_in_on
                    .lt(parole_cut)
                    .or(p::last_check_in_on.is_null().and(p::management_started_on.lt(parole_cut))),
            );
            q = q.filter(p::status.eq("under_management")).filter(
                group("a")
                    .or(group("b"))
                    .or(group("c"))
                    .or(group("d"))
                    .or(p::classification.is_null().and(late(cut(None))))
                    .or(missed_check_in),
            );
        }
        match &f.q {
            None => {}
            Some(Search::IdNumberPrefix(digits)) => {
                // A range on the ID-number btree (digits sort the same in every collation).
                if $pg {
                    q = q.filter(p::id_number.like(format!("{digits}%")));
                } else {
                    q = q.filter(p::id_number.ge(digits.clone())).filter(p::id_number.lt(format!("{digits}:")));
                }
            }
            Some(Search::Words(words)) if words.is_empty() => q = q.filter(false.into_sql::<Bool>()),
            Some(Search::Words(words)) => {
                if $pg {
                    q = q.filter(
                        diesel::dsl::sql::<Bool>("persons.search_tokens @@ to_tsquery('simple', ")
                            .bind::<Text, _>(Search::tsquery(words))
                            .sql(")"),
                    );
                } else {
                    let units: Vec<&Jurisdiction> =
                        std::iter::once(&scope.jurisdiction).chain(f.unit.as_ref()).collect();
                    q = q.filter(
                        diesel::dsl::sql::<Bool>(
                            "persons.id IN (SELECT s.person_id FROM person_fts JOIN person_search s \
                             ON s.docid = person_fts.rowid WHERE person_fts MATCH ",
                        )
                        .bind::<Text, _>(Search::fts_match(words, &units, f.status.as_deref()))
                        .sql(")"),
                    );
                }
            }
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    scope: &PersonScope,
    f: &ListFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<ListPage> {
    use diesel::sql_types::Integer;
    let pg = matches!(conn, DbConnection::Postgresql(_));
    let q = list_filters!(p::table.into_boxed(), scope, f, pg).select(PersonRow::as_select());
    let q = match (&f.after, f.sort) {
        (Some(Cursor::Name { name, id }), Sort::FullName) => {
            q.filter(p::full_name.gt(name.clone()).or(p::full_name.eq(name.clone()).and(p::id.gt(id.clone()))))
        }
        (Some(Cursor::Name { name, id }), Sort::FullNameDesc) => {
            q.filter(p::full_name.lt(name.clone()).or(p::full_name.eq(name.clone()).and(p::id.lt(id.clone()))))
        }
        (Some(Cursor::Id(id)), Sort::CreatedAt) => q.filter(p::id.gt(id.clone())),
        (Some(Cursor::Id(id)), Sort::CreatedAtDesc) => q.filter(p::id.lt(id.clone())),
        _ => q,
    };
    let q = match f.sort {
        Sort::FullName => q.order((p::full_name.asc(), p::id.asc())),
        Sort::FullNameDesc => q.order((p::full_name.desc(), p::id.desc())),
        Sort::ReceivedOn => q.order((p::received_on.asc(), p::id.asc())),
        Sort::ReceivedOnDesc => q.order((p::received_on.desc(), p::id.desc())),
        Sort::ExpungementDueOn => q.order((p::expungement_due_on.asc(), p::id.asc())),
        Sort::CreatedAt => q.order(p::id.asc()),
        Sort::CreatedAtDesc => q.order(p::id.desc()),
    };
    let offset = if f.after.is_some() { 0 } else { offset };
    // One row more than the page tells whether there is a next one.
    let mut rows = q.offset(offset).limit(limit + 1).load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().and_then(|r| Cursor::of(r, f.sort)) } else { None };

    // The total: free when the first page is not full; exact up to the threshold (a count
    // that stops there); above, an estimate unless asked for exact.
    if f.no_total || (f.after.is_none() && offset == 0 && !more) {
        return Ok(ListPage { total: rows.len() as i64, rows, total_is_estimate: false, next });
    }
    let count_all = || list_filters!(p::table.into_boxed(), scope, f, pg);
    let (total, estimate) = if f.exact_total {
        (count_all().select(diesel::dsl::sql::<BigInt>("COUNT(*)")).first(conn)?, false)
    } else {
        let cap = f.exact_total_up_to.max(0);
        let seen = count_all().select(diesel::dsl::sql::<Integer>("1")).limit(cap + 1).load::<i32>(conn)?.len() as i64;
        if seen <= cap {
            (seen, false)
        } else if scope.purpose.is_some() {
            // Purpose-limited sets (a caseload, a bank's lists) are small: count them.
            (count_all().select(diesel::dsl::sql::<BigInt>("COUNT(*)")).first(conn)?, false)
        } else {
            (estimate_total(conn, scope, f, pg)?.max(cap + 1), true)
        }
    };
    Ok(ListPage { rows, total, total_is_estimate: estimate, next })
}

/// `EXPLAIN <query>`: the planner's row estimate, without running the query.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct Explain<Q>(Q);

impl<Q, DB> diesel::query_builder::QueryFragment<DB> for Explain<Q>
where
    DB: diesel::backend::Backend,
    Q: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> diesel::query_builder::Query for Explain<Q> {
    type SqlType = diesel::sql_types::Text;
}

impl<Q, C> RunQueryDsl<C> for Explain<Q> {}

/// The estimated number of matches of a large list. PostgreSQL: the planner's estimate of
/// the whole filtered query. SQLite (no planner estimate): the count the indexes give alone
/// — the FTS index for `q` with jurisdiction and status, or the (unit, status) btree —
/// leaving out the other filters, so it is an upper bound.
fn estimate_total(conn: &mut DbConnection, scope: &PersonScope, f: &ListFilter, pg: bool) -> ApiResult<i64> {
    if pg {
        let query = list_filters!(p::table.into_boxed(), scope, f, pg)
            .select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"));
        let plan: Vec<String> = Explain(query).load(conn)?;
        let rows = plan
            .first()
            .and_then(|line| line.split("rows=").nth(1))
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0);
        return Ok(rows);
    }
    let core = ListFilter { unit: f.unit.clone(), status: f.status.clone(), q: f.q.clone(), ..Default::default() };
    if let Some(Search::Words(words)) = &core.q {
        let units: Vec<&Jurisdiction> = std::iter::once(&scope.jurisdiction).chain(core.unit.as_ref()).collect();
        let matched: i64 = diesel::sql_query("SELECT COUNT(*) AS n FROM person_fts WHERE person_fts MATCH ?")
            .bind::<diesel::sql_types::Text, _>(Search::fts_match(words, &units, core.status.as_deref()))
            .get_result::<Count>(conn)?
            .n;
        return Ok(matched);
    }
    Ok(list_filters!(p::table.into_boxed(), scope, &core, pg)
        .select(diesel::dsl::sql::<BigInt>("COUNT(*)"))
        .first(conn)?)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The commune (and its province) where the person was managed (received or under
/// management) on `day`, among the changes recorded inside `scope`; `None` when the day
/// lies outside every such span there.
pub fn managed_unit_on(
    conn: &mut DbConnection,
    person_id: &str,
    scope: &Jurisdiction,
    day: NaiveDate,
) -> ApiResult<Option<(String, String)>> {
    let q = psh::table
        .filter(psh::person_id.eq(person_id))
        .filter(psh::to_status.eq_any(["received", "under_management"]))
        .filter(psh::occurred_on.le(day))
        .filter(psh::valid_until.is_null().or(psh::valid_until.gt(day)))
        .order((psh::occurred_on.desc(), psh::seq.desc()))
        .select((psh::unit_code, psh::province_code))
        .into_boxed();
    let q = match scope {
        Jurisdiction::National => q,
        Jurisdiction::Province(code) => q.filter(psh::province_code.eq(code.clone())),
        Jurisdiction::Commune(code) => q.filter(psh::unit_code.eq(code.clone())),
    };
    Ok(q.first(conn).optional()?)
}

/// A person who has lived in `scope` (a status change recorded there), even one who has
/// since moved elsewhere: records of the time they were managed there may still be entered.
pub fn find_with_history_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<PersonRow> {
    let q = psh::table.filter(psh::person_id.eq(id)).select(psh::person_id).into_boxed();
    let q = match scope {
        Jurisdiction::National => q,
        Jurisdiction::Province(code) => q.filter(psh::province_code.eq(code.clone())),
        Jurisdiction::Commune(code) => q.filter(psh::unit_code.eq(code.clone())),
    };
    let seen: Option<String> = q.first(conn).optional()?;
    if seen.is_none() {
        return Err(ApiError::NotFound);
    }
    p::table.filter(p::id.eq(id)).select(PersonRow::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// A refused duplicate ID number: who met it where, and which active record holds it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = super::schema::id_number_conflicts)]
pub struct IdNumberConflictRow {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub id_number: String,
    pub attempted_unit_code: String,
    pub attempted_province_code: Option<String>,
    pub existing_person_id: String,
    pub existing_unit_code: String,
    pub existing_province_code: Option<String>,
    pub actor_sub: Option<String>,
}

/// The active person holding `id_number` (any unit): (id, unit, province).
pub fn holder_of_id_number(conn: &mut DbConnection, id_number: &str) -> ApiResult<Option<(String, String, String)>> {
    Ok(p::table
        .filter(p::id_number.eq(id_number))
        .filter(p::active.eq(true))
        .select((p::id, p::unit_code, p::province_code))
        .first(conn)
        .optional()?)
}

pub fn insert_id_number_conflict(conn: &mut DbConnection, row: &IdNumberConflictRow) -> ApiResult<()> {
    diesel::insert_into(super::schema::id_number_conflicts::table).values(row).execute(conn)?;
    Ok(())
}

/// Conflicts where either side lies in `scope`, newest first.
pub fn list_id_number_conflicts(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<IdNumberConflictRow>, i64)> {
    use super::schema::id_number_conflicts as c;
    let build = || {
        let q = c::table.into_boxed();
        match scope {
            Jurisdiction::National => q,
            Jurisdiction::Province(code) => {
                q.filter(c::attempted_province_code.eq(code.clone()).or(c::existing_province_code.eq(code.clone())))
            }
            Jurisdiction::Commune(code) => {
                q.filter(c::attempted_unit_code.eq(code.clone()).or(c::existing_unit_code.eq(code.clone())))
            }
        }
    };
    let total: i64 = build().select(diesel::dsl::sql::<BigInt>("COUNT(*)")).first(conn)?;
    let rows = build()
        .select(IdNumberConflictRow::as_select())
        .order((c::occurred_at.desc(), c::id.desc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_parses_words_and_id_prefixes() {
        let words = |v: &[&str]| Search::Words(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(Search::parse("Nguyễn  VĂN a"), words(&["nguyen", "van", "a"]));
        assert_eq!(Search::parse("Đỗ B'Lao-Hà"), words(&["do", "b", "lao", "ha"]));
        assert_eq!(Search::parse("0790 85"), Search::IdNumberPrefix("079085".into()));
        assert_eq!(Search::parse("nguyen 0790"), words(&["nguyen", "0790"]));
        assert_eq!(Search::parse("'-"), words(&[]));
        assert_eq!(Search::tsquery(&["nguyen".into(), "an".into()]), "'nguyen' & 'an':*");
        let fts = Search::fts_match(
            &["nguyen".into(), "an".into()],
            &[&Jurisdiction::Province("52".into()), &Jurisdiction::Commune("21553".into())],
            Some("under_management"),
        );
        assert_eq!(
            fts,
            "name : (\"nguyen\" AND \"an\"*) AND province : \"52\" AND unit : \"21553\" AND status : \"undermanagement\""
        );
    }

    #[test]
    fn cursors_round_trip_and_fit_their_sort() {
        let name = Cursor::Name { name: "Nguyễn Văn An".into(), id: "0190-ab".into() };
        assert_eq!(Cursor::decode(&name.encode()), Some(name.clone()));
        assert!(name.fits(Sort::FullNameDesc) && !name.fits(Sort::CreatedAt) && !name.fits(Sort::ReceivedOn));
        let id = Cursor::Id("0190-ab".into());
        assert_eq!(Cursor::decode(&id.encode()), Some(id.clone()));
        assert!(id.fits(Sort::CreatedAtDesc) && !id.fits(Sort::FullName));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(""), None);
    }
}
