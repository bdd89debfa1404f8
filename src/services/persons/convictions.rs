//! Convictions: judgments recorded and corrected (with their kept versions), the facts
//! derived from them and the expungement forecast, and judicial-record requests.

use chrono::{Days, NaiveDate};

use super::lifecycle::transition;
use super::person_read;
use crate::auth::Auth;
use crate::db::convictions::{self, ConvictionRow};
use crate::db::idempotency::{self, StoredResponse};
use crate::db::persons::{self, PersonRow, PersonScope};
use crate::db::{audit, read_tx, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::expungement;
use crate::domain::lifecycle::Transition;
use crate::dto::convictions::{Conviction, ConvictionInput, ConvictionPatch, JudicialRecordRequestInput};
use crate::error::{ApiError, ApiResult, InvalidParam};
use crate::http::etag::IfMatch;
use crate::services::Audited;

/// Recomputes what is derived from the convictions: release facts of the latest release,
/// offence group of the latest judgment, and the expungement forecast (Arts. 70–73).
pub fn refresh_derived(conn: &mut DbConnection, person: &mut PersonRow, today: NaiveDate) -> ApiResult<()> {
    let rows = convictions::for_person(conn, &person.id)?;
    apply_derived(person, &rows, today);
    Ok(())
}

/// The derivation itself, from the person's convictions.
pub fn apply_derived(person: &mut PersonRow, rows: &[ConvictionRow], today: NaiveDate) {
    if let Some(latest) = rows.iter().filter(|c| c.release_date.is_some()).max_by_key(|c| c.release_date) {
        person.release_date = latest.release_date;
        person.release_type = latest.release_type;
        person.release_certificate_number = latest.certificate_number.clone();
        person.release_certificate_date = latest.certificate_date;
        person.probation_end = latest.probation_end;
    }
    if let Some(latest) = rows.iter().max_by_key(|c| c.judgment_date) {
        person.offence_group = Some(latest.offence_group);
    }
    let facts: Vec<_> = rows.iter().map(ConvictionRow::facts).collect();
    if facts.is_empty() {
        person.expungement_track = None;
        person.expungement_due_on = None;
    } else {
        let f = expungement::forecast(&person_facts(person), &facts, today);
        person.expungement_track = Some(track_name(f.track).into());
        person.expungement_due_on = f.earliest_date;
    }
}

pub fn track_name(t: expungement::Track) -> &'static str {
    match t {
        expungement::Track::Automatic => "automatic",
        expungement::Track::CourtDecision => "court_decision",
        expungement::Track::NoRecord => "no_record",
    }
}

/// What the expungement rules need to know about the person.
pub fn person_facts(p: &PersonRow) -> expungement::PersonFacts {
    expungement::PersonFacts {
        date_of_birth: p.date_of_birth,
        refusals: p.expungement_refusals.max(0) as u32,
        last_refusal_on: p.expungement_last_refused_on,
    }
}

/// The forecast for a person, with the convictions it was computed from (same order as
/// `forecast.convictions`).
pub fn forecast_with_rows(
    conn: &mut DbConnection,
    person: &PersonRow,
    today: NaiveDate,
) -> ApiResult<(expungement::Forecast, Vec<ConvictionRow>)> {
    let rows = convictions::for_person(conn, &person.id)?;
    let facts: Vec<_> = rows.iter().map(ConvictionRow::facts).collect();
    Ok((expungement::forecast(&person_facts(person), &facts, today), rows))
}

