//! Days admins add to the holiday calendar from the Government's announcements.

use crate::auth::Auth;
use crate::db::holidays::{self as db, HolidayRow};
use crate::db::{audit, write_tx, DbConnection};
use crate::domain::working_days::CalendarDay;
use crate::dto::holidays::NewHoliday;
use crate::error::ApiResult;

/// Adds the announced day, with its audit event, in one transaction.
pub fn create(conn: &mut DbConnection, auth: &Auth, input: &NewHoliday) -> ApiResult<CalendarDay> {
    write_tx(conn, |conn| {
        let row = HolidayRow {
            day: input.date,
            kind: input.kind,
            name: crate::text::normalize(&input.name),
            basis: input.basis.as_deref().map(crate::text::normalize).unwrap_or_else(|| "announced".into()),
            created_by: auth.sub.clone(),
            created_at: crate::time::now(),
        };
        db::insert(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "holiday.create",
                entity_type: "holiday",
                entity_id: Some(&row.day.to_string()),
                after: Some(serde_json::json!({
                    "date": row.day, "kind": row.kind, "name": row.name, "basis": row.basis
                })),
                ..Default::default()
            },
        )?;
        Ok(row.day())
    })
}
