//! The reintegration lifecycle: which status changes are allowed.
//!
//! expected → received → under_management → exits (expunged, reoffended, law_violation,
//! moved_out, absconded, deceased); absconded persons may return; a person who went back to
//! prison (reoffended, law_violation) starts a new cycle with a new release notice.

use super::enums::PersonStatus::{self, *};

/// The actions that move a person, each its own endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    ReleaseNotice,
    Reception,
    StartManagement,
    Transfer,
    Abscond,
    Return,
    LawViolation,
    Reoffend,
    Decease,
    Expunge,
}

impl Transition {
    pub const ALL: [Transition; 10] = [
        Transition::ReleaseNotice,
        Transition::Reception,
        Transition::StartManagement,
        Transition::Transfer,
        Transition::Abscond,
        Transition::Return,
        Transition::LawViolation,
        Transition::Reoffend,
        Transition::Decease,
        Transition::Expunge,
    ];

    /// Name used in API errors ("allowed" lists).
    pub fn name(self) -> &'static str {
        match self {
            Transition::ReleaseNotice => "release_notice",
            Transition::Reception => "reception",
            Transition::StartManagement => "start_management",
            Transition::Transfer => "transfer",
            Transition::Abscond => "abscond",
            Transition::Return => "return",
            Transition::LawViolation => "law_violation",
            Transition::Reoffend => "reoffend",
            Transition::Decease => "decease",
            Transition::Expunge => "expunge",
        }
    }

    /// Statuses this action may start from.
    pub fn from(self) -> &'static [PersonStatus] {
        match self {
            // A new cycle after a new sentence, or a first notice (handled as creation).
            Transition::ReleaseNotice => &[Reoffended, LawViolation, Expunged, MovedOut, Deceased],
            Transition::Reception => &[Expected],
            Transition::StartManagement => &[Received],
            Transition::Transfer => &[Received, UnderManagement],
            Transition::Abscond => &[Received, UnderManagement],
            Transition::Return => &[Absconded],
            Transition::LawViolation => &[Received, UnderManagement, Absconded],
            Transition::Reoffend => &[Received, UnderManagement, Absconded],
            Transition::Decease => &[Expected, Received, UnderManagement, Absconded],
            Transition::Expunge => &[Received, UnderManagement],
        }
    }

    /// The status the action leads to (a transfer ends `received` in the new commune).
    pub fn to(self) -> PersonStatus {
        match self {
            Transition::ReleaseNotice => Expected,
            Transition::Reception => Received,
            Transition::StartManagement => UnderManagement,
            Transition::Transfer => Received,
            Transition::Abscond => Absconded,
            Transition::Return => UnderManagement,
            Transition::LawViolation => LawViolation,
            Transition::Reoffend => Reoffended,
            Transition::Decease => Deceased,
            Transition::Expunge => Expunged,
        }
    }
}

/// The actions allowed from a status, for 409 answers.
pub fn allowed_from(status: PersonStatus) -> Vec<&'static str> {
    Transition::ALL.iter().filter(|t| t.from().contains(&status)).map(|t| t.name()).collect()
}

/// Ok, or the list of actions that would have been allowed.
pub fn check(status: PersonStatus, transition: Transition) -> Result<PersonStatus, Vec<&'static str>> {
    if transition.from().contains(&status) && !(status == Deceased && transition == Transition::ReleaseNotice) {
        Ok(transition.to())
    } else {
        Err(allowed_from(status).into_iter().filter(|n| !(status == Deceased && *n == "release_notice")).collect())
    }
}

/// Whether a person in this status counts as "not yet exited" (ID numbers must be unique
/// among them, and they are in the commune's caseload).
pub fn is_active(status: PersonStatus) -> bool {
    matches!(status, Expected | Received | UnderManagement)
}

/// Whether a status is one of the exits counted in reports ("số giảm").
pub fn is_exit(status: PersonStatus) -> bool {
    matches!(status, Expunged | Reoffended | LawViolation | MovedOut | Absconded | Deceased)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_table() {
        use Transition as T;
        let cases: &[(PersonStatus, T, Option<PersonStatus>)] = &[
            (Expected, T::Reception, Some(Received)),
            (Expected, T::StartManagement, None),
            (Expected, T::Decease, Some(Deceased)),
            (Expected, T::Expunge, None),
            (Received, T::StartManagement, Some(UnderManagement)),
            (Received, T::Reception, None),
            (Received, T::Transfer, Some(Received)),
            (UnderManagement, T::Transfer, Some(Received)),
            (UnderManagement, T::Abscond, Some(Absconded)),
            (UnderManagement, T::LawViolation, Some(LawViolation)),
            (UnderManagement, T::Reoffend, Some(Reoffended)),
            (UnderManagement, T::Decease, Some(Deceased)),
            (UnderManagement, T::Expunge, Some(Expunged)),
            (UnderManagement, T::StartManagement, None),
            (Absconded, T::Return, Some(UnderManagement)),
            (Absconded, T::Reoffend, Some(Reoffended)),
            (Absconded, T::Expunge, None),
            (Reoffended, T::ReleaseNotice, Some(Expected)),
            (Reoffended, T::Reception, None),
            (Expunged, T::Abscond, None),
            (Expunged, T::ReleaseNotice, Some(Expected)),
            (Deceased, T::ReleaseNotice, None),
            (Deceased, T::Return, None),
            (MovedOut, T::Reception, None),
        ];
        for (from, t, expected) in cases {
            assert_eq!(check(*from, *t).ok(), *expected, "{from:?} --{t:?}-->");
        }
    }

    #[test]
    fn conflicts_list_what_is_allowed() {
        let allowed = check(Received, Transition::Reception).unwrap_err();
        assert_eq!(
            allowed,
            vec!["start_management", "transfer", "abscond", "law_violation", "reoffend", "decease", "expunge"]
        );
        assert!(check(Deceased, Transition::Return).unwrap_err().is_empty());
    }

    #[test]
    fn activity_and_exits_partition_statuses() {
        for s in PersonStatus::ALL {
            assert!(is_active(*s) ^ is_exit(*s), "{s:?}");
        }
    }
}
