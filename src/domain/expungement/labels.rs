//! How judgments, penalties and amounts are named in the blocking messages.

use super::facts::*;

pub(super) fn judgment_label(c: &ConvictionFacts) -> String {
    let number = c.judgment_number.trim();
    if number.is_empty() {
        "Judgment (number not recorded)".to_string()
    } else {
        format!("Judgment {number}")
    }
}

pub(super) fn supplementary_label(s: &SupplementaryPenalty) -> String {
    let kind = s.kind.trim();
    if kind.is_empty() {
        "a supplementary penalty".to_string()
    } else {
        format!("the supplementary penalty \"{kind}\"")
    }
}

pub(super) fn obligation_label(o: &Obligation) -> String {
    let kind = o.kind.trim();
    let amount = format_vnd(o.amount_vnd);
    if kind.is_empty() {
        format!("an obligation of {amount}")
    } else {
        format!("the obligation \"{kind}\" ({amount})")
    }
}

pub(super) fn describe_principal(p: PrincipalPenalty) -> String {
    match p {
        PrincipalPenalty::Warning => "warning".to_string(),
        PrincipalPenalty::Fine => "fine".to_string(),
        PrincipalPenalty::NonCustodialReform => "non-custodial reform".to_string(),
        PrincipalPenalty::Suspended => "suspended sentence".to_string(),
        PrincipalPenalty::Imprisonment { months } => {
            format!("imprisonment of {months} months")
        }
        PrincipalPenalty::Life => "life imprisonment".to_string(),
        PrincipalPenalty::DeathCommuted => "death sentence commuted".to_string(),
        PrincipalPenalty::Exempted => "exemption from penalty".to_string(),
    }
}

/// `1500000` → `"1,500,000 VND"`.
pub(super) fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    // Leading group has 1..=3 digits; the rest are full groups of three.
    let (head, tail) = digits.split_at(match digits.len() % 3 {
        0 => 3.min(digits.len()),
        r => r,
    });
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    grouped.push_str(head);
    for group in tail.as_bytes().chunks(3) {
        grouped.push(',');
        grouped.extend(group.iter().map(|&b| char::from(b)));
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{grouped} VND")
}
