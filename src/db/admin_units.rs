//! Administrative units (2025 two-tier list): seeding, lookup, search.

use diesel::prelude::*;

use super::schema::admin_units as au;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::roles::NATIONAL_CODE;
use crate::error::{ApiError, ApiResult};

/// The reference list shipped with the service (copied from the 2025 national list).
const CSV: &str = include_str!("../../data/admin-units-vn-2025.csv");

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = au)]
pub struct AdminUnit {
    pub code: String,
    pub name: String,
    pub division_type: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub province_code: Option<String>,
}

/// A unit a record may be attached to, with its province (for jurisdiction filters).
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub code: String,
    pub level: String,
    pub province_code: Option<String>,
}

struct SeedRow<'a> {
    code: &'a str,
    name: &'a str,
    division_type: &'a str,
    level: &'a str,
    parent: Option<&'a str>,
}

fn seed_rows() -> Vec<SeedRow<'static>> {
    let mut rows = vec![SeedRow {
        code: NATIONAL_CODE,
        name: "Việt Nam",
        division_type: "quốc gia",
        level: "national",
        parent: None,
    }];
    for line in CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 5 {
            continue;
        }
        rows.push(SeedRow {
            code: f[0],
            name: f[1],
            division_type: f[2],
            level: f[4],
            parent: Some(if f[3].is_empty() { NATIONAL_CODE } else { f[3] }),
        });
    }
    rows
}

/// The province a unit belongs to (a province is its own), from the reference list the
/// table is seeded with: no database trip. `None` for `VN` and unknown codes.
pub fn province_of(code: &str) -> Option<&'static str> {
    static PROVINCES: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    let map = PROVINCES.get_or_init(|| {
        seed_rows()
            .into_iter()
            .filter_map(|r| match r.level {
                "province" => Some((r.code, r.code)),
                "commune" => r.parent.map(|p| (r.code, p)),
                _ => None,
            })
            .collect()
    });
    map.get(code).copied()
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Loads the list when the table is empty. Multi-row INSERTs in one transaction keep it to
/// a few milliseconds on both backends.
pub fn seed(conn: &mut DbConnection) -> QueryResult<()> {
    let count: i64 = au::table.count().get_result(conn)?;
    if count > 0 {
        return Ok(());
    }
    let rows = seed_rows();
    super::write_tx(conn, |conn| {
        for chunk in rows.chunks(500) {
            let values: Vec<String> = chunk
                .iter()
                .map(|r| {
                    let province = match r.level {
                        "province" => Some(r.code),
                        "commune" => r.parent,
                        _ => None,
                    };
                    format!(
                        "({}, {}, {}, {}, {}, {}, {})",
                        quote(r.code),
                        quote(r.name),
                        quote(&crate::text::fold(r.name)),
                        quote(r.division_type),
                        quote(r.level),
                        r.parent.map(quote).unwrap_or_else(|| "NULL".into()),
                        province.map(quote).unwrap_or_else(|| "NULL".into()),
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO admin_units (code, name, name_folded, division_type, level, parent_code, province_code) VALUES {}",
                values.join(", ")
            );
            diesel::sql_query(sql).execute(conn)?;
        }
        Ok(())
    })
}

pub fn find(conn: &mut DbConnection, code: &str) -> ApiResult<AdminUnit> {
    au::table.find(code).select(AdminUnit::as_select()).first(conn).or_not_found()
}

/// Resolves a unit code a record will carry; unknown codes are a 422 on `field`.
pub fn resolve(conn: &mut DbConnection, code: &str, field: &str) -> ApiResult<UnitRef> {
    let row: Option<(String, String, Option<String>)> =
        au::table.find(code).select((au::code, au::level, au::province_code)).first(conn).optional()?;
    row.map(|(code, level, province_code)| UnitRef { code, level, province_code })
        .ok_or_else(|| ApiError::invalid(field, format!("`{code}` is not a current administrative unit code")))
}

pub struct ListFilter {
    pub parent: Option<String>,
    pub q: Option<String>,
    pub level: Option<String>,
}

pub fn list(conn: &mut DbConnection, filter: &ListFilter, offset: i64, limit: i64) -> ApiResult<(Vec<AdminUnit>, i64)> {
    let build = || {
        let mut query = au::table.into_boxed();
        if let Some(parent) = &filter.parent {
            query = query.filter(au::parent_code.eq(parent.clone()));
        }
        if let Some(level) = &filter.level {
            query = query.filter(au::level.eq(level.clone()));
        }
        if let Some(q) = &filter.q {
            let pattern = super::like_contains(&crate::text::fold(q));
            query = query.filter(au::name_folded.like(pattern).escape('\\'));
        }
        query
    };
    Ok(paged!(conn, build, AdminUnit, au::code.asc(), offset, limit))
}

/// The units one level below `parent` (provinces below `VN`, communes below a province),
/// as (code, name).
pub fn children(conn: &mut DbConnection, parent: &str) -> ApiResult<Vec<(String, String)>> {
    let q = au::table.select((au::code, au::name)).order(au::code.asc()).into_boxed();
    let q = if parent == NATIONAL_CODE {
        q.filter(au::level.eq("province"))
    } else {
        q.filter(au::parent_code.eq(parent.to_string()))
    };
    Ok(q.load(conn)?)
}
