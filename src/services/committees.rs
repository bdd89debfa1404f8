//! Steering committees: establishment, membership changes and consolidations under the
//! head / standing-deputy rule, dissolution.

use chrono::NaiveDate;

use crate::auth::Auth;
use crate::db::committees::{self as db, CommitteeRow, ConsolidationRow, MemberRow};
use crate::db::{accounts, audit, write_tx, DbConnection};
use crate::domain::committee::{check_leadership, role_fits_body, Span};
use crate::domain::enums::*;
use crate::dto::committees::{
    Committee, Consolidation, Member, MemberChange, NewCommittee, NewConsolidation, NewMember,
};
use crate::error::{ApiError, ApiResult};

pub fn audit_committee(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    c: &CommitteeRow,
    entity_id: &str,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    let entity_type = if action.starts_with("committee_member") { "committee_member" } else { "steering_committee" };
    let entry = audit::Entry::on(action, entity_type, (entity_id, &c.unit_code, &c.province_code));
    audit::by(conn, auth, entry.change(None, after))
}

fn member_row(
    conn: &mut DbConnection,
    c: &CommitteeRow,
    m: &NewMember,
    field: &str,
    consolidation: Option<&str>,
) -> ApiResult<MemberRow> {
    if !role_fits_body(m.body, m.role) {
        return Err(ApiError::invalid(
            format!("{field}.role"),
            format!("`{}` is not a role of the {}", m.role.as_str(), m.body.as_str()),
        ));
    }
    if m.from_date < c.decision_date {
        return Err(ApiError::invalid(
            format!("{field}.from_date"),
            "must not be before the committee's establishing decision",
        ));
    }
    let account_id = match &m.account_id {
        Some(raw) => {
            let id = crate::http::parse_id(raw)
                .map_err(|_| ApiError::invalid(format!("{field}.account_id"), "is not an account id"))?;
            accounts::find_by_id(conn, &id)?
                .ok_or_else(|| ApiError::invalid(format!("{field}.account_id"), "no such account"))?;
            Some(id)
        }
        None => None,
    };
    let now = crate::time::now();
    Ok(MemberRow {
        id: uuid::Uuid::now_v7().to_string(),
        committee_id: c.id.clone(),
        body: m.body,
        role: m.role,
        full_name: crate::text::normalize(&m.full_name),
        title: m.title.clone(),
        organisation: m.organisation,
        contact: m.contact.clone(),
        account_id,
        from_date: m.from_date,
        to_date: None,
        end_reason: None,
        consolidation_id: consolidation.map(str::to_string),
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// Re-reads the membership and checks the leadership rule over the committee's life.
fn check(conn: &mut DbConnection, c: &CommitteeRow) -> ApiResult<()> {
    let spans: Vec<Span> = db::members(conn, &c.id)?
        .iter()
        .map(|m| Span { body: m.body, role: m.role, from: m.from_date, to: m.to_date })
        .collect();
    check_leadership(&spans, c.decision_date, c.dissolved_on).map_err(|why| ApiError::conflict("leadership_rule", why))
}

fn add_member(
    conn: &mut DbConnection,
    auth: &Auth,
    c: &CommitteeRow,
    m: &NewMember,
    field: &str,
    consolidation: Option<&str>,
) -> ApiResult<MemberRow> {
    let row = member_row(conn, c, m, field, consolidation)?;
    if let Some(old) = &m.replaces {
        let old = crate::http::parse_id(old)
            .map_err(|_| ApiError::invalid(format!("{field}.replaces"), "is not a member id"))?;
        let current = db::members(conn, &c.id)?;
        let target = current
            .iter()
            .find(|x| x.id == old && x.to_date.is_none())
            .ok_or_else(|| ApiError::invalid(format!("{field}.replaces"), "no such active member of this committee"))?;
        if m.from_date < target.from_date {
            return Err(ApiError::invalid(
                format!("{field}.from_date"),
                "must not be before the replaced member's start",
            ));
        }
        db::end_member(conn, &target.id, m.from_date, Some("replaced"))?;
        audit_committee(
            conn,
            auth,
            "committee_member.end",
            c,
            &target.id,
            Some(serde_json::json!({"to_date": m.from_date, "reason": "replaced"})),
        )?;
    }
    db::insert_member(conn, &row)?;
    audit_committee(conn, auth, "committee_member.add", c, &row.id, serde_json::to_value(&row).ok())?;
    Ok(row)
}

pub fn establish(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewCommittee,
    today: NaiveDate,
) -> ApiResult<CommitteeRow> {
    let unit = crate::services::persons::resolve_commune(conn, auth, &input.unit, "unit")?;
    if input.decision_date > today {
        return Err(ApiError::invalid("decision_date", "must not be in the future"));
    }
    let now = crate::time::now();
    let c = CommitteeRow {
        id: uuid::Uuid::now_v7().to_string(),
        unit_code: unit.code.clone(),
        province_code: unit.province_code.clone().unwrap_or_default(),
        name: crate::text::normalize(&input.name),
        working_group_name: input.working_group_name.clone(),
        decision_number: input.decision_number.trim().into(),
        decision_date: input.decision_date,
        signer: input.signer.clone(),
        status: CommitteeStatus::Active,
        dissolution_decision_number: None,
        dissolved_on: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    db::insert(conn, &c)?;
    audit_committee(conn, auth, "steering_committee.establish", &c, &c.id, serde_json::to_value(&c).ok())?;
    for (i, m) in input.members.iter().enumerate() {
        if m.replaces.is_some() {
            return Err(ApiError::invalid(format!("members[{i}].replaces"), "not allowed at establishment"));
        }
        add_member(conn, auth, &c, m, &format!("members[{i}]"), None)?;
    }
    check(conn, &c)?;
    Ok(c)
}

fn active_committee(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<CommitteeRow> {
    let c = db::find_in(conn, &auth.jurisdiction, id)?;
    if c.status != CommitteeStatus::Active {
        return Err(ApiError::conflict("committee_dissolved", "the committee is dissolved"));
    }
    db::touch(conn, &c)?;
    Ok(c)
}

pub fn add(
    conn: &mut DbConnection,
    auth: &Auth,
    committee_id: &str,
    m: &NewMember,
    today: NaiveDate,
) -> ApiResult<MemberRow> {
    let c = active_committee(conn, auth, committee_id)?;
    if m.from_date > today {
        return Err(ApiError::invalid("from_date", "must not be in the future"));
    }
    let row = add_member(conn, auth, &c, m, "member", None)?;
    check(conn, &c)?;
    Ok(row)
}

/// A member leaves; the answer lists the supervision assignments they still hold.
pub fn end(
    conn: &mut DbConnection,
    auth: &Auth,
    committee_id: &str,
    member_id: &str,
    to: NaiveDate,
    reason: Option<&str>,
) -> ApiResult<(MemberRow, Vec<String>)> {
    let c = active_committee(conn, auth, committee_id)?;
    let member = db::members(conn, &c.id)?.into_iter().find(|m| m.id == member_id).ok_or(ApiError::NotFound)?;
    if to < member.from_date {
        return Err(ApiError::invalid("to_date", "must not be before the member's start"));
    }
    db::end_member(conn, member_id, to, reason)?;
    check(conn, &c)?;
    audit_committee(
        conn,
        auth,
        "committee_member.end",
        &c,
        member_id,
        Some(serde_json::json!({"to_date": to, "reason": reason})),
    )?;
    let after = db::members(conn, &c.id)?.into_iter().find(|m| m.id == member_id).ok_or(ApiError::NotFound)?;
    let open = db::open_assignments(conn, member_id)?;
    Ok((after, open))
}

pub fn consolidate(
    conn: &mut DbConnection,
    auth: &Auth,
    committee_id: &str,
    input: &NewConsolidation,
    today: NaiveDate,
) -> ApiResult<ConsolidationRow> {
    let c = active_committee(conn, auth, committee_id)?;
    if input.decision_date > today || input.decision_date < c.decision_date {
        return Err(ApiError::invalid("decision_date", "must lie between the establishing decision and today"));
    }
    let row = ConsolidationRow {
        id: uuid::Uuid::now_v7().to_string(),
        committee_id: c.id.clone(),
        decision_number: input.decision_number.trim().into(),
        decision_date: input.decision_date,
        note: input.note.clone(),
        changes: serde_json::to_string(&input.changes).unwrap_or_default(),
        actor_sub: Some(auth.sub.clone()),
        created_at: crate::time::now(),
    };
    db::insert_consolidation(conn, &row)?;
    for (i, change) in input.changes.iter().enumerate() {
        match change {
            MemberChange::Add { member } => {
                if member.from_date != input.decision_date {
                    return Err(ApiError::invalid(
                        format!("changes[{i}].member.from_date"),
                        "must be the decision date",
                    ));
                }
                add_member(conn, auth, &c, member, &format!("changes[{i}].member"), Some(&row.id))?;
            }
            MemberChange::End { member_id, reason } => {
                let id = crate::http::parse_id(member_id)
                    .map_err(|_| ApiError::invalid(format!("changes[{i}].member_id"), "is not a member id"))?;
                let exists = db::members(conn, &c.id)?.iter().any(|m| m.id == id && m.to_date.is_none());
                if !exists {
                    return Err(ApiError::invalid(
                        format!("changes[{i}].member_id"),
                        "no such active member of this committee",
                    ));
                }
                db::end_member(conn, &id, input.decision_date, reason.as_deref().or(Some("consolidation")))?;
            }
        }
    }
    // The rule is checked once, after the whole set: a consolidation may swap the head.
    check(conn, &c)?;
    audit_committee(conn, auth, "steering_committee.consolidate", &c, &row.id, serde_json::to_value(&row).ok())?;
    Ok(row)
}

pub fn dissolve(
    conn: &mut DbConnection,
    auth: &Auth,
    committee_id: &str,
    decision: &str,
    on: NaiveDate,
    today: NaiveDate,
) -> ApiResult<CommitteeRow> {
    let c = db::find_in(conn, &auth.jurisdiction, committee_id)?;
    if c.status != CommitteeStatus::Active {
        return Err(ApiError::conflict("committee_dissolved", "the committee is already dissolved"));
    }
    if on > today || on < c.decision_date {
        return Err(ApiError::invalid("dissolved_on", "must lie between the establishing decision and today"));
    }
    for m in db::members(conn, &c.id)?.iter().filter(|m| m.to_date.is_none()) {
        db::end_member(conn, &m.id, on.max(m.from_date), Some("committee dissolved"))?;
    }
    db::dissolve(conn, &c, decision, on)?;
    let after = db::find_in(conn, &auth.jurisdiction, committee_id)?;
    audit_committee(conn, auth, "steering_committee.dissolve", &after, &after.id, serde_json::to_value(&after).ok())?;
    Ok(after)
}

pub fn member_view(m: &MemberRow, open: Option<Vec<String>>) -> Member {
    Member {
        id: m.id.clone(),
        body: m.body,
        role: m.role,
        full_name: m.full_name.clone(),
        title: m.title.clone(),
        organisation: m.organisation,
        contact: m.contact.clone(),
        account_id: m.account_id.clone(),
        from_date: m.from_date,
        to_date: m.to_date,
        end_reason: m.end_reason.clone(),
        consolidation_id: m.consolidation_id.clone(),
        open_assignments: open,
    }
}

/// The committee with its composition on `as_of`: members with from_date ≤ as_of and no end
/// or an end after as_of (a successor starts the day the predecessor ends).
/// The committee as the API shows it.
pub fn view(conn: &mut DbConnection, c: &CommitteeRow, as_of: chrono::NaiveDate) -> ApiResult<Committee> {
    let members = db::members(conn, &c.id)?
        .iter()
        .filter(|m| m.from_date <= as_of && m.to_date.is_none_or(|t| t > as_of))
        .map(|m| member_view(m, None))
        .collect();
    let consolidations = db::consolidations(conn, &c.id)?
        .into_iter()
        .map(|r| Consolidation {
            id: r.id,
            decision_number: r.decision_number,
            decision_date: r.decision_date,
            note: r.note,
            created_at: r.created_at.and_utc(),
        })
        .collect();
    Ok(Committee {
        id: c.id.clone(),
        unit: c.unit_code.clone(),
        name: c.name.clone(),
        working_group_name: c.working_group_name.clone(),
        decision_number: c.decision_number.clone(),
        decision_date: c.decision_date,
        signer: c.signer.clone(),
        status: c.status,
        dissolution_decision_number: c.dissolution_decision_number.clone(),
        dissolved_on: c.dissolved_on,
        as_of,
        members,
        consolidations,
        version: c.version,
    })
}

/// Establishes a committee, in one transaction with its members and audit; answers with its
/// composition from the day it takes effect.
pub fn create_committee(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewCommittee,
    today: NaiveDate,
) -> ApiResult<Committee> {
    write_tx(conn, |conn| {
        let c = establish(conn, auth, input, today)?;
        view(conn, &c, today.max(c.decision_date))
    })
}

/// Adds a member (ending the one replaced) in one transaction.
pub fn add_committee_member(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &NewMember,
    today: NaiveDate,
) -> ApiResult<Member> {
    let row = write_tx(conn, |conn| add(conn, auth, id, input, today))?;
    Ok(member_view(&row, None))
}

/// Ends a member's term; the answer lists the assignments they still hold.
pub fn end_member(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    member_id: &str,
    to_date: NaiveDate,
    reason: Option<&str>,
) -> ApiResult<Member> {
    let (row, open) = write_tx(conn, |conn| end(conn, auth, id, member_id, to_date, reason))?;
    Ok(member_view(&row, Some(open)))
}

/// Records a consolidation in one transaction; answers with the composition it leaves.
pub fn consolidate_committee(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &NewConsolidation,
    today: NaiveDate,
) -> ApiResult<Committee> {
    write_tx(conn, |conn| {
        let row = consolidate(conn, auth, id, input, today)?;
        let c = db::find_in(conn, &auth.jurisdiction, id)?;
        view(conn, &c, row.decision_date)
    })
}

/// Dissolves the committee in one transaction; answers with its composition that day.
pub fn dissolve_committee(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    decision_number: &str,
    dissolved_on: NaiveDate,
    today: NaiveDate,
) -> ApiResult<Committee> {
    write_tx(conn, |conn| {
        let c = dissolve(conn, auth, id, decision_number, dissolved_on, today)?;
        view(conn, &c, dissolved_on)
    })
}
