//! Who is overdue for contact: each classification group has a maximum interval between
//! contacts (configurable); parolees must also check in regularly.

use chrono::{Days, NaiveDate};

/// Maximum days without contact, by classification group (A least watched … D most).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactIntervals {
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub d: u32,
    /// Persons not yet classified.
    pub unclassified: u32,
    /// Parolees: days between check-ins.
    pub parole_check_in: u32,
}

impl Default for ContactIntervals {
    fn default() -> Self {
        ContactIntervals { a: 90, b: 60, c: 30, d: 7, unclassified: 30, parole_check_in: 30 }
    }
}

impl ContactIntervals {
    /// Parses `a=90,b=60,c=30,d=7,none=30,parole=30` (any subset; the rest keep defaults).
    pub fn parse(text: &str) -> Result<ContactIntervals, String> {
        let mut out = ContactIntervals::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| format!("`{part}` is not key=days"))?;
            let days: u32 = value.trim().parse().map_err(|_| format!("`{value}` is not a number of days"))?;
            if days == 0 || days > 3650 {
                return Err(format!("`{part}`: days must be 1–3650"));
            }
            match key.trim() {
                "a" => out.a = days,
                "b" => out.b = days,
                "c" => out.c = days,
                "d" => out.d = days,
                "none" => out.unclassified = days,
                "parole" => out.parole_check_in = days,
                other => return Err(format!("unknown group `{other}`")),
            }
        }
        Ok(out)
    }

    pub fn for_group(&self, group: Option<&str>) -> u32 {
        match group {
            Some("a") => self.a,
            Some("b") => self.b,
            Some("c") => self.c,
            Some("d") => self.d,
            _ => self.unclassified,
        }
    }

    /// A person whose last contact (or management start) is before this date is overdue:
    /// contact exactly N days ago is on time, N+1 days ago is overdue.
    pub fn overdue_before(&self, group: Option<&str>, today: NaiveDate) -> NaiveDate {
        today - Days::new(self.for_group(group) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_is_n_days() {
        let i = ContactIntervals::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let cutoff = i.overdue_before(Some("d"), today);
        assert_eq!(cutoff, NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
        // last contact 7 days ago: not before the cutoff → on time; 8 days ago → overdue.
        assert!((today - Days::new(7)) >= cutoff);
        assert!((today - Days::new(8)) < cutoff);
        assert_eq!(i.for_group(Some("a")), 90);
        assert_eq!(i.for_group(None), 30);
    }

    #[test]
    fn parses_config() {
        let i = ContactIntervals::parse("a=120, d=3,parole=14").unwrap();
        assert_eq!((i.a, i.b, i.d, i.parole_check_in), (120, 60, 3, 14));
        assert!(ContactIntervals::parse("e=3").is_err());
        assert!(ContactIntervals::parse("a=0").is_err());
        assert!(ContactIntervals::parse("a").is_err());
    }
}
