//! Loan use cases: eligibility (Decision 22/2023 engine), monthly lists, the loan lifecycle
//! and the bank's postings. Every posting locks its loan, so concurrent tranches can never
//! exceed the approved amount.

use chrono::{Datelike, Months, NaiveDate};

use crate::auth::Auth;
use crate::db::idempotency::{self, StoredResponse};
use crate::db::loans::{self as db, LoanRow, PostingRow, RateRow};
use crate::db::persons::{self, PersonRow, PersonScope};
use crate::db::{audit, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::interest;
use crate::domain::loan_lifecycle::{self, LoanAction};
use crate::domain::loan_rules::{
    self, ConvictionRecord, Decision, EstablishmentFacts, IndividualFacts, LoanConfig, Purpose, Request,
};
use crate::dto::loans::{Approval, NewLoan, NewRate, NewUseCheck};
use crate::error::{ApiError, ApiResult, InvalidParam};
use crate::http::parse_id;
use crate::time::today_vn;

pub fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// `YYYY-MM` → first and last day.
pub fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some((first, last))
}

fn audit_loan(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    loan: &LoanRow,
    extra: Option<serde_json::Value>,
) -> ApiResult<()> {
    let after = extra.unwrap_or_else(|| serde_json::json!({"status": loan.status, "version": loan.version}));
    audit::by(
        conn,
        auth,
        audit::Entry::on(action, "loan", (&loan.id, &loan.unit_code, &loan.province_code)).change(None, Some(after)),
    )
}

/// A conviction as the loan rules read it.
pub fn conviction_record(c: &crate::db::convictions::ConvictionRow) -> ConvictionRecord {
    ConvictionRecord {
        judgment_date: c.judgment_date,
        custodial: matches!(
            c.principal_kind,
            PrincipalKind::Imprisonment | PrincipalKind::Life | PrincipalKind::DeathCommuted
        ),
        release_type: c.release_type.map(|t| t.as_str().to_string()),
        release_date: c.release_date,
        sentence_completed_on: c.sentence_completed_on,
        probation_end: c.probation_end,
        certificate_number: c.certificate_number.clone(),
        certificate_date: c.certificate_date,
    }
}

/// The facts the engine needs about a person, read from the registry on `as_of`. The
/// prison sentence and its certificate come from the convictions (Decision 22/2023 Art. 2(1)).
pub fn individual_facts(
    conn: &mut DbConnection,
    person: &PersonRow,
    purpose: Purpose,
    as_of: NaiveDate,
    declared_debt: bool,
    except_loan: &str,
) -> ApiResult<IndividualFacts> {
    let records: Vec<ConvictionRecord> =
        crate::db::convictions::for_person(conn, &person.id)?.iter().map(conviction_record).collect();
    let on_list = db::on_certified_list(conn, &person.id, &month_of(as_of), purpose.as_str())?;
    let outstanding =
        declared_debt || db::has_outstanding_same_purpose(conn, &person.id, purpose.as_str(), except_loan)?;
    let since = as_of.checked_sub_months(Months::new(1)).unwrap_or(as_of);
    let violations = crate::db::supervision::list_activities(
        conn,
        &person.id,
        &crate::db::supervision::ActivityFilter {
            kind: Some("violation_observed".into()),
            from: Some(since),
            to: Some(as_of),
            include_deleted: false,
        },
        0,
        1,
    )?
    .1;
    Ok(IndividualFacts {
        prison: loan_rules::prison_sentence(&records),
        on_certified_list: on_list,
        outstanding_same_purpose: outstanding,
        violation_since_last_list: violations > 0,
    })
}

pub fn eligibility(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    purpose: Purpose,
    as_of: NaiveDate,
    course_months: Option<u32>,
) -> ApiResult<Decision> {
    let person = persons::find_in(conn, &PersonScope::of(auth), person_id)?;
    let facts = individual_facts(conn, &person, purpose, as_of, false, "")?;
    let calendar = crate::db::holidays::calendar(conn)?;
    let request = Request { purpose, amount_vnd: None, term_months: None, course_months, collateral: false };
    Ok(loan_rules::check_individual(&facts, &request, as_of, &LoanConfig::default(), &calendar))
}

