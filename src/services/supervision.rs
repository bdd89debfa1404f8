//! Supervision and support use cases: assignments, the activity log, the plan, and the
//! labour office's records. Each write commits with its audit event.

use chrono::NaiveDate;

use crate::auth::{Auth, Role};
use crate::db::idempotency::{self, StoredResponse};
use crate::db::persons::{self, PersonRow, PersonScope};
use crate::db::supervision::PlanItemRow;
use crate::db::supervision::{self as sup, ActivityRow, AssignmentRow};
use crate::db::{accounts, audit, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::dto::supervision::{ActivityCorrection, EndAssignment, NewActivity, NewAssignment, PlanItemInput};
use crate::error::{ApiError, ApiResult};
use crate::http::etag::IfMatch;

#[allow(clippy::too_many_arguments)] // mirrors audit::Entry field by field
pub fn audit_entry(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    person: &PersonRow,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    let entry = audit::Entry::on(action, entity_type, (entity_id, &person.unit_code, &person.province_code));
    audit::by(conn, auth, entry.change(before, after))
}

/// Ends every active assignment of a person (exit, transfer), in the caller's transaction.
pub fn end_active_assignments(
    conn: &mut DbConnection,
    auth: &Auth,
    person: &PersonRow,
    on: NaiveDate,
    reason: &str,
) -> ApiResult<usize> {
    let active = sup::active_for_person(conn, &person.id)?;
    for a in &active {
        sup::end_assignment(conn, &a.id, on.max(a.from_date), reason)?;
        audit_entry(
            conn,
            auth,
            "assignment.end",
            "assignment",
            &a.id,
            person,
            None,
            Some(serde_json::json!({"reason": reason, "to_date": on})),
        )?;
    }
    Ok(active.len())
}

fn is_manageable(p: &PersonRow) -> bool {
    matches!(
        p.status,
        PersonStatus::Expected | PersonStatus::Received | PersonStatus::UnderManagement | PersonStatus::Absconded
    )
}

/// Where a record about a person dated `day` belongs. A person the caller manages now
/// takes records as before. Otherwise (exited, moved out, deceased…) the day must lie in a
/// span when the person was managed in the caller's unit: the record goes to that span's
/// commune and is marked as entered after the fact; any other day is 409 `person_not_managed`.
pub struct RecordPlace {
    pub person: PersonRow,
    pub unit_code: String,
    pub province_code: String,
    pub after_the_fact: bool,
    /// The person's registration when the locking read gave it; `None` until read.
    registration: Option<Option<NaiveDate>>,
}

impl RecordPlace {
    /// The person's registration: the first date of its status history.
    fn registered_on(&self, conn: &mut DbConnection) -> ApiResult<Option<NaiveDate>> {
        match self.registration {
            Some(known) => Ok(known),
            None => persons::first_status_date(conn, &self.person.id),
        }
    }

    /// The audit event of a record about the person placed here, its `after` marked when
    /// entered after the fact.
    pub fn audit(
        &self,
        conn: &mut DbConnection,
        auth: &Auth,
        (action, entity_type, id): (&str, &str, &str),
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> ApiResult<()> {
        let after = mark_after_the_fact(after, self.after_the_fact);
        audit_entry(conn, auth, action, entity_type, id, &self.person, before, after)
    }
}

/// Finds the person for a dated record (see [`RecordPlace`]); `for_update` locks a person
/// the caller manages now.
pub fn place_record(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    day: NaiveDate,
    for_update: bool,
) -> ApiResult<RecordPlace> {
    let scope = PersonScope::of(auth);
    let found = if for_update {
        persons::find_in_for_update_registered(conn, &scope, person_id)
    } else {
        persons::find_in(conn, &scope, person_id).map(|p| (p, None))
    };
    let person = match found {
        Ok((p, registration)) if is_manageable(&p) => {
            return Ok(RecordPlace {
                unit_code: p.unit_code.clone(),
                province_code: p.province_code.clone(),
                person: p,
                after_the_fact: false,
                registration,
            })
        }
        Ok((p, _)) => p,
        // The whole-unit roles and labour (whose purpose covers every person while managed)
        // may reach a person who moved away; a supervisor keeps to its caseload, the bank to
        // its lists and loans.
        Err(ApiError::NotFound) if scope.purpose.as_ref().is_none_or(|p| p.labour) => {
            persons::find_with_history_in(conn, &auth.jurisdiction, person_id)?
        }
        Err(e) => return Err(e),
    };
    match persons::managed_unit_on(conn, &person.id, &auth.jurisdiction, day)? {
        Some((unit_code, province_code)) => {
            Ok(RecordPlace { person, unit_code, province_code, after_the_fact: true, registration: None })
        }
        None => Err(ApiError::conflict(
            "person_not_managed",
            format!("the person is `{}` and was not managed in your unit on {day}", person.status),
        )),
    }
}

/// Marks the audit record of a write entered after the person's exit.
pub fn mark_after_the_fact(after: Option<serde_json::Value>, after_the_fact: bool) -> Option<serde_json::Value> {
    match (after, after_the_fact) {
        (Some(serde_json::Value::Object(mut m)), true) => {
            m.insert("entered_after_the_fact".into(), serde_json::Value::Bool(true));
            Some(serde_json::Value::Object(m))
        }
        (after, _) => after,
    }
}

pub fn assign(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &NewAssignment,
    today: NaiveDate,
) -> ApiResult<AssignmentRow> {
    write_tx(conn, |conn| {
        let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
        if !is_manageable(&person) {
            return Err(ApiError::conflict("person_not_managed", format!("the person is `{}`", person.status)));
        }
        if input.from_date > today {
            return Err(ApiError::invalid("from_date", "must not be in the future"));
        }
        if input.decision_date.is_some_and(|d| d > today) {
            return Err(ApiError::invalid("decision_date", "must not be in the future"));
        }
        if let Some(account_id) = &input.account_id {
            let id = crate::http::parse_id(account_id)
                .map_err(|_| ApiError::invalid("account_id", "is not an account id"))?;
            let account =
                accounts::find_by_id(conn, &id)?.ok_or_else(|| ApiError::invalid("account_id", "no such account"))?;
            let roles = crate::auth::roles::roles_from_db(&account.roles);
            if !roles.contains(&Role::Supervisor) || account.disabled {
                return Err(ApiError::invalid("account_id", "must be an enabled account with the supervisor role"));
            }
            if !crate::auth::Jurisdiction::parse(&account.unit_code)
                .is_some_and(|j| j.covers(&person.unit_code, Some(&person.province_code)))
            {
                return Err(ApiError::invalid("account_id", "the account's unit does not cover the person's commune"));
            }
        }
        let committee_member_id = match &input.committee_member_id {
            Some(raw) => {
                let id = crate::http::parse_id(raw)
                    .map_err(|_| ApiError::invalid("committee_member_id", "is not a member id"))?;
                crate::db::committees::member_in_unit(conn, &id, &person.unit_code)?.ok_or_else(|| {
                    ApiError::invalid("committee_member_id", "no active member of the commune's steering committee")
                })?;
                Some(id)
            }
            None => None,
        };
        if input.primary {
            if let Some(old) = sup::active_primary(conn, &person.id)? {
                if input.from_date < old.from_date {
                    return Err(ApiError::invalid(
                        "from_date",
                        "must not be before the current primary assignment's start",
                    ));
                }
                sup::end_assignment(conn, &old.id, input.from_date, "reassigned")?;
                audit_entry(
                    conn,
                    auth,
                    "assignment.end",
                    "assignment",
                    &old.id,
                    &person,
                    None,
                    Some(serde_json::json!({"reason": "reassigned"})),
                )?;
            }
        }
        let now = crate::time::now();
        let row = AssignmentRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            unit_code: person.unit_code.clone(),
            province_code: person.province_code.clone(),
            supervisor_kind: input.supervisor_kind,
            supervisor_name: crate::text::normalize(&input.supervisor_name),
            organisation: input.organisation,
            contact: input.contact.clone(),
            account_id: input.account_id.as_deref().and_then(|a| crate::http::parse_id(a).ok()),
            committee_member_id,
            is_primary: input.primary,
            decision_number: input.decision_number.clone(),
            decision_date: input.decision_date,
            from_date: input.from_date,
            to_date: None,
            end_reason: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        sup::insert_assignment(conn, &row)?;
        audit_entry(
            conn,
            auth,
            "assignment.create",
            "assignment",
            &row.id,
            &person,
            None,
            serde_json::to_value(&row).ok(),
        )?;
        Ok(row)
    })
}

/// An activity is something done with or for a person the commune knows of: not dated
/// before the person's registration (the first date of its status history).
fn check_after_registration(conn: &mut DbConnection, place: &RecordPlace, occurred_on: NaiveDate) -> ApiResult<()> {
    match place.registered_on(conn)? {
        Some(first) if occurred_on < first => {
            Err(ApiError::invalid("occurred_on", format!("must not be before the person's registration ({first})")))
        }
        _ => Ok(()),
    }
}

pub fn log_activity(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &NewActivity,
    today: NaiveDate,
) -> ApiResult<Vec<ActivityRow>> {
    // A person alone is found and locked in one statement, so the row read is current. A group
    // session's people are locked together once all are found (below).
    let alone = input.participant_ids.is_empty();
    let first = place_record(conn, auth, person_id, input.occurred_on.min(today), alone)?;
    if input.occurred_on > today {
        return Err(ApiError::invalid("occurred_on", "must not be in the future"));
    }
    if input.next_follow_up_on.is_some_and(|d| d < input.occurred_on) {
        return Err(ApiError::invalid("next_follow_up_on", "must not be before occurred_on"));
    }
    match (input.kind, input.legal_sub_kind) {
        (ActivityKind::LegalSupport, None) => {
            return Err(ApiError::invalid("legal_sub_kind", "is required for legal_support"))
        }
        (k, Some(_)) if k != ActivityKind::LegalSupport => {
            return Err(ApiError::invalid("legal_sub_kind", "applies to legal_support only"))
        }
        _ => {}
    }
    if !input.participant_ids.is_empty() && input.kind != ActivityKind::CounsellingGroup {
        return Err(ApiError::invalid("participant_ids", "applies to counselling_group only"));
    }
    // One record per person in the session; a person named twice counts once.
    let mut places = vec![first];
    for (i, raw) in input.participant_ids.iter().enumerate() {
        let id = crate::http::parse_id(raw)
            .map_err(|_| ApiError::invalid(format!("participant_ids[{i}]"), "is not a person id"))?;
        if places.iter().any(|p| p.person.id == id) {
            continue;
        }
        let other = place_record(conn, auth, &id, input.occurred_on, false).map_err(|e| match e {
            ApiError::NotFound => ApiError::invalid(format!("participant_ids[{i}]"), "no such person in your unit"),
            other => other,
        })?;
        places.push(other);
    }
    for place in &places {
        check_after_registration(conn, place, input.occurred_on)?;
    }
    let people: Vec<PersonRow> = places.iter().map(|p| p.person.clone()).collect();
    // Locked in id order, so two group sessions with the same participants cannot deadlock.
    if !alone {
        let mut ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        for id in ids {
            sup::lock_activity_log(conn, id)?;
        }
    }
    let session = (input.kind == ActivityKind::CounsellingGroup).then(|| uuid::Uuid::now_v7().to_string());
    let now = crate::time::now();
    let mut rows = Vec::with_capacity(people.len());
    for (p, place) in people.iter().zip(&places) {
        let row = ActivityRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: p.id.clone(),
            unit_code: place.unit_code.clone(),
            province_code: place.province_code.clone(),
            kind: input.kind,
            legal_sub_kind: input.legal_sub_kind,
            occurred_on: input.occurred_on,
            group_session_id: session.clone(),
            author_sub: auth.sub.clone(),
            author_name: input.author_name.clone(),
            place: input.place.clone(),
            notes: input.notes.clone(),
            outcome: input.outcome.clone(),
            next_follow_up_on: input.next_follow_up_on,
            deleted: false,
            deleted_reason: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        sup::insert_linked_activity(conn, &row)?;
        sup::note_new_activity(conn, &p.id, alone.then_some(p), input.kind, row.occurred_on)?;
        audit_entry(
            conn,
            auth,
            "activity.create",
            "activity",
            &row.id,
            p,
            None,
            mark_after_the_fact(
                Some(
                    serde_json::json!({"person_id": p.id, "kind": row.kind, "occurred_on": row.occurred_on, "group_session_id": row.group_session_id}),
                ),
                place.after_the_fact,
            ),
        )?;
        rows.push(row);
    }
    Ok(rows)
}

pub fn correct_activity(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    activity_id: &str,
    if_match: &IfMatch,
    input: &ActivityCorrection,
    today: NaiveDate,
) -> ApiResult<ActivityRow> {
    write_tx(conn, |conn| {
        // The day the corrected record will carry decides whether it may be entered.
        let found = sup::find_activity(conn, person_id, activity_id);
        let day = input.occurred_on.or(found.as_ref().ok().map(|a| a.occurred_on)).unwrap_or(today).min(today);
        let place = place_record(conn, auth, person_id, day, false)?;
        let person = place.person.clone();
        let before = found?;
        if before.deleted {
            return Err(ApiError::conflict("activity_deleted", "a deleted activity cannot be corrected"));
        }
        if_match.check(before.version)?;
        let mut after = before.clone();
        if let Some(d) = input.occurred_on {
            if d > today {
                return Err(ApiError::invalid("occurred_on", "must not be in the future"));
            }
            check_after_registration(conn, &place, d)?;
            after.occurred_on = d;
        }
        // JSON Merge Patch: a member left out stays, `null` clears.
        if let Some(sub_kind) = input.legal_sub_kind {
            if before.kind != ActivityKind::LegalSupport {
                return Err(ApiError::invalid("legal_sub_kind", "applies to legal_support only"));
            }
            after.legal_sub_kind = Some(sub_kind);
        }
        for (field, value) in
            [(&mut after.place, &input.place), (&mut after.notes, &input.notes), (&mut after.outcome, &input.outcome)]
        {
            if let Some(v) = value {
                *field = v.clone();
            }
        }
        if let Some(d) = input.next_follow_up_on {
            after.next_follow_up_on = d;
        }
        sup::lock_activity_log(conn, &person.id)?;
        sup::revise_activity(conn, &before, &after, &auth.sub, &input.reason)?;
        sup::refresh_contact_dates(conn, &person.id)?;
        sup::refresh_activity_order(conn, &person.id, before.occurred_on.min(after.occurred_on))?;
        let saved = sup::find_activity(conn, &person.id, activity_id)?;
        let event = ("activity.correct", "activity", saved.id.as_str());
        place.audit(conn, auth, event, serde_json::to_value(&before).ok(), serde_json::to_value(&saved).ok())?;
        Ok(saved)
    })
}

pub fn delete_activity(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    activity_id: &str,
    reason: &str,
) -> ApiResult<()> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), person_id)?;
        let before = sup::find_activity(conn, &person.id, activity_id)?;
        if before.deleted {
            return Err(ApiError::NotFound);
        }
        let mut after = before.clone();
        after.deleted = true;
        after.deleted_reason = Some(reason.to_string());
        sup::lock_activity_log(conn, &person.id)?;
        sup::revise_activity(conn, &before, &after, &auth.sub, reason)?;
        sup::refresh_contact_dates(conn, &person.id)?;
        sup::refresh_activity_order(conn, &person.id, before.occurred_on)?;
        audit_entry(
            conn,
            auth,
            "activity.delete",
            "activity",
            &before.id,
            &person,
            serde_json::to_value(&before).ok(),
            Some(serde_json::json!({"reason": reason})),
        )
    })
}

