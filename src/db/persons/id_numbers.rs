//! Refused duplicate ID numbers, kept for the provincial police of both sides.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::Jurisdiction;
use crate::db::schema::persons as p;
use crate::db::DbConnection;
use crate::error::ApiResult;

/// A refused duplicate ID number: who met it where, and which active record holds it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::id_number_conflicts)]
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
    crate::db::insert(conn, crate::db::schema::id_number_conflicts::table, row)
}

/// Conflicts where either side lies in `scope`, newest first.
pub fn list_id_number_conflicts(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<IdNumberConflictRow>, i64)> {
    use crate::db::schema::id_number_conflicts as c;
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
    Ok(paged!(conn, build, IdNumberConflictRow, (c::occurred_at.desc(), c::id.desc()), offset, limit))
}