/// A refusal by the engine: one `invalid_params` entry per failed condition.
pub fn failures_to_problem(decision: &Decision) -> ApiError {
    ApiError::Validation(decision.failures.iter().map(|f| InvalidParam::new(f.code, f.message.clone())).collect())
}

/// Runs the engine on a loan as it stands (at submission). Loans of the bank's other
/// programmes skip the Decision 22 list and engine: they pass as they are.
pub fn check_loan(conn: &mut DbConnection, loan: &LoanRow) -> ApiResult<Decision> {
    if !is_decision_22(loan) {
        return Ok(Decision {
            eligible: true,
            max_amount_vnd: loan.amount_vnd,
            max_term_months: loan.term_months.max(0) as u32,
            counted_from: None,
            deadline: None,
            failures: Vec::new(),
        });
    }
    let cfg = LoanConfig::default();
    let purpose = loan.purpose;
    let request = Request {
        purpose,
        amount_vnd: Some(loan.amount_vnd),
        term_months: Some(loan.term_months.max(0) as u32),
        course_months: loan.course_months.map(|m| m.max(0) as u32),
        collateral: loan.collateral,
    };
    Ok(match (loan.borrower_kind, &loan.person_id) {
        (BorrowerKind::Person, Some(pid)) => {
            let person = persons::find_in(conn, &PersonScope::unit(crate::auth::Jurisdiction::National), pid)?;
            let facts = individual_facts(
                conn,
                &person,
                purpose,
                loan.application_date,
                loan.outstanding_same_purpose,
                &loan.id,
            )?;
            let calendar = crate::db::holidays::calendar(conn)?;
            loan_rules::check_individual(&facts, &request, loan.application_date, &cfg, &calendar)
        }
        _ => {
            let facts = EstablishmentFacts {
                registration_number: loan.establishment_registration.clone(),
                workforce: loan.workforce.unwrap_or(0).max(0) as u32,
                qualifying_employees: loan.qualifying_employees.unwrap_or(0).max(0) as u32,
                plan_certified: loan.plan_certified,
                outstanding_same_purpose: loan.outstanding_same_purpose,
            };
            loan_rules::check_establishment(&facts, &request, loan.application_date, &cfg)
        }
    })
}

fn not_allowed(current: LoanStatus, action: LoanAction, allowed: Vec<&'static str>) -> ApiError {
    ApiError::Conflict {
        code: "loan_action_not_allowed",
        detail: format!("`{}` is not allowed while the loan is `{}`", action.name(), current.as_str()),
        allowed: Some(allowed.into_iter().map(str::to_string).collect()),
    }
}

/// 409 (listing what is allowed) unless `action` may run on the loan now.
pub fn ensure_allowed(loan: &LoanRow, action: LoanAction) -> ApiResult<()> {
    let current = loan.status;
    loan_lifecycle::next(current, action, false).map(|_| ()).map_err(|allowed| not_allowed(current, action, allowed))
}

/// Moves a locked loan through `action`, appending its event and audit record.
#[allow(clippy::too_many_arguments)]
pub fn step(
    conn: &mut DbConnection,
    auth: &Auth,
    before: &LoanRow,
    mut after: LoanRow,
    action: LoanAction,
    on: NaiveDate,
    reason: Option<&str>,
    settles: bool,
) -> ApiResult<LoanRow> {
    let current = before.status;
    let next =
        loan_lifecycle::next(current, action, settles).map_err(|allowed| not_allowed(current, action, allowed))?;
    after.status = next;
    if reason.is_some() {
        after.status_reason = reason.map(str::to_string);
    }
    let saved = db::save_loan(conn, &after, before.version)?;
    if next != current {
        db::record_event(conn, &saved.id, current.as_str(), next.as_str(), on, reason, &auth.sub)?;
    }
    audit_loan(conn, auth, &format!("loan.{}", action.name()), &saved, None)?;
    let event = match action {
        LoanAction::Approve => Some("loan.approved"),
        LoanAction::Disburse => Some("loan.disbursed"),
        LoanAction::MarkOverdue => Some("loan.overdue"),
        _ => None,
    };
    if let Some(event) = event {
        crate::db::events::emit(conn, event, "loan", &saved.id, &saved.unit_code, &saved.province_code)?;
    }
    Ok(saved)
}

