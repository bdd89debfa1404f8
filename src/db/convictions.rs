//! Convictions of a person, and the expungement facts derived from them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::json_text::JsonText;
use super::schema::{conviction_versions as cv, convictions as c, judicial_record_requests as jr};
use super::DbConnection;
use super::OrNotFound;
use crate::domain::enums::{CrimeCategory, Culpability, OffenceGroup, PrincipalKind, ReleaseType};
use crate::domain::penalties::{Obligation, Supplementary};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub struct ConvictionRow {
    pub id: String,
    pub person_id: String,
    pub judgment_number: String,
    pub court: String,
    pub judgment_date: NaiveDate,
    pub offence_articles: String,
    pub offence_group: OffenceGroup,
    pub chapter: i32,
    pub principal_kind: PrincipalKind,
    pub principal_months: Option<i32>,
    pub supplementary: JsonText<Vec<Supplementary>>,
    pub obligations: JsonText<Vec<Obligation>>,
    pub detention_facility: Option<String>,
    pub sentence_completed_on: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<ReleaseType>,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub new_offence: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub offence_date: Option<NaiveDate>,
    pub crime_category: Option<CrimeCategory>,
    pub culpability: Option<Culpability>,
    pub expunged_on: Option<NaiveDate>,
}

pub fn insert(conn: &mut DbConnection, row: &ConvictionRow) -> ApiResult<()> {
    super::insert(conn, c::table, row)
}

pub fn find(conn: &mut DbConnection, person_id: &str, id: &str) -> ApiResult<ConvictionRow> {
    c::table
        .filter(c::person_id.eq(person_id))
        .filter(c::id.eq(id))
        .select(ConvictionRow::as_select())
        .first(conn)
        .or_not_found()
}

/// Replaces a conviction if it is still at `expected_version`, keeping the replaced
/// version (`snapshot`, its JSON) with the reason; returns the new row (version + 1).
pub fn replace(
    conn: &mut DbConnection,
    before: &ConvictionRow,
    after: &ConvictionRow,
    expected_version: i32,
    snapshot: &str,
    reason: &str,
    actor: &str,
) -> ApiResult<ConvictionRow> {
    let mut next = after.clone();
    next.version = expected_version + 1;
    next.updated_at = crate::time::now();
    let n = diesel::update(c::table.filter(c::id.eq(&before.id)).filter(c::version.eq(expected_version)))
        .set(ConvictionChangeset(&next))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::insert_into(cv::table)
        .values((
            cv::id.eq(uuid::Uuid::now_v7().to_string()),
            cv::conviction_id.eq(&before.id),
            cv::person_id.eq(&before.person_id),
            cv::version.eq(before.version),
            cv::snapshot.eq(snapshot),
            cv::reason.eq(reason),
            cv::replaced_at.eq(next.updated_at),
            cv::replaced_by.eq(actor),
        ))
        .execute(conn)?;
    Ok(next)
}

struct ConvictionChangeset<'a>(&'a ConvictionRow);

impl<'a> AsChangeset for ConvictionChangeset<'a> {
    type Target = c::table;
    type Changeset = <ConvictionChangesetInner<'a> as AsChangeset>::Changeset;

    fn as_changeset(self) -> Self::Changeset {
        let r = self.0;
        ConvictionChangesetInner {
            judgment_number: &r.judgment_number,
            court: &r.court,
            judgment_date: r.judgment_date,
            offence_articles: &r.offence_articles,
            offence_group: r.offence_group,
            chapter: r.chapter,
            principal_kind: r.principal_kind,
            principal_months: r.principal_months,
            supplementary: &r.supplementary,
            obligations: &r.obligations,
            detention_facility: r.detention_facility.as_deref(),
            sentence_completed_on: r.sentence_completed_on,
            release_date: r.release_date,
            release_type: r.release_type,
            certificate_number: r.certificate_number.as_deref(),
            certificate_date: r.certificate_date,
            probation_end: r.probation_end,
            offence_date: r.offence_date,
            crime_category: r.crime_category,
            culpability: r.culpability,
            expunged_on: r.expunged_on,
            updated_at: r.updated_at,
            version: r.version,
        }
        .as_changeset()
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = c, treat_none_as_null = true)]
struct ConvictionChangesetInner<'a> {
    judgment_number: &'a str,
    court: &'a str,
    judgment_date: NaiveDate,
    offence_articles: &'a str,
    offence_group: OffenceGroup,
    chapter: i32,
    principal_kind: PrincipalKind,
    principal_months: Option<i32>,
    supplementary: &'a JsonText<Vec<Supplementary>>,
    obligations: &'a JsonText<Vec<Obligation>>,
    detention_facility: Option<&'a str>,
    sentence_completed_on: Option<NaiveDate>,
    release_date: Option<NaiveDate>,
    release_type: Option<ReleaseType>,
    certificate_number: Option<&'a str>,
    certificate_date: Option<NaiveDate>,
    probation_end: Option<NaiveDate>,
    offence_date: Option<NaiveDate>,
    crime_category: Option<CrimeCategory>,
    culpability: Option<Culpability>,
    expunged_on: Option<NaiveDate>,
    updated_at: NaiveDateTime,
    version: i32,
}

/// Records the justice office's expungement on the convictions of the current record that
/// have none yet.
pub fn record_expunged(conn: &mut DbConnection, ids: &[String], on: NaiveDate) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(c::table.filter(c::id.eq_any(ids)).filter(c::expunged_on.is_null()))
        .set(c::expunged_on.eq(on))
        .execute(conn)?;
    Ok(())
}

/// A replaced version of a conviction: its JSON snapshot, why and when it was replaced.
#[derive(Debug, Clone, Queryable)]
pub struct VersionRow {
    pub version: i32,
    pub snapshot: JsonText<serde_json::Value>,
    pub reason: String,
    pub replaced_at: NaiveDateTime,
    pub replaced_by: String,
}

/// The kept versions of a conviction, oldest first.
pub fn versions(conn: &mut DbConnection, conviction_id: &str) -> ApiResult<Vec<VersionRow>> {
    Ok(cv::table
        .filter(cv::conviction_id.eq(conviction_id))
        .order(cv::version.asc())
        .select((cv::version, cv::snapshot, cv::reason, cv::replaced_at, cv::replaced_by))
        .load(conn)?)
}

pub fn for_person(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<ConvictionRow>> {
    Ok(c::table
        .filter(c::person_id.eq(person_id))
        .order((c::judgment_date.asc(), c::id.asc()))
        .select(ConvictionRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jr)]
pub struct JudicialRecordRow {
    pub id: String,
    pub person_id: String,
    pub requested_on: NaiveDate,
    pub purpose: Option<String>,
    pub outcome: String,
    pub certificate_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_judicial_record(conn: &mut DbConnection, row: &JudicialRecordRow) -> ApiResult<()> {
    super::insert(conn, jr::table, row)
}

pub fn judicial_records(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<JudicialRecordRow>> {
    Ok(jr::table
        .filter(jr::person_id.eq(person_id))
        .order(jr::id.asc())
        .select(JudicialRecordRow::as_select())
        .load(conn)?)
}