/// Checks that a conviction's dates hang together (422 listing every problem).
pub fn check_conviction(input: &ConvictionInput, today: NaiveDate) -> ApiResult<()> {
    let mut problems = Vec::new();
    let mut bad = |name: &str, reason: &str| problems.push(InvalidParam::new(name, reason));
    if input.judgment_date > today {
        bad("judgment_date", "must not be in the future");
    }
    if input.offence_date.is_some_and(|d| d > input.judgment_date) {
        bad("offence_date", "must not be after the judgment date");
    }
    if input.expunged_on.is_some_and(|d| d < input.judgment_date || d > today) {
        bad("expunged_on", "must lie between the judgment date and today");
    }
    match (input.principal.kind, input.principal.months) {
        (PrincipalKind::Imprisonment, None) => bad("principal.months", "is required for imprisonment"),
        (PrincipalKind::Imprisonment, Some(m)) if !(1..=360).contains(&m) => {
            bad("principal.months", "must be between 1 and 360")
        }
        (PrincipalKind::Imprisonment, Some(_)) => {}
        (_, Some(_)) => bad("principal.months", "applies to imprisonment only"),
        _ => {}
    }
    let before_judgment = |d: Option<NaiveDate>| d.is_some_and(|d| d < input.judgment_date);
    if before_judgment(input.release_date) {
        bad("release_date", "must not be before the judgment date");
    }
    if before_judgment(input.sentence_completed_on) {
        bad("sentence_completed_on", "must not be before the judgment date");
    }
    if input.release_date.is_some_and(|d| d > today) {
        bad("release_date", "must not be in the future (use a release notice for expected releases)");
    }
    if let (Some(cert), Some(release)) = (input.certificate_date, input.release_date) {
        // A parolee's completion certificate is dated at the end of probation (Art. 66).
        let served = match (input.release_type, input.probation_end) {
            (Some(ReleaseType::ConditionalEarlyRelease), Some(end)) => end.max(release),
            _ => release,
        };
        if cert < input.judgment_date || cert > served + Days::new(365) {
            bad(
                "certificate_date",
                "must lie between the judgment and a year after release (for parole, after the end of probation)",
            );
        }
    }
    let custodial = matches!(
        input.principal.kind,
        PrincipalKind::Imprisonment | PrincipalKind::Life | PrincipalKind::DeathCommuted
    );
    if input.release_date.is_some() && !custodial {
        bad("release_date", "applies to custodial penalties only");
    }
    if input.release_date.is_some() && input.release_type.is_none() {
        bad("release_type", "is required with a release date");
    }
    if input.release_type.is_some() && input.release_date.is_none() {
        bad("release_date", "is required with a release type");
    }
    match (input.release_type, input.probation_end) {
        (Some(ReleaseType::ConditionalEarlyRelease), None) => {
            bad("probation_end", "is required for conditional early release")
        }
        (Some(ReleaseType::ConditionalEarlyRelease), Some(end)) if input.release_date.is_some_and(|r| end <= r) => {
            bad("probation_end", "must be after the release date")
        }
        (Some(ReleaseType::ConditionalEarlyRelease), Some(_)) => {}
        (_, Some(_)) => bad("probation_end", "applies to conditional early release only"),
        _ => {}
    }
    for (i, s) in input.supplementary.iter().enumerate() {
        if s.completed_on.is_some_and(|d| d < input.judgment_date) {
            bad(&format!("supplementary[{i}].completed_on"), "must not be before the judgment date");
        }
        if s.ends_on.is_some_and(|d| d < input.judgment_date) {
            bad(&format!("supplementary[{i}].ends_on"), "must not be before the judgment date");
        }
    }
    for (i, o) in input.obligations.iter().enumerate() {
        if o.paid && o.paid_on.is_none() {
            bad(&format!("obligations[{i}].paid_on"), "is required when paid");
        }
        if !o.paid && o.paid_on.is_some() {
            bad(&format!("obligations[{i}].paid_on"), "must be empty while unpaid");
        }
        if o.paid_on.is_some_and(|d| d < input.judgment_date || d > today) {
            bad(&format!("obligations[{i}].paid_on"), "must lie between the judgment date and today");
        }
    }
    if input.offence_articles.iter().any(|a| a.trim().is_empty() || a.len() > 20) {
        bad("offence_articles", "each article must be 1–20 characters, e.g. \"249\"");
    }
    let national_security = input.offence_group == OffenceGroup::NationalSecurity;
    if national_security != (input.chapter == 13) {
        bad("chapter", "national_security offences are Chapter XIII (13), and only they");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// Records a judgment. A `new_offence` for a person under management marks them
/// `reoffended`; either way the derived release facts and the forecast are refreshed.
pub fn add_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &ConvictionInput,
    today: NaiveDate,
) -> ApiResult<(PersonRow, ConvictionRow)> {
    check_conviction(input, today)?;
    let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    check_against_birth(&person, input)?;
    let row = ConvictionRow::from_input(&person.id, input);
    convictions::insert(conn, &row)?;
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "conviction.create",
            entity_type: "conviction",
            entity_id: Some(&row.id),
            unit_code: Some(&person.unit_code),
            province_code: Some(&person.province_code),
            after: Some(serde_json::json!({"person_id": person.id, "judgment_number": row.judgment_number})),
            ..Default::default()
        },
    )?;
    let updated = if input.new_offence {
        transition(
            conn,
            auth,
            person_id,
            Transition::Reoffend,
            input.judgment_date.min(today),
            Some("new conviction"),
            today,
            None,
            |conn, p| {
                refresh_derived(conn, p, today)?;
                Ok(Some(serde_json::json!({"judgment_number": row.judgment_number})))
            },
        )?
    } else {
        let mut after = person.clone();
        refresh_derived(conn, &mut after, today)?;
        persons::save(conn, &after, person.version)?
    };
    Ok((updated, row))
}

