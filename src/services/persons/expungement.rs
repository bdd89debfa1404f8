//! The justice office's expungement decisions, checked against the forecast's dates.

use chrono::NaiveDate;

use super::convictions::forecast_with_rows;
use super::lifecycle::transition;
use super::{audit_person, person_read};
use crate::auth::Auth;
use crate::db::convictions::{self, ConvictionRow};
use crate::db::persons::{self, PersonRow, PersonScope};
use crate::db::{events, read_tx, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::expungement;
use crate::domain::lifecycle::Transition;
use crate::dto::convictions::ExpungementDecision;
use crate::error::{ApiError, ApiResult};
use crate::http::etag::IfMatch;
use crate::services::Audited;

/// Art. 70: automatic expungement on or after the earliest date, on the automatic track;
/// Arts. 71, 72: a court decision on or after the special-case date (one third), which on
/// the court track is the first day a court may decide at all.
fn check_expungement_date(
    f: &expungement::Forecast,
    basis_kind: ExpungementBasisKind,
    decided_on: NaiveDate,
) -> ApiResult<()> {
    use expungement::Track;
    let refuse = |reason: String| Err(ApiError::invalid("decided_on", &reason));
    match (basis_kind, f.track) {
        (_, Track::NoRecord) => Ok(()),
        (ExpungementBasisKind::Automatic, Track::CourtDecision) => Err(ApiError::invalid(
            "basis_kind",
            "the record is on the court track (Criminal Code Art. 71): record the court's decision \
             (basis_kind court_decision with its decision_number)",
        )),
        (ExpungementBasisKind::Automatic, _) => match f.earliest_date {
            None => refuse("no expungement date can be forecast yet (a principal penalty is not completed)".into()),
            Some(e) if decided_on < e => refuse(format!(
                "the record can be expunged automatically from {e} at the earliest (Criminal Code Art. 70); \
                 {decided_on} is before it"
            )),
            Some(_) => Ok(()),
        },
        (ExpungementBasisKind::CourtDecision, _) => match f.special_case_earliest_date {
            None => refuse("no expungement date can be forecast yet (a principal penalty is not completed)".into()),
            Some(s) if decided_on < s => refuse(format!(
                "a court may expunge this record from {s} at the earliest (one third of the period, \
                 Criminal Code Art. 72; Art. 71(3) after a refusal); {decided_on} is before it"
            )),
            Some(_) => Ok(()),
        },
    }
}

/// The justice office's decision. `expunged` ends management in the same transaction.
pub fn decide_expungement(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    if_match: &IfMatch,
    decision: &ExpungementDecision,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    if decision.decided_on > today {
        return Err(ApiError::invalid("decided_on", "must not be in the future"));
    }
    let basis_kind = decision.basis_kind.unwrap_or(ExpungementBasisKind::Automatic);
    match (basis_kind, &decision.decision_number) {
        (ExpungementBasisKind::CourtDecision, None) => {
            return Err(ApiError::invalid("decision_number", "is required for a court decision"));
        }
        (ExpungementBasisKind::Automatic, Some(_)) => {
            return Err(ApiError::invalid("decision_number", "applies to basis_kind court_decision only"));
        }
        _ => {}
    }
    // The law decides when a record can be expunged (Arts. 70-72): check the date against
    // the forecast as of the decision.
    let mut current_record: Vec<String> = Vec::new();
    if decision.status == ExpungementStatus::Expunged {
        let person = persons::find_in(conn, &PersonScope::of(auth), person_id)?;
        let (f, rows) = forecast_with_rows(conn, &person, decision.decided_on)?;
        check_expungement_date(&f, basis_kind, decision.decided_on)?;
        current_record =
            rows.iter().zip(&f.convictions).filter(|(_, o)| o.in_current_record).map(|(r, _)| r.id.clone()).collect();
    }
    let fill = |p: &mut PersonRow| {
        if decision.status == ExpungementStatus::Rejected
            && !(p.expungement_status == ExpungementStatus::Rejected
                && p.expungement_decided_on == Some(decision.decided_on))
        {
            // Art. 71(3): each refusal counts once (re-sending the same one does not).
            p.expungement_refusals += 1;
            p.expungement_last_refused_on = Some(decision.decided_on);
        }
        p.expungement_basis_kind = Some(basis_kind);
        p.expungement_decision_number = decision.decision_number.clone();
        p.expungement_status = decision.status;
        p.expungement_decided_on = Some(decision.decided_on);
        p.expungement_basis = decision.basis.clone();
        p.judicial_record_number = decision.judicial_record_number.clone();
        p.judicial_record_issuer = decision.judicial_record_issuer.clone();
    };
    match decision.status {
        ExpungementStatus::None => Err(ApiError::invalid("status", "must be pending, expunged or rejected")),
        ExpungementStatus::Expunged => {
            let saved = transition(
                conn,
                auth,
                person_id,
                Transition::Expunge,
                decision.decided_on,
                decision.basis.as_deref(),
                today,
                Some(if_match),
                |_, p| {
                    fill(p);
                    Ok(Some(serde_json::json!({
                        "judicial_record_number": decision.judicial_record_number,
                        "basis_kind": basis_kind.as_str(),
                        "decision_number": decision.decision_number,
                    })))
                },
            )?;
            convictions::record_expunged(conn, &current_record, decision.decided_on)?;
            events::emit(conn, "expungement.updated", "person", &saved.id, &saved.unit_code, &saved.province_code)?;
            Ok(saved)
        }
        _ => {
            let before = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
            if_match.check(before.version)?;
            if before.status == PersonStatus::Expunged {
                return Err(ApiError::conflict("already_expunged", "the record is already expunged"));
            }
            let mut after = before.clone();
            fill(&mut after);
            let saved = persons::save(conn, &after, before.version)?;
            audit_person(conn, auth, "person.expungement_update", Some(&before), &saved)?;
            events::emit(conn, "expungement.updated", "person", &saved.id, &saved.unit_code, &saved.province_code)?;
            Ok(saved)
        }
    }
}

/// A person, the expungement forecast and the convictions it reads.
pub type ExpungementRead = (PersonRow, (expungement::Forecast, Vec<ConvictionRow>));

/// The person, the expungement forecast and the convictions it reads; audited.
pub fn expungement(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    today: NaiveDate,
) -> ApiResult<Audited<ExpungementRead>> {
    read_tx(conn, &[], |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        let f = forecast_with_rows(conn, &person, today)?;
        let event = person_read(auth, "get_expungement", &person);
        Ok(Audited::new((person, f), Some(event)))
    })
}

/// Records the justice office's decision; answers with the person and the fresh forecast.
pub fn update_expungement(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    input: &ExpungementDecision,
    today: NaiveDate,
) -> ApiResult<(PersonRow, (expungement::Forecast, Vec<ConvictionRow>))> {
    write_tx(conn, |conn| {
        let p = decide_expungement(conn, auth, id, if_match, input, today)?;
        let f = forecast_with_rows(conn, &p, today)?;
        Ok((p, f))
    })
}