/// Ends an assignment on `input.to_date` (between its start and today), audited.
pub fn end_assignment(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &EndAssignment,
    today: NaiveDate,
) -> ApiResult<AssignmentRow> {
    write_tx(conn, |conn| {
        let before = sup::find_assignment(conn, &auth.jurisdiction, id)?;
        if input.to_date < before.from_date || input.to_date > today {
            return Err(ApiError::invalid("to_date", "must lie between the start and today"));
        }
        sup::end_assignment(conn, id, input.to_date, &input.reason)?;
        let after = sup::find_assignment(conn, &auth.jurisdiction, id)?;
        let person = persons::find_in(conn, &PersonScope::unit(auth.jurisdiction.clone()), &after.person_id)?;
        audit_entry(
            conn,
            auth,
            "assignment.end",
            "assignment",
            id,
            &person,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        )?;
        Ok(after)
    })
}

/// Logs an activity once per idempotency key; `render` words the records written as the
/// stored (or replayed) 201's body.
#[allow(clippy::too_many_arguments)]
pub fn create_activity<T: serde::Serialize>(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &NewActivity,
    today: NaiveDate,
    idem_key: Option<&str>,
    request_hash: &str,
    render: impl FnOnce(&[ActivityRow]) -> T,
) -> ApiResult<StoredResponse> {
    idempotency::once(conn, &auth.sub, idem_key, "create_activity", request_hash, |conn| {
        let rows = log_activity(conn, auth, person_id, input, today)?;
        StoredResponse::created(&render(&rows))
    })
}

