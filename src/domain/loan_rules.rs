//! Eligibility and caps for loans under Decision 22/2023/QĐ-TTg (Social Policy Bank).
//!
//! Pure rules: the caller gathers the facts and passes the application date. Every failed
//! condition is reported, not just the first, in words a clerk can read out.
//!
//! * Art. 2(1): borrowers are persons who completed a prison sentence and hold the
//!   completion certificate (Law on Execution of Criminal Judgments), or were amnestied and
//!   hold the amnesty certificate. A parolee (conditional early release) has served the
//!   sentence at the end of the probation period and then receives the completion
//!   certificate: from that day a parolee qualifies like anyone else. A certificate dated
//!   after the application was not held when applying.
//! * Art. 3(1)(c): no more than 5 years from completing the *prison* sentence to the loan.
//!   The prison sentence is that of the latest judgment with a custodial penalty; a later
//!   non-custodial penalty (fine, suspended sentence, non-custodial reform) or a
//!   supplementary penalty does not reopen the window. Read as calendar years (Civil Code
//!   Art. 148(4)): the last day is the same day 5 years on (29 Feb clamps to 28 Feb), moved
//!   to the next working day when it is a day off (Art. 148(5)).
//! * Art. 3(1)(b): the person is on the list the commune police compile and the commune
//!   People's Committee certifies. The Decision has no "under management" condition: a
//!   person whose record was expunged within the 5 years, or who moved, stays eligible while
//!   on a certified list.
//! * Art. 6(1) and Art. 8(1): vocational loans, for courses of any length (university,
//!   college, intermediate, vocational), at most 4,000,000 VND per month of the course; the
//!   term is the disbursement period (to the end of the course) plus the repayment period,
//!   which is at most twice the disbursement period for a programme of up to one year
//!   (12 months) and at most once for longer ones. So a 12-month course: 36 months; a
//!   13-month course: 26 months. `course_months` is the length of the programme the loan
//!   finances from its start (the disbursement period); a loan taken mid-programme should
//!   enter the months left, which the Decision's one-year threshold reads on the programme:
//!   the clerk is told so in the contract.
//! * Art. 6(2), Art. 8(2): production loans up to 100,000,000 VND, up to 120 months
//!   (configurable); establishments 2,000,000,000 VND per project and 100,000,000 VND per
//!   qualifying employee.
//! * Art. 3(2): establishments: at least 10 % of the workforce are qualifying returnees
//!   (qualifying × 100 ≥ 10 × workforce, so 1 of 10 qualifies and 1 of 11 does not).

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::working_days::Calendar;

crate::text_enum!(
    /// What a loan is for.
    Purpose {
        ProductionBusiness => "production_business",
        VocationalTraining => "vocational_training",
    }
);

/// Caps and limits, configurable; `Default` holds the Decision's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanConfig {
    pub cap_production_vnd: i64,
    pub cap_vocational_per_month_vnd: i64,
    pub cap_establishment_project_vnd: i64,
    pub cap_establishment_per_employee_vnd: i64,
    pub collateral_threshold_vnd: i64,
    pub max_term_production_months: u32,
    /// Programmes up to this many months repay in up to twice the disbursement period;
    /// longer ones in up to once (Art. 8(1)(c)).
    pub short_course_months: u32,
    pub max_years_since_completion: u32,
    pub min_workforce_percent: u32,
}

impl Default for LoanConfig {
    fn default() -> Self {
        LoanConfig {
            cap_production_vnd: 100_000_000,
            cap_vocational_per_month_vnd: 4_000_000,
            cap_establishment_project_vnd: 2_000_000_000,
            cap_establishment_per_employee_vnd: 100_000_000,
            collateral_threshold_vnd: 100_000_000,
            max_term_production_months: 120,
            short_course_months: 12,
            max_years_since_completion: 5,
            min_workforce_percent: 10,
        }
    }
}

/// One conviction, as the loan rules read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConvictionRecord {
    pub judgment_date: NaiveDate,
    /// Imprisonment, life, or a commuted death sentence.
    pub custodial: bool,
    /// `completed_sentence`, `special_amnesty` or `conditional_early_release`.
    pub release_type: Option<String>,
    pub release_date: Option<NaiveDate>,
    pub sentence_completed_on: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
}

