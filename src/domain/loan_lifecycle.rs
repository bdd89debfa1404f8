//! Loan states: draft → submitted → certified → approved | rejected → disbursed → repaying
//! → settled, with overdue, recovery (misuse) and write-off.

use super::enums::LoanStatus::{self, *};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanAction {
    Submit,
    Certify,
    Approve,
    Reject,
    Disburse,
    Repay,
    MarkOverdue,
    FindMisuse,
    WriteOff,
}

impl LoanAction {
    pub fn name(self) -> &'static str {
        match self {
            LoanAction::Submit => "submit",
            LoanAction::Certify => "certify",
            LoanAction::Approve => "approve",
            LoanAction::Reject => "reject",
            LoanAction::Disburse => "disburse",
            LoanAction::Repay => "repay",
            LoanAction::MarkOverdue => "mark_overdue",
            LoanAction::FindMisuse => "find_misuse",
            LoanAction::WriteOff => "write_off",
        }
    }

    pub const ALL: [LoanAction; 9] = [
        LoanAction::Submit,
        LoanAction::Certify,
        LoanAction::Approve,
        LoanAction::Reject,
        LoanAction::Disburse,
        LoanAction::Repay,
        LoanAction::MarkOverdue,
        LoanAction::FindMisuse,
        LoanAction::WriteOff,
    ];

    fn from(self) -> &'static [LoanStatus] {
        match self {
            LoanAction::Submit => &[Draft],
            LoanAction::Certify => &[Submitted],
            LoanAction::Approve | LoanAction::Reject => &[Certified],
            // Several tranches up to the approved amount.
            LoanAction::Disburse => &[Approved, Disbursed],
            LoanAction::Repay => &[Disbursed, Repaying, Overdue, Recovery],
            LoanAction::MarkOverdue => &[Disbursed, Repaying],
            LoanAction::FindMisuse => &[Disbursed, Repaying, Overdue],
            LoanAction::WriteOff => &[Overdue, Recovery],
        }
    }
}

/// The next status, or the actions allowed now.
pub fn next(current: LoanStatus, action: LoanAction, settles: bool) -> Result<LoanStatus, Vec<&'static str>> {
    if !action.from().contains(&current) {
        return Err(LoanAction::ALL.iter().filter(|a| a.from().contains(&current)).map(|a| a.name()).collect());
    }
    Ok(match action {
        LoanAction::Submit => Submitted,
        LoanAction::Certify => Certified,
        LoanAction::Approve => Approved,
        LoanAction::Reject => Rejected,
        LoanAction::Disburse => Disbursed,
        LoanAction::Repay if settles => Settled,
        // Repayments during recovery or while overdue keep that status until settled.
        LoanAction::Repay if matches!(current, Overdue | Recovery) => current,
        LoanAction::Repay => Repaying,
        LoanAction::MarkOverdue => Overdue,
        LoanAction::FindMisuse => Recovery,
        LoanAction::WriteOff => WrittenOff,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use LoanAction as A;

    #[test]
    fn transition_table() {
        let cases: &[(LoanStatus, A, bool, Option<LoanStatus>)] = &[
            (Draft, A::Submit, false, Some(Submitted)),
            (Draft, A::Approve, false, None),
            (Submitted, A::Certify, false, Some(Certified)),
            (Submitted, A::Approve, false, None),
            (Certified, A::Approve, false, Some(Approved)),
            (Certified, A::Reject, false, Some(Rejected)),
            (Approved, A::Disburse, false, Some(Disbursed)),
            (Disbursed, A::Disburse, false, Some(Disbursed)),
            (Disbursed, A::Repay, false, Some(Repaying)),
            (Repaying, A::Repay, true, Some(Settled)),
            (Repaying, A::MarkOverdue, false, Some(Overdue)),
            (Overdue, A::Repay, false, Some(Overdue)),
            (Overdue, A::Repay, true, Some(Settled)),
            (Repaying, A::FindMisuse, false, Some(Recovery)),
            (Recovery, A::Repay, true, Some(Settled)),
            (Recovery, A::WriteOff, false, Some(WrittenOff)),
            (Rejected, A::Disburse, false, None),
            (Settled, A::Repay, false, None),
            (Approved, A::Repay, false, None),
        ];
        for (from, action, settles, expected) in cases {
            assert_eq!(next(*from, *action, *settles).ok(), *expected, "{from:?} --{action:?}-->");
        }
        assert_eq!(next(Certified, A::Disburse, false).unwrap_err(), vec!["approve", "reject"]);
    }
}