/// A dated step of a paper record: not after `today`, not before the loan's previous
/// step (its application date when none is recorded yet).
pub fn check_step_date(
    conn: &mut DbConnection,
    loan: &LoanRow,
    on: NaiveDate,
    today: NaiveDate,
    field: &str,
) -> ApiResult<()> {
    if on > today {
        return Err(ApiError::invalid(field, "must not be in the future"));
    }
    let previous = db::step_dates(conn, &loan.id)?
        .into_iter()
        .map(|(_, d)| d)
        .max()
        .map_or(loan.application_date, |d| d.max(loan.application_date));
    if on < previous {
        return Err(ApiError::invalid(field, format!("must not be before the loan's previous step ({previous})")));
    }
    Ok(())
}

pub fn rate_on(conn: &mut DbConnection, on: NaiveDate) -> ApiResult<u32> {
    let table: Vec<interest::RatePeriod> = db::rates(conn)?
        .iter()
        .map(|r| interest::RatePeriod {
            effective_from: r.effective_from,
            annual_rate_bp: r.annual_rate_bp.max(0) as u32,
        })
        .collect();
    interest::rate_on(&table, on)
        .ok_or_else(|| ApiError::unprocessable("no_rate", format!("no lending rate is in force on {on}")))
}

/// A bank posting to `loan` by the caller: `kind` with its (principal, interest) amounts.
fn new_posting(
    auth: &Auth,
    loan: &LoanRow,
    kind: &str,
    (principal_vnd, interest_vnd): (i64, i64),
    value_date: NaiveDate,
    reference: &str,
) -> PostingRow {
    PostingRow {
        id: uuid::Uuid::now_v7().to_string(),
        loan_id: loan.id.clone(),
        kind: kind.into(),
        principal_vnd,
        interest_vnd,
        value_date,
        bank_reference: reference.trim().into(),
        actor_sub: Some(auth.sub.clone()),
        created_at: crate::time::now(),
    }
}

/// Posts to a loan once per idempotency key (`operation` names the posting for replays), in
/// one transaction: `post` writes the posting, `render` words the loan as the stored (or
/// replayed) 201's body.
pub fn post_once<T: serde::Serialize>(
    conn: &mut DbConnection,
    auth: &Auth,
    (idem_key, operation, request_hash): (Option<&str>, &str, &str),
    post: impl FnOnce(&mut DbConnection) -> ApiResult<(LoanRow, PostingRow)>,
    render: impl FnOnce(&mut DbConnection, &LoanRow) -> ApiResult<T>,
) -> ApiResult<StoredResponse> {
    idempotency::once(conn, &auth.sub, idem_key, operation, request_hash, |conn| {
        let (loan, _) = post(conn)?;
        StoredResponse::created(&render(conn, &loan)?)
    })
}

#[allow(clippy::too_many_arguments)]
pub fn disburse(
    conn: &mut DbConnection,
    auth: &Auth,
    loan_id: &str,
    amount: i64,
    value_date: NaiveDate,
    reference: &str,
    today: NaiveDate,
) -> ApiResult<(LoanRow, PostingRow)> {
    let before = db::find_loan_for_update(conn, &auth.jurisdiction, loan_id)?;
    let approved = before.approved_amount_vnd.unwrap_or(0);
    if before.approved_on.is_some_and(|d| value_date < d) || value_date > today {
        return Err(ApiError::invalid("value_date", "must lie between the approval date and today"));
    }
    ensure_allowed(&before, LoanAction::Disburse)?;
    if before.disbursed_total_vnd + amount > approved {
        return Err(ApiError::Validation(vec![InvalidParam::new(
            "amount_vnd",
            format!(
                "{} VND already disbursed of {} approved: at most {} VND more",
                before.disbursed_total_vnd,
                approved,
                approved - before.disbursed_total_vnd
            ),
        )]));
    }
    let posting = new_posting(auth, &before, "disbursement", (amount, 0), value_date, reference);
    let mut after = before.clone();
    after.disbursed_total_vnd += amount;
    let saved = step(conn, auth, &before, after, LoanAction::Disburse, value_date, None, false)?;
    db::insert_posting(conn, &posting)?;
    Ok((saved, posting))
}

