//! Eligibility and caps for loans under Decision 22/2023/QĐ-TTg (Social Policy Bank).
//!
//! Pure rules: the caller gathers the facts and passes the application date. Every failed
//! condition is reported, not just the first, in words a clerk can read out.
//!
//! Readings chosen where the Decision leaves room:
//! * Parolees (conditional early release) hold neither a completion nor an amnesty
//!   certificate, so they do not qualify as individuals until they do.
//! * "No more than 5 years" is calendar years from the completion of the sentence: the
//!   last day to apply is completion + 5 years (29 Feb clamps to 28 Feb).
//! * Vocational loans: the course (disbursement period) is at most 12 months, repayment at
//!   most twice that, so the whole term is at most 3 × course months.
//! * Establishments: at least 10 % of the workforce are qualifying returnees
//!   (qualifying × 100 ≥ 10 × workforce, so 1 of 10 qualifies and 1 of 11 does not).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    ProductionBusiness,
    VocationalTraining,
}

/// Caps and limits, configurable; `Default` holds the Decision's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanConfig {
    pub cap_production_vnd: i64,
    pub cap_vocational_per_month_vnd: i64,
    pub cap_establishment_project_vnd: i64,
    pub cap_establishment_per_employee_vnd: i64,
    pub collateral_threshold_vnd: i64,
    pub max_term_production_months: u32,
    pub max_course_months: u32,
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
            max_course_months: 12,
            max_years_since_completion: 5,
            min_workforce_percent: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndividualFacts {
    /// `completed_sentence`, `special_amnesty` or `conditional_early_release`.
    pub release_type: Option<String>,
    pub certificate_number: Option<String>,
    pub sentence_completed_on: Option<NaiveDate>,
    /// The person's status in the registry.
    pub status: String,
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

/// Last day a loan may be applied for: completion + N calendar years.
pub fn five_year_deadline(completed_on: NaiveDate, cfg: &LoanConfig) -> NaiveDate {
    let months = cfg.max_years_since_completion * 12;
    completed_on.checked_add_months(Months::new(months)).unwrap_or(completed_on)
}

/// Cap and maximum term for a purpose (individuals).
fn individual_limits(r: &Request, cfg: &LoanConfig, failures: &mut Vec<Failure>) -> (i64, u32) {
    match r.purpose {
        Purpose::ProductionBusiness => (cfg.cap_production_vnd, cfg.max_term_production_months),
        Purpose::VocationalTraining => match r.course_months {
            None => {
                failures.push(Failure {
                    code: "course_months_required",
                    message: "a vocational loan needs the length of the course in months".into(),
                });
                (0, 0)
            }
            Some(m) if m == 0 || m > cfg.max_course_months => {
                failures.push(Failure {
                    code: "course_too_long",
                    message: format!(
                        "the course lasts {m} months; vocational loans are for courses of 1 to {} months",
                        cfg.max_course_months
                    ),
                });
                (0, 0)
            }
            Some(m) => (cfg.cap_vocational_per_month_vnd * m as i64, m * 3),
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

pub fn check_individual(f: &IndividualFacts, r: &Request, application_date: NaiveDate, cfg: &LoanConfig) -> Decision {
    let mut failures = Vec::new();
    match f.release_type.as_deref() {
        Some("completed_sentence") | Some("special_amnesty") => {
            if f.certificate_number.as_deref().is_none_or(|c| c.trim().is_empty()) {
                failures.push(Failure {
                    code: "no_certificate",
                    message: "no completion or amnesty certificate is recorded".into(),
                });
            }
        }
        Some("conditional_early_release") => failures.push(Failure {
            code: "not_completed_or_amnestied",
            message: "released on parole: the loan needs a completion or amnesty certificate".into(),
        }),
        _ => failures.push(Failure {
            code: "not_completed_or_amnestied",
            message: "no completed sentence or amnesty is recorded".into(),
        }),
    }
    if !matches!(f.status.as_str(), "received" | "under_management") {
        failures.push(Failure {
            code: "not_under_management",
            message: format!("the person is `{}`, not under management in the commune", f.status),
        });
    }
    if !f.on_certified_list {
        failures.push(Failure {
            code: "not_on_certified_list",
            message: "not on this month's list certified by the commune People's Committee".into(),
        });
    }
    match f.sentence_completed_on {
        None => failures.push(Failure {
            code: "completion_date_unknown",
            message: "the date the sentence was completed is not recorded".into(),
        }),
        Some(done) => {
            let deadline = five_year_deadline(done, cfg);
            if application_date > deadline {
                failures.push(Failure {
                    code: "too_long_since_completion",
                    message: format!(
                        "the sentence was completed on {done}; applications were possible until {deadline} ({} years)",
                        cfg.max_years_since_completion
                    ),
                });
            }
        }
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
    Decision { eligible: failures.is_empty(), max_amount_vnd: cap, max_term_months: max_term, failures }
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
    Decision { eligible: failures.is_empty(), max_amount_vnd: cap, max_term_months: max_term, failures }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person() -> IndividualFacts {
        IndividualFacts {
            release_type: Some("completed_sentence".into()),
            certificate_number: Some("12/GCN".into()),
            sentence_completed_on: Some(d(2022, 6, 15)),
            status: "under_management".into(),
            on_certified_list: true,
            outstanding_same_purpose: false,
            violation_since_last_list: false,
        }
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

    fn codes(decision: &Decision) -> Vec<&'static str> {
        decision.failures.iter().map(|f| f.code).collect()
    }

    #[test]
    fn production_cap_boundaries() {
        let cfg = LoanConfig::default();
        let cases = [(99_999_999, true), (100_000_000, true), (100_000_001, false), (0, false), (-5, false)];
        for (amount, ok) in cases {
            let decision = check_individual(&person(), &production(amount), d(2024, 1, 1), &cfg);
            assert_eq!(decision.eligible, ok, "{amount}: {:?}", decision.failures);
            assert_eq!(decision.max_amount_vnd, 100_000_000);
        }
        let over = check_individual(&person(), &production(100_000_001), d(2024, 1, 1), &cfg);
        assert_eq!(codes(&over), vec!["amount_over_cap"]);
        assert!(over.failures[0].message.contains("100,000,000 VND"));
    }

    #[test]
    fn five_years_boundaries() {
        let cfg = LoanConfig::default();
        let cases = [(d(2027, 6, 14), true), (d(2027, 6, 15), true), (d(2027, 6, 16), false)];
        for (applied, ok) in cases {
            assert_eq!(check_individual(&person(), &production(1), applied, &cfg).eligible, ok, "{applied}");
        }
        assert_eq!(five_year_deadline(d(2020, 2, 29), &cfg), d(2025, 2, 28));
        let mut leap = person();
        leap.sentence_completed_on = Some(d(2020, 2, 29));
        assert!(check_individual(&leap, &production(1), d(2025, 2, 28), &cfg).eligible);
        assert!(!check_individual(&leap, &production(1), d(2025, 3, 1), &cfg).eligible);
    }

    #[test]
    fn every_individual_condition() {
        let cfg = LoanConfig::default();
        type Change = fn(&mut IndividualFacts);
        let cases: Vec<(Change, &str)> = vec![
            (|f| f.release_type = Some("conditional_early_release".into()), "not_completed_or_amnestied"),
            (|f| f.release_type = None, "not_completed_or_amnestied"),
            (|f| f.certificate_number = None, "no_certificate"),
            (|f| f.status = "expunged".into(), "not_under_management"),
            (|f| f.status = "absconded".into(), "not_under_management"),
            (|f| f.on_certified_list = false, "not_on_certified_list"),
            (|f| f.sentence_completed_on = None, "completion_date_unknown"),
            (|f| f.outstanding_same_purpose = true, "outstanding_debt_same_purpose"),
            (|f| f.violation_since_last_list = true, "violation_since_last_list"),
        ];
        for (change, code) in cases {
            let mut f = person();
            change(&mut f);
            let decision = check_individual(&f, &production(50_000_000), d(2024, 1, 1), &cfg);
            assert_eq!(codes(&decision), vec![code]);
        }
        let amnesty = IndividualFacts { release_type: Some("special_amnesty".into()), ..person() };
        assert!(check_individual(&amnesty, &production(1), d(2024, 1, 1), &cfg).eligible);
        // All failures at once.
        let bad = IndividualFacts {
            release_type: None,
            certificate_number: None,
            sentence_completed_on: None,
            status: "expected".into(),
            on_certified_list: false,
            outstanding_same_purpose: true,
            violation_since_last_list: true,
        };
        assert_eq!(check_individual(&bad, &production(200_000_000), d(2024, 1, 1), &cfg).failures.len(), 7);
    }

    #[test]
    fn vocational_caps_and_terms() {
        let cfg = LoanConfig::default();
        let req = |amount, course, term| Request {
            purpose: Purpose::VocationalTraining,
            amount_vnd: Some(amount),
            term_months: Some(term),
            course_months: course,
            collateral: false,
        };
        let on = d(2024, 1, 1);
        assert!(check_individual(&person(), &req(12_000_000, Some(3), 9), on, &cfg).eligible);
        assert_eq!(
            codes(&check_individual(&person(), &req(12_000_001, Some(3), 9), on, &cfg)),
            vec!["amount_over_cap"]
        );
        assert_eq!(codes(&check_individual(&person(), &req(12_000_000, Some(3), 10), on, &cfg)), vec!["term_over_cap"]);
        assert_eq!(codes(&check_individual(&person(), &req(1, None, 3), on, &cfg)), vec!["course_months_required"]);
        assert_eq!(codes(&check_individual(&person(), &req(1, Some(13), 3), on, &cfg)), vec!["course_too_long"]);
        assert_eq!(check_individual(&person(), &req(1, Some(12), 36), on, &cfg).max_amount_vnd, 48_000_000);
        assert_eq!(
            codes(&check_individual(&person(), &Request { term_months: Some(121), ..production(1) }, on, &cfg)),
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
