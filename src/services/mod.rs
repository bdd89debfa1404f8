//! Use cases that span several records: load under the caller's jurisdiction, apply a pure
//! domain rule, write the change, its history and its audit event in one transaction.

pub mod accounts;
pub mod areas;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod facility_activities;
pub mod holidays;
pub mod imports;
pub mod integrations;
pub mod labour;
pub mod loan_lists;
pub mod loans;
pub mod models;
pub mod persons;
pub mod plans;
pub mod release_notices;
pub mod reports;
pub mod supervision;

use crate::auth::{Auth, Jurisdiction};
use crate::db::admin_units::{self, UnitRef};
use crate::db::audit::NewAuditEvent;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};

/// A read's answer and the audit events that must be committed before it is shown: the
/// caller commits them (`AppState::run_audited`), batched with other reads' events.
#[must_use]
pub struct Audited<T> {
    pub value: T,
    pub events: Vec<NewAuditEvent>,
}

impl<T> Audited<T> {
    /// `value`, and the event `event` when there is one.
    pub fn new(value: T, event: Option<NewAuditEvent>) -> Audited<T> {
        Audited { value, events: event.into_iter().collect() }
    }
}

/// The current administrative unit `code`, inside the caller's jurisdiction (a 422 on
/// `field` otherwise).
pub fn covered_unit(conn: &mut DbConnection, auth: &Auth, code: &str, field: &str) -> ApiResult<UnitRef> {
    let unit = admin_units::resolve(conn, code, field)?;
    crate::auth::ensure_covers(auth, &unit.code, unit.province_code.as_deref(), field)?;
    Ok(unit)
}

/// The scope a read is narrowed to and its code: the caller's own unit, or `unit` inside it.
pub fn scope_for(conn: &mut DbConnection, auth: &Auth, unit: Option<&str>) -> ApiResult<(Jurisdiction, String)> {
    match unit {
        None => Ok((auth.jurisdiction.clone(), auth.unit.clone())),
        Some(code) => {
            let j = Jurisdiction::parse(code)
                .ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))?;
            Ok((j, covered_unit(conn, auth, code, "unit")?.code))
        }
    }
}
