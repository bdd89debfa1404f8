//! Named areas: a set of reporting units saved under a name by an admin or by the police of
//! a province (for their province) or of the country.

use crate::auth::{Auth, Jurisdiction};
use crate::db::areas::{self as db, AreaRow};
use crate::db::{audit, write_tx, DbConnection};
use crate::dto::reports::{Area, NewArea};
use crate::error::{ApiError, ApiResult};
use crate::services::reports::units_of;

pub fn view(row: &AreaRow) -> Area {
    Area {
        id: row.id.clone(),
        name: row.name.clone(),
        units: row.unit_codes(),
        province_code: row.province_code.clone(),
        unit: format!("area:{}", row.id),
        created_at: row.created_at.and_utc(),
    }
}

/// Saves an area and its audit event, in one transaction.
pub fn create(conn: &mut DbConnection, auth: &Auth, input: &NewArea) -> ApiResult<AreaRow> {
    write_tx(conn, |conn| save(conn, auth, input))
}

fn save(conn: &mut DbConnection, auth: &Auth, input: &NewArea) -> ApiResult<AreaRow> {
    if matches!(auth.jurisdiction, Jurisdiction::Commune(_)) {
        return Err(ApiError::Forbidden("areas are saved by the country or a province".into()));
    }
    let name = crate::text::normalize(&input.name);
    if name.is_empty() {
        return Err(ApiError::invalid("name", "must not be blank"));
    }
    let codes: Vec<String> = input.units.iter().map(|c| c.trim().to_string()).collect();
    let set = units_of(conn, auth, &codes, "units")?;
    let province_code = if set.province_code.is_empty() || set.set.contains(&Jurisdiction::National) {
        crate::auth::roles::NATIONAL_CODE.to_string()
    } else {
        set.province_code.clone()
    };
    let row = AreaRow {
        id: uuid::Uuid::now_v7().to_string(),
        name,
        units: codes.join(","),
        province_code,
        created_by: auth.sub.clone(),
        created_at: crate::time::now(),
    };
    db::insert(conn, &row)?;
    let after = serde_json::json!({"name": row.name, "units": row.unit_codes()});
    let entry = audit::Entry::on("area.create", "area", (&row.id, &row.province_code, &row.province_code));
    audit::by(conn, auth, entry.change(None, Some(after)))?;
    Ok(row)
}

/// The area `id` as a report scope: an area outside the caller's jurisdiction, or unknown,
/// is a 422 on `field` like any other unit outside it.
pub fn find(conn: &mut DbConnection, auth: &Auth, id: &str, field: &str) -> ApiResult<AreaRow> {
    match db::find_in(conn, &auth.jurisdiction, id) {
        Err(ApiError::NotFound) => Err(ApiError::invalid(field, format!("`area:{id}` is not an area of yours"))),
        other => other,
    }
}
