//! The five steps of building a reintegration model, which must come in order and on
//! non-decreasing dates.

use chrono::NaiveDate;

use super::enums::{ModelStatus, ModelStep};

pub fn order(step: ModelStep) -> usize {
    ModelStep::ALL.iter().position(|s| *s == step).unwrap_or(0)
}

/// `done` holds the steps already recorded with their dates. Err names the step missing.
pub fn check_next(done: &[(ModelStep, NaiveDate)], step: ModelStep, on: NaiveDate) -> Result<(), String> {
    if done.iter().any(|(s, _)| *s == step) {
        return Err(format!("`{}` is already recorded", step.as_str()));
    }
    let wanted = order(step);
    for earlier in &ModelStep::ALL[..wanted] {
        match done.iter().find(|(s, _)| s == earlier) {
            None => return Err(format!("`{}` must come before `{}`", earlier.as_str(), step.as_str())),
            Some((_, d)) if *d > on => {
                return Err(format!("`{}` is dated {d}, after this step", earlier.as_str()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Launching a model makes it active.
pub fn status_after(step: ModelStep, current: ModelStatus) -> ModelStatus {
    match (step, current) {
        (ModelStep::Launched | ModelStep::Maintaining, ModelStatus::Planned) => ModelStatus::Active,
        (_, s) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ModelStep::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 5, day).unwrap()
    }

    #[test]
    fn steps_in_order() {
        assert!(check_next(&[], CommitteeFormed, d(1)).is_ok());
        assert!(check_next(&[], Launched, d(1)).unwrap_err().contains("committee_formed"));
        let done = [(CommitteeFormed, d(1)), (RegulationsIssued, d(3))];
        assert!(check_next(&done, FirstActivities, d(3)).is_ok());
        assert!(check_next(&done, Launched, d(5)).unwrap_err().contains("first_activities"));
        assert!(check_next(&done, FirstActivities, d(2)).unwrap_err().contains("dated"));
        assert!(check_next(&done, RegulationsIssued, d(9)).unwrap_err().contains("already"));
        // A launch before regulations.
        assert!(check_next(&[(CommitteeFormed, d(1))], Launched, d(2)).is_err());
    }

    #[test]
    fn launch_activates() {
        assert_eq!(status_after(Launched, ModelStatus::Planned), ModelStatus::Active);
        assert_eq!(status_after(RegulationsIssued, ModelStatus::Planned), ModelStatus::Planned);
        assert_eq!(status_after(Maintaining, ModelStatus::Suspended), ModelStatus::Suspended);
    }
}