fn check_against_birth(person: &PersonRow, input: &ConvictionInput) -> ApiResult<()> {
    if let Some(dob) = person.date_of_birth {
        if input.judgment_date < dob {
            return Err(ApiError::invalid("judgment_date", "must not be before the date of birth"));
        }
        if input.offence_date.is_some_and(|d| d < dob) {
            return Err(ApiError::invalid("offence_date", "must not be before the date of birth"));
        }
    }
    Ok(())
}

/// Corrects a conviction (`If-Match` on the conviction's version, a reason): the replaced
/// version is kept, the change audited and the derived facts and forecast refreshed, all
/// in the caller's transaction.
pub fn patch_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    conviction_id: &str,
    if_match: &IfMatch,
    patch: &ConvictionPatch,
    today: NaiveDate,
) -> ApiResult<(PersonRow, ConvictionRow)> {
    let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    let before = convictions::find(conn, &person.id, conviction_id)?;
    let expected_version = if_match.check(before.version)?;
    let input = before.patched(patch);
    check_conviction(&input, today)?;
    check_against_birth(&person, &input)?;
    let mut after = ConvictionRow::from_input(&person.id, &input);
    after.id = before.id.clone();
    after.created_at = before.created_at;
    // A correction to the release facts must not keep a completion date that was only the
    // old default.
    let old_default = if before.release_type == Some(ReleaseType::ConditionalEarlyRelease) {
        before.probation_end
    } else {
        before.release_date
    };
    if patch.sentence_completed_on.is_none() && before.sentence_completed_on == old_default {
        after.sentence_completed_on = if input.release_type == Some(ReleaseType::ConditionalEarlyRelease) {
            input.probation_end
        } else {
            input.release_date
        };
    }
    let snapshot = serde_json::to_string(&before.to_input()).unwrap_or_else(|_| "{}".into());
    let saved =
        convictions::replace(conn, &before, &after, expected_version, &snapshot, patch.reason.trim(), &auth.sub)?;
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "conviction.update",
            entity_type: "conviction",
            entity_id: Some(&saved.id),
            unit_code: Some(&person.unit_code),
            province_code: Some(&person.province_code),
            before: serde_json::to_value(before.to_input()).ok(),
            after: Some(serde_json::json!({
                "person_id": person.id,
                "version": saved.version,
                "reason": patch.reason.trim(),
                "conviction": serde_json::to_value(saved.to_input()).unwrap_or_default(),
            })),
        },
    )?;
    let mut p = person.clone();
    refresh_derived(conn, &mut p, today)?;
    let p = persons::save(conn, &p, person.version)?;
    Ok((p, saved))
}

