//! Reintegration models, outreach events and propagandists: the writes, each with its
//! audit event in one transaction.

use crate::auth::Auth;
use crate::db::json_text::JsonText;
use crate::db::models::{self as db, MilestoneRow, ModelRow, OutreachRow, ParticipantRow, PropagandistRow, ReviewRow};
use crate::db::persons::{self, PersonScope};
use crate::db::{audit, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::model_steps;
use crate::dto::models::{
    LeaveInput, NewMilestone, NewModel, NewOutreachEvent, NewParticipant, NewPropagandist, NewReview, StatusChangeInput,
};
use crate::error::{ApiError, ApiResult};
use crate::http::parse_id;
use crate::time::today_vn;

fn audit_model(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    m: &ModelRow,
    entity_id: &str,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    audit_on_unit(conn, auth, (action, "model"), (entity_id, &m.unit_code, &m.province_code), after)
}

/// The audit event of a record booked on a unit: `(action, entity type)`, `(id, unit, province)`.
fn audit_on_unit(
    conn: &mut DbConnection,
    auth: &Auth,
    (action, entity_type): (&str, &str),
    (id, unit_code, province_code): (&str, &str, &str),
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    audit::by(conn, auth, audit::Entry::on(action, entity_type, (id, unit_code, province_code)).change(None, after))
}

pub fn create_model(conn: &mut DbConnection, auth: &Auth, input: &NewModel) -> ApiResult<ModelRow> {
    let unit = crate::services::persons::resolve_commune(conn, auth, &input.unit, "unit")?;
    let committee_id = match &input.committee_id {
        Some(raw) => {
            let id = parse_id(raw).map_err(|_| ApiError::invalid("committee_id", "is not an id"))?;
            let c = crate::db::committees::find_in(conn, &auth.jurisdiction, &id)
                .map_err(|_| ApiError::invalid("committee_id", "no such committee in your unit"))?;
            if c.unit_code != unit.code {
                return Err(ApiError::invalid("committee_id", "belongs to another commune"));
            }
            Some(id)
        }
        None => None,
    };
    if input.founding_decision_date.is_some_and(|d| d > today_vn()) {
        return Err(ApiError::invalid("founding_decision_date", "must not be in the future"));
    }
    write_tx(conn, |conn| {
        let now = crate::time::now();
        let name = crate::text::normalize(&input.name);
        let row = ModelRow {
            id: uuid::Uuid::now_v7().to_string(),
            unit_code: unit.code.clone(),
            province_code: unit.province_code.clone().unwrap_or_default(),
            name_folded: crate::text::fold(&name),
            name,
            model_type: input.model_type,
            sponsor_organisation: input.sponsor_organisation,
            committee_id: committee_id.clone(),
            founding_decision_number: input.founding_decision_number.clone(),
            founding_decision_date: input.founding_decision_date,
            description: input.description.clone(),
            business_lines: JsonText(input.business_lines.iter().map(|b| crate::text::normalize(b)).collect()),
            status: ModelStatus::Planned,
            status_since: today_vn(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        db::insert_model(conn, &row)?;
        audit_model(conn, auth, "model.create", &row, &row.id, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}

/// Records the next step; returns the model as it then stands.
pub fn record_milestone(conn: &mut DbConnection, auth: &Auth, id: &str, input: &NewMilestone) -> ApiResult<ModelRow> {
    write_tx(conn, |conn| {
        let m = db::find_model(conn, &auth.jurisdiction, id)?;
        let done: Vec<(ModelStep, chrono::NaiveDate)> =
            db::milestones(conn, &m.id)?.iter().map(|r| (r.step, r.achieved_on)).collect();
        model_steps::check_next(&done, input.step, input.achieved_on)
            .map_err(|why| ApiError::conflict("step_out_of_order", why))?;
        let row = MilestoneRow {
            id: uuid::Uuid::now_v7().to_string(),
            model_id: m.id.clone(),
            step: input.step,
            step_order: model_steps::order(input.step) as i32 + 1,
            achieved_on: input.achieved_on,
            note: input.note.clone(),
            created_at: crate::time::now(),
        };
        db::insert_milestone(conn, &row)?;
        let current = m.status;
        let next = model_steps::status_after(input.step, current);
        if next != current {
            db::set_model_status(conn, &m, next, input.achieved_on)?;
        }
        audit_model(conn, auth, "model.milestone", &m, &row.id, serde_json::to_value(&row).ok())?;
        db::find_model(conn, &auth.jurisdiction, id)
    })
}

/// Suspends, reactivates or dissolves; returns the model as it then stands.
pub fn change_model_status(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &StatusChangeInput,
) -> ApiResult<ModelRow> {
    write_tx(conn, |conn| {
        let m = db::find_model(conn, &auth.jurisdiction, id)?;
        let current = m.status;
        let allowed = matches!(
            (current, input.status),
            (ModelStatus::Active, ModelStatus::Suspended | ModelStatus::Dissolved)
                | (ModelStatus::Suspended, ModelStatus::Active | ModelStatus::Dissolved)
                | (ModelStatus::Planned, ModelStatus::Dissolved)
        );
        if !allowed {
            return Err(ApiError::conflict(
                "status_not_allowed",
                format!(
                    "cannot go from `{}` to `{}` (a planned model becomes active by its launch)",
                    current.as_str(),
                    input.status.as_str()
                ),
            ));
        }
        if input.on < m.status_since || input.on > today_vn() {
            return Err(ApiError::invalid("on", "must lie between the current status date and today"));
        }
        db::set_model_status(conn, &m, input.status, input.on)?;
        audit_model(
            conn,
            auth,
            "model.status",
            &m,
            &m.id,
            Some(serde_json::json!({"status": input.status, "on": input.on, "reason": input.reason})),
        )?;
        db::find_model(conn, &auth.jurisdiction, id)
    })
}

pub fn add_participant(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &NewParticipant,
) -> ApiResult<ParticipantRow> {
    write_tx(conn, |conn| {
        let m = db::find_model(conn, &auth.jurisdiction, id)?;
        if m.status == ModelStatus::Dissolved {
            return Err(ApiError::conflict("model_dissolved", "the model is dissolved"));
        }
        let (person_id, member_id) = match (input.role, &input.person_id, &input.member_id) {
            (ParticipantRole::Participant, Some(pid), None) => {
                let pid = parse_id(pid).map_err(|_| ApiError::invalid("person_id", "is not an id"))?;
                let person = persons::find_in(conn, &PersonScope::of(auth), &pid)
                    .map_err(|_| ApiError::invalid("person_id", "no such person in your unit"))?;
                let already = db::participants(conn, &m.id)?
                    .iter()
                    .any(|p| p.person_id.as_deref() == Some(person.id.as_str()) && p.left_on.is_none());
                if already {
                    return Err(ApiError::conflict("already_participating", "the person already takes part"));
                }
                (Some(person.id), None)
            }
            (ParticipantRole::Helper, None, member) => {
                let member_id = match member {
                    Some(raw) => {
                        let mid = parse_id(raw).map_err(|_| ApiError::invalid("member_id", "is not an id"))?;
                        crate::db::committees::member_in_unit(conn, &mid, &m.unit_code)?.ok_or_else(|| {
                            ApiError::invalid("member_id", "no active committee member of the commune")
                        })?;
                        Some(mid)
                    }
                    None if input.helper_name.is_some() => None,
                    None => return Err(ApiError::invalid("member_id", "a helper needs member_id or helper_name")),
                };
                (None, member_id)
            }
            (ParticipantRole::Participant, _, _) => {
                return Err(ApiError::invalid("person_id", "a participant is a person: give person_id only"))
            }
            (ParticipantRole::Helper, Some(_), _) => {
                return Err(ApiError::invalid("person_id", "helpers are members, not persons"))
            }
        };
        let row = ParticipantRow {
            id: uuid::Uuid::now_v7().to_string(),
            model_id: m.id.clone(),
            person_id,
            member_id,
            helper_name: input.helper_name.clone(),
            role: input.role,
            joined_on: input.joined_on,
            left_on: None,
            created_at: crate::time::now(),
        };
        db::insert_participant(conn, &row)?;
        audit_model(conn, auth, "model.participant_join", &m, &row.id, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}

pub fn leave_model(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    participant_id: &str,
    input: &LeaveInput,
) -> ApiResult<ParticipantRow> {
    write_tx(conn, |conn| {
        let m = db::find_model(conn, &auth.jurisdiction, id)?;
        let row = db::leave(conn, &m.id, participant_id, input.left_on)?;
        audit_model(conn, auth, "model.participant_leave", &m, &row.id, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}

/// Adds a review; returns the model it was added to.
pub fn add_review(conn: &mut DbConnection, auth: &Auth, id: &str, input: &NewReview) -> ApiResult<ModelRow> {
    write_tx(conn, |conn| {
        let m = db::find_model(conn, &auth.jurisdiction, id)?;
        let row = ReviewRow {
            id: uuid::Uuid::now_v7().to_string(),
            model_id: m.id.clone(),
            kind: input.kind,
            period_from: input.period_from,
            period_to: input.period_to,
            reviewed_on: input.reviewed_on,
            rating: input.rating,
            findings: input.findings.clone(),
            commendation: input.commendation.clone(),
            created_at: crate::time::now(),
        };
        db::insert_review(conn, &row)?;
        audit_model(conn, auth, "model.review", &m, &row.id, serde_json::to_value(&row).ok())?;
        Ok(m)
    })
}

pub fn create_outreach_event(conn: &mut DbConnection, auth: &Auth, input: &NewOutreachEvent) -> ApiResult<OutreachRow> {
    // Provincial TV and radio, or a national campaign, are booked on the province or on
    // VN: counted there and above, never for the province's communes.
    let unit = crate::db::admin_units::resolve(conn, &input.unit, "unit")?;
    let province_code = match unit.level.as_str() {
        "commune" => unit.province_code.clone().unwrap_or_default(),
        _ => unit.code.clone(),
    };
    crate::auth::ensure_covers(auth, &unit.code, Some(&province_code), "unit")?;
    let model_id = match &input.model_id {
        Some(raw) => {
            let id = parse_id(raw).map_err(|_| ApiError::invalid("model_id", "is not an id"))?;
            let m = db::find_model(conn, &auth.jurisdiction, &id)
                .map_err(|_| ApiError::invalid("model_id", "no such model in your unit"))?;
            Some(m.id)
        }
        None => None,
    };
    write_tx(conn, |conn| {
        let now = crate::time::now();
        let row = OutreachRow {
            id: uuid::Uuid::now_v7().to_string(),
            unit_code: unit.code.clone(),
            province_code,
            held_on: input.held_on,
            kind: input.kind,
            topic: crate::text::normalize(&input.topic),
            organiser: input.organiser.clone(),
            audience_count: input.audience_count,
            quantity: input.quantity,
            model_id: model_id.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
            topic_code: input.topic_code,
        };
        db::insert_outreach(conn, &row)?;
        let place = (row.id.as_str(), row.unit_code.as_str(), row.province_code.as_str());
        audit_on_unit(conn, auth, ("outreach.create", "outreach_event"), place, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}

pub fn create_propagandist(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewPropagandist,
) -> ApiResult<PropagandistRow> {
    let unit = crate::services::persons::resolve_commune(conn, auth, &input.unit, "unit")?;
    write_tx(conn, |conn| {
        let row = PropagandistRow {
            id: uuid::Uuid::now_v7().to_string(),
            unit_code: unit.code.clone(),
            province_code: unit.province_code.clone().unwrap_or_default(),
            full_name: crate::text::normalize(&input.full_name),
            organisation: input.organisation,
            from_date: input.from_date,
            to_date: input.to_date,
            created_at: crate::time::now(),
        };
        db::insert_propagandist(conn, &row)?;
        let place = (row.id.as_str(), row.unit_code.as_str(), row.province_code.as_str());
        audit_on_unit(conn, auth, ("propagandist.create", "propagandist"), place, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}
