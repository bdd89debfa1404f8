//! The days admins added to the holiday calendar, and the calendar itself (shipped table
//! plus those days).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::public_holidays as ph;
use super::DbConnection;
use crate::domain::working_days::{self, Calendar, CalendarDay, DayKind};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ph)]
pub struct HolidayRow {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    pub basis: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl HolidayRow {
    pub fn day(&self) -> CalendarDay {
        CalendarDay { date: self.day, kind: self.kind, name: self.name.clone(), basis: self.basis.clone() }
    }
}

/// The added days between two dates (both included).
pub fn added(conn: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Vec<HolidayRow>> {
    Ok(ph::table
        .filter(ph::day.ge(from).and(ph::day.le(to)))
        .order(ph::day.asc())
        .select(HolidayRow::as_select())
        .load(conn)?)
}

/// 409 when the date was added before, or the shipped table already gives it that kind. A
/// different kind on a shipped date replaces the shipped entry (an announcement that chose
/// another day than the computed one).
pub fn insert(conn: &mut DbConnection, row: &HolidayRow) -> ApiResult<()> {
    let shipped = working_days::shipped().iter().any(|d| d.date == row.day && d.kind == row.kind);
    let exists: i64 = ph::table.filter(ph::day.eq(row.day)).count().get_result(conn)?;
    if shipped || exists > 0 {
        return Err(ApiError::conflict("holiday_exists", format!("{} is already in the calendar", row.day)));
    }
    diesel::insert_into(ph::table).values(row).execute(conn)?;
    Ok(())
}

/// The calendar deadlines are computed with: the shipped table and every added day.
pub fn calendar(conn: &mut DbConnection) -> ApiResult<Calendar> {
    let rows: Vec<HolidayRow> = ph::table.order(ph::day.asc()).select(HolidayRow::as_select()).load(conn)?;
    let added: Vec<CalendarDay> = rows.iter().map(HolidayRow::day).collect();
    Ok(Calendar::new(working_days::shipped(), &added))
}