/// The person's convictions with what the forecast says of each.
fn conviction_views(conn: &mut DbConnection, person: &PersonRow, today: NaiveDate) -> ApiResult<Vec<Conviction>> {
    let (f, rows) = forecast_with_rows(conn, person, today)?;
    Ok(rows.iter().enumerate().map(|(i, r)| r.view(f.convictions.get(i))).collect())
}

/// The person's convictions with the forecast's word on each; reading them is audited.
pub fn list_convictions(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    today: NaiveDate,
) -> ApiResult<Audited<Vec<Conviction>>> {
    read_tx(conn, &[], |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        let views = conviction_views(conn, &person, today)?;
        Ok(Audited::new(views, Some(person_read(auth, "list_convictions", &person))))
    })
}

/// Records a judgment once per idempotency key; the answer is the stored (or replayed) 201.
pub fn create_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &ConvictionInput,
    today: NaiveDate,
    idem_key: Option<&str>,
    request_hash: &str,
) -> ApiResult<StoredResponse> {
    idempotency::once(conn, &auth.sub, idem_key, "create_conviction", request_hash, |conn| {
        let (person, row) = add_conviction(conn, auth, id, input, today)?;
        let view = conviction_views(conn, &person, today)?.into_iter().find(|v| v.id == row.id);
        StoredResponse::created(&view)
    })
}

/// Corrects a conviction, keeping the replaced version; answers with it as the forecast sees it.
#[allow(clippy::too_many_arguments)]
pub fn update_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    cid: &str,
    if_match: &IfMatch,
    input: &ConvictionPatch,
    today: NaiveDate,
) -> ApiResult<Conviction> {
    write_tx(conn, |conn| {
        let (person, row) = patch_conviction(conn, auth, id, cid, if_match, input, today)?;
        conviction_views(conn, &person, today)?.into_iter().find(|v| v.id == row.id).ok_or(ApiError::NotFound)
    })
}

/// The replaced versions of a conviction, oldest first; reading them is audited.
pub fn conviction_versions(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    cid: &str,
) -> ApiResult<Audited<Vec<convictions::VersionRow>>> {
    read_tx(conn, &[], |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        let row = convictions::find(conn, &person.id, cid)?;
        let versions = convictions::versions(conn, &row.id)?;
        Ok(Audited::new(versions, Some(person_read(auth, "list_conviction_versions", &person))))
    })
}

/// The person's judicial-record certificate requests; reading them is audited.
pub fn judicial_record_requests(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
) -> ApiResult<Audited<Vec<convictions::JudicialRecordRow>>> {
    read_tx(conn, &[], |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        let requests = convictions::judicial_records(conn, &person.id)?;
        Ok(Audited::new(requests, Some(person_read(auth, "list_judicial_record_requests", &person))))
    })
}

/// Records a judicial-record certificate request (already checked for shape), audited.
pub fn create_judicial_record_request(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &JudicialRecordRequestInput,
) -> ApiResult<convictions::JudicialRecordRow> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        let row = convictions::JudicialRecordRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            requested_on: input.requested_on,
            purpose: input.purpose.clone(),
            outcome: input.outcome.clone(),
            certificate_number: input.certificate_number.clone(),
            issued_on: input.issued_on,
            issuer: input.issuer.clone(),
            created_at: crate::time::now(),
        };
        convictions::insert_judicial_record(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "judicial_record_request.create",
                entity_type: "judicial_record_request",
                entity_id: Some(&row.id),
                unit_code: Some(&person.unit_code),
                province_code: Some(&person.province_code),
                after: Some(serde_json::json!({"person_id": person.id, "outcome": row.outcome})),
                ..Default::default()
            },
        )?;
        Ok(row)
    })
}