/// Sets one area of the person's reintegration plan (`If-Match: "v0"` for a new item),
/// keeping the update in its history; returns the whole plan and its history.
pub fn update_plan_item(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    area: PlanArea,
    if_match: &IfMatch,
    input: &PlanItemInput,
) -> ApiResult<(Vec<PlanItemRow>, Vec<sup::PlanUpdateRow>)> {
    write_tx(conn, |conn| {
        let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
        let existing = sup::find_plan_item(conn, &person.id, area)?;
        let current_version = if_match.check_maybe(existing.as_ref().map(|i| i.version))?;
        let now = crate::time::now();
        let row = PlanItemRow {
            id: existing.as_ref().map(|i| i.id.clone()).unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            person_id: person.id.clone(),
            unit_code: person.unit_code.clone(),
            province_code: person.province_code.clone(),
            area,
            goal: input.goal.clone().or_else(|| existing.as_ref().and_then(|i| i.goal.clone())),
            status: input.status,
            responsible_agency: input.responsible_agency,
            updated_on: input.updated_on,
            created_at: existing.as_ref().map(|i| i.created_at).unwrap_or(now),
            updated_at: now,
            version: current_version + 1,
        };
        sup::upsert_plan_item(conn, &row, existing.is_some())?;
        sup::add_plan_update(conn, &row.id, row.status, input.note.as_deref(), input.updated_on, &auth.sub)?;
        audit_entry(
            conn,
            auth,
            "plan.update",
            "plan_item",
            &row.id,
            &person,
            existing.and_then(|e| serde_json::to_value(e).ok()),
            serde_json::to_value(&row).ok(),
        )?;
        Ok((sup::plan_items(conn, &person.id)?, sup::plan_updates(conn, &person.id)?))
    })
}