#[allow(clippy::too_many_arguments)]
pub fn repay(
    conn: &mut DbConnection,
    auth: &Auth,
    loan_id: &str,
    principal: i64,
    interest_vnd: i64,
    paid_on: NaiveDate,
    reference: &str,
    today: NaiveDate,
) -> ApiResult<(LoanRow, PostingRow)> {
    let before = db::find_loan_for_update(conn, &auth.jurisdiction, loan_id)?;
    if principal == 0 && interest_vnd == 0 {
        return Err(ApiError::invalid("principal_vnd", "a repayment needs principal or interest"));
    }
    if paid_on > today || before.approved_on.is_some_and(|d| paid_on < d) {
        return Err(ApiError::invalid("paid_on", "must lie between the approval date and today"));
    }
    ensure_allowed(&before, LoanAction::Repay)?;
    let outstanding = before.disbursed_total_vnd - before.principal_repaid_vnd;
    if principal > outstanding {
        return Err(ApiError::invalid(
            "principal_vnd",
            format!("exceeds the principal outstanding ({outstanding} VND)"),
        ));
    }
    let posting = new_posting(auth, &before, "repayment", (principal, interest_vnd), paid_on, reference);
    let mut after = before.clone();
    after.principal_repaid_vnd += principal;
    after.interest_paid_vnd += interest_vnd;
    let settles = after.principal_repaid_vnd == after.approved_amount_vnd.unwrap_or(after.disbursed_total_vnd)
        && after.principal_repaid_vnd == after.disbursed_total_vnd;
    let saved = step(conn, auth, &before, after, LoanAction::Repay, paid_on, None, settles)?;
    db::insert_posting(conn, &posting)?;
    Ok((saved, posting))
}

/// Interest accrued to `to` on the disbursed principal, less interest already paid.
pub fn interest_due(loan: &LoanRow, postings: &[PostingRow], to: NaiveDate) -> i64 {
    let Some(rate) = loan.rate_bp else { return 0 };
    let mut balance = 0i64;
    let events: Vec<(NaiveDate, i64)> = postings
        .iter()
        .map(|p| {
            balance += if p.kind == "disbursement" { p.principal_vnd } else { -p.principal_vnd };
            (p.value_date, balance)
        })
        .collect();
    if events.is_empty() {
        return 0;
    }
    (interest::accrued_interest(&events, rate.max(0) as u32, loan.due_on, to) - loan.interest_paid_vnd).max(0)
}

