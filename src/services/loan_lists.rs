//! The commune's monthly list of persons eligible for a loan: compiled by the police,
//! certified by the People's Committee, sent to the bank and acknowledged. A certified list
//! is frozen; a new compilation for its month becomes the next version.

use chrono::NaiveDate;

use crate::auth::Auth;
use crate::db::loans::{self as db, EntryRow, ListRow};
use crate::db::persons::{self, PersonScope};
use crate::db::{audit, write_tx, DbConnection};
use crate::domain::enums::LoanListStatus;
use crate::dto::loans::NewLoanList;
use crate::error::{ApiError, ApiResult};
use crate::http::parse_id;

fn audit_list(conn: &mut DbConnection, auth: &Auth, action: &str, l: &ListRow) -> ApiResult<()> {
    let after = serde_json::json!({"month": l.month, "version_no": l.version_no, "status": l.status});
    audit::by(
        conn,
        auth,
        audit::Entry::on(action, "loan_list", (&l.id, &l.unit_code, &l.province_code)).change(None, Some(after)),
    )
}

/// Compiles the month's list (a new version when the latest is certified or later).
pub fn create_list(conn: &mut DbConnection, auth: &Auth, input: &NewLoanList) -> ApiResult<ListRow> {
    let unit = crate::services::persons::resolve_commune(conn, auth, &input.unit, "unit")?;
    write_tx(conn, |conn| {
        let latest = db::latest_list(conn, &unit.code, &input.month)?;
        if latest.as_ref().is_some_and(|l| l.status == LoanListStatus::Draft) {
            return Err(ApiError::conflict("draft_exists", "a draft list for this month exists: certify it first"));
        }
        let now = crate::time::now();
        let list = ListRow {
            id: uuid::Uuid::now_v7().to_string(),
            unit_code: unit.code.clone(),
            province_code: unit.province_code.clone().unwrap_or_default(),
            month: input.month.clone(),
            version_no: latest.as_ref().map(|l| l.version_no + 1).unwrap_or(1),
            status: LoanListStatus::Draft,
            supersedes_id: latest.map(|l| l.id),
            certified_decision_number: None,
            certified_on: None,
            sent_on: None,
            acknowledged_on: None,
            created_by: Some(auth.sub.clone()),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut entries = Vec::with_capacity(input.entries.len());
        for (i, e) in input.entries.iter().enumerate() {
            let pid = parse_id(&e.person_id)
                .map_err(|_| ApiError::invalid(format!("entries[{i}].person_id"), "is not an id"))?;
            let person = persons::find_in(conn, &PersonScope::of(auth), &pid)
                .map_err(|_| ApiError::invalid(format!("entries[{i}].person_id"), "no such person in your unit"))?;
            if person.unit_code != unit.code {
                return Err(ApiError::invalid(format!("entries[{i}].person_id"), "lives in another commune"));
            }
            if entries.iter().any(|x: &EntryRow| x.person_id == pid && x.purpose == e.purpose) {
                return Err(ApiError::invalid(
                    format!("entries[{i}]"),
                    "the person is already listed for this purpose",
                ));
            }
            entries.push(EntryRow {
                id: uuid::Uuid::now_v7().to_string(),
                list_id: list.id.clone(),
                person_id: pid,
                purpose: e.purpose,
                amount_wished_vnd: e.amount_wished_vnd,
                note: e.note.clone(),
            });
        }
        db::insert_list(conn, &list, &entries)?;
        audit_list(conn, auth, "loan_list.create", &list)?;
        Ok(list)
    })
}

/// One step of a list: the status it needs and the status it leads to.
pub struct ListStep {
    pub from: LoanListStatus,
    pub to: LoanListStatus,
}

pub const CERTIFY: ListStep = ListStep { from: LoanListStatus::Draft, to: LoanListStatus::Certified };
pub const SEND: ListStep = ListStep { from: LoanListStatus::Certified, to: LoanListStatus::Sent };
pub const ACKNOWLEDGE: ListStep = ListStep { from: LoanListStatus::Sent, to: LoanListStatus::Acknowledged };

/// Moves a list one step on, dated `on`; sending it emits `loan_list.sent`.
pub fn advance_list(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    step: ListStep,
    on: NaiveDate,
    decision: Option<&str>,
) -> ApiResult<ListRow> {
    let ListStep { from, to } = step;
    write_tx(conn, |conn| {
        let l = db::find_list(conn, &auth.jurisdiction, id)?;
        if l.status != from {
            return Err(ApiError::Conflict {
                code: "list_state",
                detail: format!("the list is `{}`; this step needs `{from}`", l.status),
                allowed: None,
            });
        }
        db::update_list_status(conn, &l, to, (to.as_str(), on), decision)?;
        let after = db::find_list(conn, &auth.jurisdiction, id)?;
        audit_list(conn, auth, &format!("loan_list.{to}"), &after)?;
        if to == LoanListStatus::Sent {
            crate::db::events::emit(
                conn,
                "loan_list.sent",
                "loan_list",
                &after.id,
                &after.unit_code,
                &after.province_code,
            )?;
        }
        Ok(after)
    })
}