/// The prison sentence the 5 years count from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrisonSentence {
    pub release_type: Option<String>,
    /// The day the prison sentence counts as served: release (full term or amnesty), or the
    /// end of probation for a parolee.
    pub completed_on: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
}

/// When a conviction's prison sentence counts as served. For a parolee it is the end of
/// probation: the recorded completion date when one was entered (a date other than the
/// release day, which older records hold by default), otherwise `probation_end`.
pub fn completion_of(c: &ConvictionRecord) -> Option<NaiveDate> {
    if c.release_type.as_deref() == Some("conditional_early_release") {
        match c.sentence_completed_on {
            Some(done) if Some(done) != c.release_date => Some(done),
            _ => c.probation_end,
        }
    } else {
        c.sentence_completed_on.or(c.release_date)
    }
}

/// The prison sentence of the latest judgment with a custodial penalty (ties: the later
/// completion). Non-custodial convictions are ignored.
pub fn prison_sentence(records: &[ConvictionRecord]) -> Option<PrisonSentence> {
    records.iter().filter(|c| c.custodial).max_by_key(|c| (c.judgment_date, completion_of(c))).map(|c| PrisonSentence {
        release_type: c.release_type.clone(),
        completed_on: completion_of(c),
        probation_end: c.probation_end,
        certificate_number: c.certificate_number.clone(),
        certificate_date: c.certificate_date,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndividualFacts {
    /// The prison sentence served, from [`prison_sentence`].
    pub prison: Option<PrisonSentence>,
    pub on_certified_list: bool,
    pub outstanding_same_purpose: bool,
    pub violation_since_last_list: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentFacts {
    pub registration_number: Option<String>,
    pub workforce: u32,
    pub qualifying_employees: u32,
    pub plan_certified: bool,
    pub outstanding_same_purpose: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub purpose: Purpose,
    pub amount_vnd: Option<i64>,
    pub term_months: Option<u32>,
    pub course_months: Option<u32>,
    pub collateral: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub eligible: bool,
    pub max_amount_vnd: i64,
    pub max_term_months: u32,
    /// Completion of the prison sentence the 5 years count from (individuals).
    pub counted_from: Option<NaiveDate>,
    /// Last day to apply (individuals).
    pub deadline: Option<NaiveDate>,
    pub failures: Vec<Failure>,
}

fn vnd(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out} VND", if amount < 0 { "-" } else { "" })
}

/// Completion + N calendar years (29 Feb clamps to 28 Feb), before Art. 148(5).
pub fn five_year_deadline(completed_on: NaiveDate, cfg: &LoanConfig) -> NaiveDate {
    let months = cfg.max_years_since_completion * 12;
    completed_on.checked_add_months(Months::new(months)).unwrap_or(completed_on)
}

/// Last day a loan may be applied for: [`five_year_deadline`], moved to the next working
/// day when it is a day off (Civil Code Art. 148(5)).
pub fn last_day_to_apply(completed_on: NaiveDate, cfg: &LoanConfig, calendar: &Calendar) -> NaiveDate {
    calendar.period_end(five_year_deadline(completed_on, cfg))
}

/// Maximum term of a vocational loan for a course of `course` months (Art. 8(1)).
pub fn vocational_max_term(course: u32, cfg: &LoanConfig) -> u32 {
    let repayment = if course <= cfg.short_course_months { course.saturating_mul(2) } else { course };
    course.saturating_add(repayment)
}

/// Cap and maximum term for a purpose (individuals).
fn individual_limits(r: &Request, cfg: &LoanConfig, failures: &mut Vec<Failure>) -> (i64, u32) {
    match r.purpose {
        Purpose::ProductionBusiness => (cfg.cap_production_vnd, cfg.max_term_production_months),
        Purpose::VocationalTraining => match r.course_months {
            None | Some(0) => {
                failures.push(Failure {
                    code: "course_months_required",
                    message: "a vocational loan needs the length of the course in months (1 or more)".into(),
                });
                (0, 0)
            }
            Some(m) => (cfg.cap_vocational_per_month_vnd.saturating_mul(m as i64), vocational_max_term(m, cfg)),
        },
    }
}

/// `cap_known` is false where no cap could be computed (a failure says why already).
fn check_amount_and_term(r: &Request, cap: i64, max_term: u32, cap_known: bool, failures: &mut Vec<Failure>) {
    if let Some(amount) = r.amount_vnd {
        if amount <= 0 {
            failures
                .push(Failure { code: "amount_not_positive", message: "the amount must be more than 0 VND".into() });
        } else if cap_known && amount > cap {
            failures.push(Failure {
                code: "amount_over_cap",
                message: format!("{} asked, but at most {} may be lent", vnd(amount), vnd(cap)),
            });
        }
    }
    if let Some(term) = r.term_months {
        if cap_known && (term == 0 || term > max_term) {
            failures.push(Failure {
                code: "term_over_cap",
                message: format!("a term of {term} months; it must be 1 to {max_term} months"),
            });
        }
    }
}

/// The conditions on the prison sentence: certificate, parole, completion date, 5 years.
fn check_prison(
    prison: Option<&PrisonSentence>,
    application_date: NaiveDate,
    cfg: &LoanConfig,
    calendar: &Calendar,
    failures: &mut Vec<Failure>,
) -> Option<NaiveDate> {
    let Some(p) = prison else {
        failures.push(Failure {
            code: "not_completed_or_amnestied",
            message:
                "no prison sentence is recorded: the Decision lends to persons who completed one or were amnestied"
                    .into(),
        });
        return None;
    };
    let has_certificate = p.certificate_number.as_deref().is_some_and(|c| !c.trim().is_empty());
    match p.release_type.as_deref() {
        Some("completed_sentence") | Some("special_amnesty") => {
            if !has_certificate {
                failures.push(Failure {
                    code: "no_certificate",
                    message: "no completion or amnesty certificate is recorded".into(),
                });
            }
        }
        Some("conditional_early_release") => {
            let end = p.completed_on.map(|d| d.to_string()).unwrap_or_else(|| "not recorded".into());
            if !has_certificate || p.completed_on.is_none_or(|done| done > application_date) {
                failures.push(Failure {
                    code: "not_completed_or_amnestied",
                    message: format!(
                        "released on parole: the sentence is served at the end of probation ({end}); \
                         eligible once the completion certificate is recorded"
                    ),
                });
            }
        }
        _ => failures.push(Failure {
            code: "not_completed_or_amnestied",
            message: "no release from prison (completion, amnesty or parole) is recorded".into(),
        }),
    }
    if let Some(cert) = p.certificate_date.filter(|c| has_certificate && *c > application_date) {
        failures.push(Failure {
            code: "no_certificate",
            message: format!("the certificate is dated {cert}, after the application ({application_date})"),
        });
    }
    match p.completed_on {
        None => {
            failures.push(Failure {
                code: "completion_date_unknown",
                message: "the date the prison sentence was completed is not recorded".into(),
            });
            None
        }
        Some(done) => {
            let deadline = last_day_to_apply(done, cfg, calendar);
            if application_date > deadline {
                failures.push(Failure {
                    code: "too_long_since_completion",
                    message: format!(
                        "the prison sentence was completed on {done}; applications were possible until {deadline} ({} years)",
                        cfg.max_years_since_completion
                    ),
                });
            }
            Some(deadline)
        }
    }
}

pub fn check_individual(
    f: &IndividualFacts,
    r: &Request,
    application_date: NaiveDate,
    cfg: &LoanConfig,
    calendar: &Calendar,
) -> Decision {
    let mut failures = Vec::new();
    let deadline = check_prison(f.prison.as_ref(), application_date, cfg, calendar, &mut failures);
    if !f.on_certified_list {
        failures.push(Failure {
            code: "not_on_certified_list",
            message: "not on this month's list certified by the commune People's Committee".into(),
        });
    }
    if f.outstanding_same_purpose {
        failures.push(Failure {
            code: "outstanding_debt_same_purpose",
            message: "owes the Social Policy Bank under another programme for the same purpose".into(),
        });
    }
    if f.violation_since_last_list {
        failures.push(Failure {
            code: "violation_since_last_list",
            message: "a law violation was recorded since the last list".into(),
        });
    }
    let before = failures.len();
    let (cap, max_term) = individual_limits(r, cfg, &mut failures);
    let cap_known = failures.len() == before;
    check_amount_and_term(r, cap, max_term, cap_known, &mut failures);
    Decision {
        eligible: failures.is_empty(),
        max_amount_vnd: cap,
        max_term_months: max_term,
        counted_from: f.prison.as_ref().and_then(|p| p.completed_on),
        deadline,
        failures,
    }
}

pub fn check_establishment(
    f: &EstablishmentFacts,
    r: &Request,
    application_date: NaiveDate,
    cfg: &LoanConfig,
) -> Decision {
    let _ = application_date.year();
    let mut failures = Vec::new();
    if f.registration_number.as_deref().is_none_or(|c| c.trim().is_empty()) {
        failures.push(Failure { code: "not_registered", message: "no business registration is recorded".into() });
    }
    if f.workforce == 0
        || (f.qualifying_employees as u64) * 100 < (cfg.min_workforce_percent as u64) * (f.workforce as u64)
    {
        failures.push(Failure {
            code: "workforce_share_below_minimum",
            message: format!(
                "{} of {} workers are returnees on labour contracts; at least {} % are needed",
                f.qualifying_employees, f.workforce, cfg.min_workforce_percent
            ),
        });
    }
    if !f.plan_certified {
        failures.push(Failure {
            code: "plan_not_certified",
            message: "the loan plan is not certified by the commune People's Committee".into(),
        });
    }
    if f.outstanding_same_purpose {
        failures.push(Failure {
            code: "outstanding_debt_same_purpose",
            message: "owes the Social Policy Bank under another programme for the same purpose".into(),
        });
    }
    let cap =
        cfg.cap_establishment_project_vnd.min(cfg.cap_establishment_per_employee_vnd * f.qualifying_employees as i64);
    let max_term = cfg.max_term_production_months;
    check_amount_and_term(r, cap, max_term, true, &mut failures);
    if r.amount_vnd.is_some_and(|a| a > cfg.collateral_threshold_vnd) && !r.collateral {
        failures.push(Failure {
            code: "collateral_required",
            message: format!(
                "establishments borrowing over {} must secure the loan",
                vnd(cfg.collateral_threshold_vnd)
            ),
        });
    }
    Decision {
        eligible: failures.is_empty(),
        max_amount_vnd: cap,
        max_term_months: max_term,
        counted_from: None,
        deadline: None,
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn weekends() -> Calendar {
        Calendar::weekends_only()
    }

    fn holidays() -> Calendar {
        Calendar::new(crate::domain::working_days::shipped(), &[])
    }

    /// Served a prison sentence to the end, released Wed 15/6/2022.
    fn prison(done: NaiveDate) -> ConvictionRecord {
        ConvictionRecord {
            judgment_date: d(2019, 3, 1),
            custodial: true,
            release_type: Some("completed_sentence".into()),
            release_date: Some(done),
            sentence_completed_on: Some(done),
            probation_end: None,
            certificate_number: Some("12/GCN".into()),
            certificate_date: Some(done),
        }
    }

    fn facts(records: &[ConvictionRecord]) -> IndividualFacts {
        IndividualFacts {
            prison: prison_sentence(records),
            on_certified_list: true,
            outstanding_same_purpose: false,
            violation_since_last_list: false,
        }
    }

    fn person() -> IndividualFacts {
        facts(&[prison(d(2022, 6, 15))])
    }

    fn production(amount: i64) -> Request {
        Request {
            purpose: Purpose::ProductionBusiness,
            amount_vnd: Some(amount),
            term_months: Some(36),
            course_months: None,
            collateral: false,
        }
    }

    fn check(f: &IndividualFacts, r: &Request, on: NaiveDate) -> Decision {
        check_individual(f, r, on, &LoanConfig::default(), &weekends())
    }

    fn codes(decision: &Decision) -> Vec<&'static str> {
        decision.failures.iter().map(|f| f.code).collect()
    }

    #[test]
    fn production_cap_boundaries() {
        let cases = [(99_999_999, true), (100_000_000, true), (100_000_001, false), (0, false), (-5, false)];
        for (amount, ok) in cases {
            let decision = check(&person(), &production(amount), d(2024, 1, 1));
            assert_eq!(decision.eligible, ok, "{amount}: {:?}", decision.failures);
            assert_eq!(decision.max_amount_vnd, 100_000_000);
        }
        let over = check(&person(), &production(100_000_001), d(2024, 1, 1));
        assert_eq!(codes(&over), vec!["amount_over_cap"]);
        assert!(over.failures[0].message.contains("100,000,000 VND"));
    }

    #[test]
    fn five_years_boundaries() {
        // Completed Wed 15/6/2022: the last day is Thu 15/6/2027.
        let cases = [(d(2027, 6, 14), true), (d(2027, 6, 15), true), (d(2027, 6, 16), false)];
        for (applied, ok) in cases {
            assert_eq!(check(&person(), &production(1), applied).eligible, ok, "{applied}");
        }
        let decision = check(&person(), &production(1), d(2024, 1, 1));
        assert_eq!((decision.counted_from, decision.deadline), (Some(d(2022, 6, 15)), Some(d(2027, 6, 15))));
        assert_eq!(five_year_deadline(d(2020, 2, 29), &LoanConfig::default()), d(2025, 2, 28));
        let leap = facts(&[prison(d(2020, 2, 29))]);
        assert!(check(&leap, &production(1), d(2025, 2, 28)).eligible);
        assert!(!check(&leap, &production(1), d(2025, 3, 1)).eligible);
    }

    #[test]
    fn five_years_end_on_a_working_day() {
        // Civil Code Art. 148(5). Completed Sat 14/2/2026 (in Tết): 14/2/2031 is a Friday, unchanged.
        let cfg = LoanConfig::default();
        let cal = holidays();
        assert_eq!(last_day_to_apply(d(2026, 2, 14), &cfg, &cal), d(2031, 2, 14));
        // Completed 30/4/2021: 30/4/2026 is a holiday, 1/5 too, then the weekend: Mon 4/5/2026.
        assert_eq!(last_day_to_apply(d(2021, 4, 30), &cfg, &cal), d(2026, 5, 4));
        let f = facts(&[prison(d(2021, 4, 30))]);
        assert!(check_individual(&f, &production(1), d(2026, 5, 4), &cfg, &cal).eligible);
        assert_eq!(
            codes(&check_individual(&f, &production(1), d(2026, 5, 5), &cfg, &cal)),
            vec!["too_long_since_completion"]
        );
        // Completed Sun 21/11/2021 → Sat 21/11/2026 → Mon 23/11/2026.
        assert_eq!(last_day_to_apply(d(2021, 11, 21), &cfg, &cal), d(2026, 11, 23));
    }

    #[test]
    fn the_window_counts_from_the_prison_sentence_only() {
        // Decision 22/2023 Art. 3(1)(c): prison completed 15/6/2020; a later suspended sentence
        // (2022, probation ended 2024) and a fine do not reopen the 5 years.
        let suspended = ConvictionRecord {
            judgment_date: d(2022, 1, 10),
            custodial: false,
            sentence_completed_on: Some(d(2024, 1, 10)),
            ..Default::default()
        };
        let fine = ConvictionRecord {
            judgment_date: d(2024, 5, 2),
            custodial: false,
            sentence_completed_on: Some(d(2024, 6, 1)),
            ..Default::default()
        };
        let f = facts(&[prison(d(2020, 6, 15)), suspended, fine]);
        let last = check(&f, &production(1), d(2025, 6, 16));
        assert_eq!(last.counted_from, Some(d(2020, 6, 15)));
        assert_eq!(last.deadline, Some(d(2025, 6, 16))); // 15/6/2025 a Sunday
        assert!(last.eligible);
        assert_eq!(codes(&check(&f, &production(1), d(2025, 6, 17))), vec!["too_long_since_completion"]);
        // Only non-custodial penalties: nothing to count from.
        let none = facts(&[ConvictionRecord { custodial: false, ..Default::default() }]);
        assert_eq!(codes(&check(&none, &production(1), d(2024, 1, 1))), vec!["not_completed_or_amnestied"]);
        // A later prison sentence counts from its own completion.
        let mut again = prison(d(2023, 3, 1));
        again.judgment_date = d(2021, 9, 9);
        let f = facts(&[prison(d(2015, 6, 15)), again]);
        assert_eq!(check(&f, &production(1), d(2024, 1, 1)).counted_from, Some(d(2023, 3, 1)));
        assert!(check(&f, &production(1), d(2024, 1, 1)).eligible);
    }

    #[test]
    fn parolees_qualify_once_they_hold_the_completion_certificate() {
        // Released on parole 10/3/2023, probation to 10/9/2024.
        let parole =
            |completed: Option<NaiveDate>, cert: Option<&str>, cert_date: Option<NaiveDate>| ConvictionRecord {
                judgment_date: d(2020, 1, 1),
                custodial: true,
                release_type: Some("conditional_early_release".into()),
                release_date: Some(d(2023, 3, 10)),
                sentence_completed_on: completed,
                probation_end: Some(d(2024, 9, 10)),
                certificate_number: cert.map(str::to_string),
                certificate_date: cert_date,
            };
        // Old records hold the release day as completion: read as the end of probation.
        let old = facts(&[parole(Some(d(2023, 3, 10)), None, None)]);
        assert_eq!(old.prison.as_ref().unwrap().completed_on, Some(d(2024, 9, 10)));
        assert_eq!(codes(&check(&old, &production(1), d(2024, 10, 1))), vec!["not_completed_or_amnestied"]);
        // Certificate recorded, dated the end of probation: eligible from that day, 5 years on.
        let held = facts(&[parole(None, Some("45/GCN"), Some(d(2024, 9, 10)))]);
        let cases = [
            (d(2024, 9, 9), vec!["not_completed_or_amnestied", "no_certificate"]),
            (d(2024, 9, 10), vec![]),
            (d(2029, 9, 10), vec![]),
            (d(2029, 9, 11), vec!["too_long_since_completion"]),
        ];
        for (on, expected) in cases {
            assert_eq!(codes(&check(&held, &production(1), on)), expected, "{on}");
        }
        // A completion date entered by the clerk wins over probation_end.
        let entered = facts(&[parole(Some(d(2024, 8, 1)), Some("45/GCN"), None)]);
        assert_eq!(check(&entered, &production(1), d(2024, 8, 1)).counted_from, Some(d(2024, 8, 1)));
        assert!(check(&entered, &production(1), d(2024, 8, 1)).eligible);
    }

    #[test]
    fn an_expunged_or_moved_person_on_a_certified_list_stays_eligible() {
        // The Decision has no "under management" condition: the registry status is not a fact.
        let f = person();
        assert!(check(&f, &production(1), d(2026, 1, 5)).eligible);
        let off_list = IndividualFacts { on_certified_list: false, ..person() };
        assert_eq!(codes(&check(&off_list, &production(1), d(2026, 1, 5))), vec!["not_on_certified_list"]);
    }

    #[test]
    fn every_individual_condition() {
        type Change = fn(&mut IndividualFacts);
        let cases: Vec<(Change, &str)> = vec![
            (|f| f.prison.as_mut().unwrap().release_type = None, "not_completed_or_amnestied"),
            (|f| f.prison = None, "not_completed_or_amnestied"),
            (|f| f.prison.as_mut().unwrap().certificate_number = None, "no_certificate"),
            (|f| f.prison.as_mut().unwrap().certificate_number = Some("  ".into()), "no_certificate"),
            (|f| f.prison.as_mut().unwrap().certificate_date = Some(d(2024, 1, 2)), "no_certificate"),
            (|f| f.on_certified_list = false, "not_on_certified_list"),
            (|f| f.prison.as_mut().unwrap().completed_on = None, "completion_date_unknown"),
            (|f| f.outstanding_same_purpose = true, "outstanding_debt_same_purpose"),
            (|f| f.violation_since_last_list = true, "violation_since_last_list"),
        ];
        for (change, code) in cases {
            let mut f = person();
            change(&mut f);
            let decision = check(&f, &production(50_000_000), d(2024, 1, 1));
            assert_eq!(codes(&decision), vec![code]);
        }
        let mut amnesty = person();
        amnesty.prison.as_mut().unwrap().release_type = Some("special_amnesty".into());
        assert!(check(&amnesty, &production(1), d(2024, 1, 1)).eligible);
        // All failures at once.
        let bad = IndividualFacts {
            prison: None,
            on_certified_list: false,
            outstanding_same_purpose: true,
            violation_since_last_list: true,
        };
        assert_eq!(
            codes(&check(&bad, &production(200_000_000), d(2024, 1, 1))),
            vec![
                "not_completed_or_amnestied",
                "not_on_certified_list",
                "outstanding_debt_same_purpose",
                "violation_since_last_list",
                "amount_over_cap"
            ]
        );
    }

    #[test]
    fn vocational_caps_and_terms() {
        // Art. 6(1) and 8(1): 4,000,000 VND a month; term = course + 2 × course up to 12
        // months, course + 1 × course beyond.
        let req = |amount, course, term| Request {
            purpose: Purpose::VocationalTraining,
            amount_vnd: Some(amount),
            term_months: Some(term),
            course_months: course,
            collateral: false,
        };
        let on = d(2024, 1, 1);
        let cases = [
            // (course months, max amount, max term)
            (1, 4_000_000, 3),
            (3, 12_000_000, 9),
            (11, 44_000_000, 33),
            (12, 48_000_000, 36),
            (13, 52_000_000, 26),
            (24, 96_000_000, 48),
            (36, 144_000_000, 72),
            (48, 192_000_000, 96),
        ];
        for (course, amount, term) in cases {
            let at_cap = check(&person(), &req(amount, Some(course), term), on);
            assert!(at_cap.eligible, "{course}: {:?}", at_cap.failures);
            assert_eq!((at_cap.max_amount_vnd, at_cap.max_term_months), (amount, term), "{course}");
            assert_eq!(codes(&check(&person(), &req(amount + 1, Some(course), term), on)), vec!["amount_over_cap"]);
            assert_eq!(codes(&check(&person(), &req(amount, Some(course), term + 1), on)), vec!["term_over_cap"]);
        }
        assert_eq!(codes(&check(&person(), &req(1, None, 3), on)), vec!["course_months_required"]);
        assert_eq!(codes(&check(&person(), &req(1, Some(0), 3), on)), vec!["course_months_required"]);
        assert_eq!(
            codes(&check(&person(), &Request { term_months: Some(121), ..production(1) }, on)),
            vec!["term_over_cap"]
        );
    }

    #[test]
    fn establishment_rules() {
        let cfg = LoanConfig::default();
        let firm = |workforce, qualifying| EstablishmentFacts {
            registration_number: Some("0101234567".into()),
            workforce,
            qualifying_employees: qualifying,
            plan_certified: true,
            outstanding_same_purpose: false,
        };
        let req = |amount, collateral| Request {
            purpose: Purpose::ProductionBusiness,
            amount_vnd: Some(amount),
            term_months: Some(60),
            course_months: None,
            collateral,
        };
        let on = d(2024, 1, 1);
        assert!(check_establishment(&firm(10, 1), &req(100_000_000, false), on, &cfg).eligible);
        assert_eq!(
            codes(&check_establishment(&firm(11, 1), &req(100_000_000, false), on, &cfg)),
            vec!["workforce_share_below_minimum"]
        );
        // Per-employee cap: 3 qualifying → 300,000,000.
        let three = check_establishment(&firm(20, 3), &req(300_000_000, true), on, &cfg);
        assert!(three.eligible && three.max_amount_vnd == 300_000_000);
        assert_eq!(
            codes(&check_establishment(&firm(20, 3), &req(300_000_001, true), on, &cfg)),
            vec!["amount_over_cap"]
        );
        // Project cap: 30 qualifying would allow 3 bn, capped at 2 bn.
        assert_eq!(check_establishment(&firm(100, 30), &req(2_000_000_000, true), on, &cfg).failures, vec![]);
        assert_eq!(
            codes(&check_establishment(&firm(100, 30), &req(2_000_000_001, true), on, &cfg)),
            vec!["amount_over_cap"]
        );
        // Collateral only above 100,000,000.
        assert!(check_establishment(&firm(20, 3), &req(100_000_000, false), on, &cfg).eligible);
        assert_eq!(
            codes(&check_establishment(&firm(20, 3), &req(100_000_001, false), on, &cfg)),
            vec!["collateral_required"]
        );
        let bad = EstablishmentFacts {
            registration_number: None,
            workforce: 0,
            qualifying_employees: 0,
            plan_certified: false,
            outstanding_same_purpose: true,
        };
        assert_eq!(
            codes(&check_establishment(&bad, &req(1, false), on, &cfg)),
            vec![
                "not_registered",
                "workforce_share_below_minimum",
                "plan_not_certified",
                "outstanding_debt_same_purpose",
                "amount_over_cap"
            ]
        );
    }
}