/// Opens an application (draft) for a person through their household, or an establishment.
pub fn create_loan(conn: &mut DbConnection, auth: &Auth, input: &NewLoan) -> ApiResult<LoanRow> {
    let (unit_code, province_code, person_id) = match (input.borrower_kind, &input.person_id) {
        (BorrowerKind::Person, Some(pid)) => {
            let pid = parse_id(pid).map_err(|_| ApiError::invalid("person_id", "is not an id"))?;
            let p = persons::find_in(conn, &PersonScope::of(auth), &pid)
                .map_err(|_| ApiError::invalid("person_id", "no such person in your unit"))?;
            if input.household_rep_name.is_none() {
                return Err(ApiError::invalid(
                    "household_rep_name",
                    "individuals borrow through their household: name the representative",
                ));
            }
            (p.unit_code, p.province_code, Some(p.id))
        }
        (BorrowerKind::Person, None) => return Err(ApiError::invalid("person_id", "is required for an individual")),
        (BorrowerKind::Establishment, _) => {
            if input.establishment_name.is_none() || input.workforce.is_none() || input.qualifying_employees.is_none() {
                return Err(ApiError::invalid(
                    "establishment_name",
                    "an establishment needs its name, workforce and qualifying employees",
                ));
            }
            let code =
                input.unit.as_deref().ok_or_else(|| ApiError::invalid("unit", "is required for an establishment"))?;
            let u = crate::services::persons::resolve_commune(conn, auth, code, "unit")?;
            (u.code, u.province_code.unwrap_or_default(), None)
        }
    };
    let (programme, programme_name) = programme_columns(input.programme, input.programme_name.as_deref())?;
    write_tx(conn, |conn| {
        let now = crate::time::now();
        let row = LoanRow {
            id: uuid::Uuid::now_v7().to_string(),
            unit_code: unit_code.clone(),
            province_code: province_code.clone(),
            borrower_kind: input.borrower_kind,
            person_id: person_id.clone(),
            household_rep_name: input.household_rep_name.clone(),
            household_rep_id_number: input.household_rep_id_number.clone(),
            establishment_name: input.establishment_name.clone(),
            establishment_registration: input.establishment_registration.clone(),
            workforce: input.workforce,
            qualifying_employees: input.qualifying_employees,
            plan_certified: input.plan_certified,
            collateral: input.collateral,
            collateral_description: input.collateral_description.clone(),
            outstanding_same_purpose: input.outstanding_same_purpose,
            purpose: input.purpose,
            course_name: input.course_name.clone(),
            course_months: input.course_months,
            amount_vnd: input.amount_vnd,
            term_months: input.term_months,
            entrusting_organisation: input.entrusting_organisation,
            savings_group: input.savings_group.clone(),
            application_date: input.application_date,
            status: LoanStatus::Draft,
            status_reason: None,
            approved_amount_vnd: None,
            approved_on: None,
            rate_bp: None,
            due_on: None,
            disbursed_total_vnd: 0,
            principal_repaid_vnd: 0,
            interest_paid_vnd: 0,
            created_at: now,
            updated_at: now,
            version: 1,
            programme,
            programme_name: programme_name.clone(),
        };
        db::insert_loan(conn, &row)?;
        audit_loan(conn, auth, "loan.create", &row, serde_json::to_value(&row).ok())?;
        Ok(row)
    })
}

/// Runs `f` on the loan, locked, inside one transaction; returns the loan as `f` leaves it.
pub fn on_locked_loan<F>(conn: &mut DbConnection, auth: &Auth, id: &str, f: F) -> ApiResult<LoanRow>
where
    F: FnOnce(&mut DbConnection, &Auth, LoanRow) -> ApiResult<LoanRow>,
{
    write_tx(conn, |conn| {
        let before = db::find_loan_for_update(conn, &auth.jurisdiction, id)?;
        f(conn, auth, before)
    })
}

/// A step that changes nothing but the status: allowed now, dated `on` (field `field`) not
/// in the future nor before the previous step, with an optional reason.
pub fn dated_step(
    conn: &mut DbConnection,
    auth: &Auth,
    before: LoanRow,
    action: LoanAction,
    (on, field): (NaiveDate, &str),
    reason: Option<&str>,
) -> ApiResult<LoanRow> {
    ensure_allowed(&before, action)?;
    check_step_date(conn, &before, on, today_vn(), field)?;
    step(conn, auth, &before, before.clone(), action, on, reason, false)
}

/// Submission: the engine re-checks the borrower and refuses with every failed condition.
pub fn submit(conn: &mut DbConnection, auth: &Auth, before: LoanRow, on: Option<NaiveDate>) -> ApiResult<LoanRow> {
    ensure_allowed(&before, LoanAction::Submit)?;
    let today = today_vn();
    let on = on.unwrap_or(today);
    check_step_date(conn, &before, on, today, "on")?;
    let decision = check_loan(conn, &before)?;
    if !decision.eligible {
        return Err(failures_to_problem(&decision));
    }
    step(conn, auth, &before, before.clone(), LoanAction::Submit, on, None, false)
}

