//! Citizen identity card numbers (CCCD, 12 digits; Circular 07/2016/TT-BCA):
//! `PPP G YY NNNNNN` — province of birth registration (001–096), a digit for century and
//! sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, …), the last two digits of the
//! birth year, then a serial.

use chrono::{Datelike, NaiveDate};

use super::enums::Gender;

pub fn check(number: &str, date_of_birth: Option<NaiveDate>, gender: Gender) -> Result<(), &'static str> {
    if number.len() != 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must be exactly 12 digits");
    }
    let province: u32 = number[0..3].parse().map_err(|_| "must be digits")?;
    if !(1..=96).contains(&province) {
        return Err("the first three digits must be a province code from 001 to 096");
    }
    let code = (number.as_bytes()[3] - b'0') as i32;
    let century = 1900 + (code / 2) * 100;
    let year = century + number[4..6].parse::<i32>().map_err(|_| "must be digits")?;
    if let Some(dob) = date_of_birth {
        if dob.year() != year {
            return Err("digits 4–6 do not match the year of birth");
        }
    }
    let female = code % 2 == 1;
    match gender {
        Gender::Male if female => Err("the fourth digit says female but the gender is male"),
        Gender::Female if !female => Err("the fourth digit says male but the gender is female"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, 6, 1)
    }

    #[test]
    fn cases() {
        let cases: &[(&str, Option<NaiveDate>, Gender, bool)] = &[
            ("001085012345", d(1985), Gender::Male, true),
            ("001185012345", d(1985), Gender::Female, true),
            ("079203000001", d(2003), Gender::Male, true),
            ("079303000001", d(2003), Gender::Female, true),
            ("079203000001", d(1903), Gender::Male, false),
            ("001085012345", d(1986), Gender::Male, false),
            ("001085012345", d(1985), Gender::Female, false),
            ("001085012345", None, Gender::Other, true),
            ("000085012345", None, Gender::Male, false),
            ("097085012345", None, Gender::Male, false),
            ("00108501234", None, Gender::Male, false),
            ("00108501234a", None, Gender::Male, false),
            ("0010850123456", None, Gender::Male, false),
        ];
        for (n, dob, g, ok) in cases {
            assert_eq!(check(n, *dob, *g).is_ok(), *ok, "{n} {dob:?} {g:?}");
        }
    }
}