/// Approval at the rate in force on the approval day; the due date follows from the term.
pub fn approve(conn: &mut DbConnection, auth: &Auth, before: LoanRow, input: &Approval) -> ApiResult<LoanRow> {
    ensure_allowed(&before, LoanAction::Approve)?;
    check_step_date(conn, &before, input.approved_on, today_vn(), "approved_on")?;
    if input.approved_amount_vnd > before.amount_vnd {
        return Err(ApiError::invalid("approved_amount_vnd", "exceeds the amount applied for"));
    }
    let mut after = before.clone();
    if let Some(debt) = input.outstanding_same_purpose {
        after.outstanding_same_purpose = debt;
        if debt {
            return Err(ApiError::unprocessable(
                "outstanding_debt_same_purpose",
                "the borrower has outstanding Social Policy Bank debt for the same purpose: reject instead",
            ));
        }
    }
    let rate = rate_on(conn, input.approved_on)?;
    after.approved_amount_vnd = Some(input.approved_amount_vnd);
    after.approved_on = Some(input.approved_on);
    after.rate_bp = Some(rate as i32);
    after.due_on = input.approved_on.checked_add_months(Months::new(before.term_months.max(0) as u32));
    step(conn, auth, &before, after, LoanAction::Approve, input.approved_on, None, false)
}

/// A use-of-funds check; misuse moves the loan to `recovery`.
pub fn record_use_check(
    conn: &mut DbConnection,
    auth: &Auth,
    before: LoanRow,
    input: &NewUseCheck,
) -> ApiResult<LoanRow> {
    if before.disbursed_total_vnd == 0 {
        return Err(ApiError::conflict("nothing_disbursed", "nothing has been disbursed yet"));
    }
    db::record_check(conn, &before.id, input.checked_on, input.result.as_str(), input.findings.as_deref(), &auth.sub)?;
    match input.result {
        UseCheckResult::Misused => step(
            conn,
            auth,
            &before,
            before.clone(),
            LoanAction::FindMisuse,
            input.checked_on,
            input.findings.as_deref().or(Some("misuse found")),
            false,
        ),
        UseCheckResult::Proper => {
            let after = serde_json::json!({"result": "proper", "checked_on": input.checked_on});
            audit_loan(conn, auth, "loan.use_check", &before, Some(after))?;
            Ok(before)
        }
    }
}

/// Adds a dated rate (national only).
pub fn create_rate(conn: &mut DbConnection, auth: &Auth, input: &NewRate) -> ApiResult<RateRow> {
    write_tx(conn, |conn| {
        let row = RateRow {
            id: uuid::Uuid::now_v7().to_string(),
            effective_from: input.effective_from,
            annual_rate_bp: input.annual_rate_bp,
            note: input.note.clone(),
            created_at: crate::time::now(),
        };
        db::insert_rate(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "loan_rate.create",
                entity_type: "loan_rate",
                entity_id: Some(&row.id),
                after: Some(
                    serde_json::json!({"effective_from": row.effective_from, "annual_rate_bp": row.annual_rate_bp}),
                ),
                ..Default::default()
            },
        )?;
        Ok(row)
    })
}
/// Whether the loan is made under Decision 22/2023/QĐ-TTg (the list, the engine, `loans`
/// in the indicators) rather than another Social Policy Bank programme.
pub fn is_decision_22(loan: &LoanRow) -> bool {
    loan.programme == LoanProgramme::Decision_22
}

/// The stored programme and its name: a name is required for `other` and refused otherwise.
pub fn programme_columns(programme: LoanProgramme, name: Option<&str>) -> ApiResult<(LoanProgramme, Option<String>)> {
    let name = name.map(crate::text::normalize).filter(|n| !n.is_empty());
    match (programme, name) {
        (LoanProgramme::Other, None) => {
            Err(ApiError::invalid("programme_name", "is required for a loan of another programme"))
        }
        (LoanProgramme::Other, Some(n)) => Ok((programme, Some(n))),
        (_, Some(_)) => Err(ApiError::invalid("programme_name", "applies to programme `other` only")),
        (_, None) => Ok((programme, None)),
    }
}
