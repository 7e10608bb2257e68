//! Dates as the inputs write them: known to the year, month or day, and checked against the
//! calendar.

use std::fmt;

use serde::{Serialize, Serializer};

/// A date known to the year, month or day: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year.
    pub year: u16,
    /// Month 1-12, if known.
    pub month: Option<u8>,
    /// Day 1-31, if known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar date).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let mut parts = s.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month = match parts.next() {
            Some(m) if m.len() == 2 => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            Some(_) => return None,
            None => None,
        };
        let day = match parts.next() {
            Some(d) if d.len() == 2 => {
                let d = d.parse::<u8>().ok()?;
                (1..=days_in_month(year, month?))
                    .contains(&d)
                    .then_some(d)?;
                Some(d)
            }
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// For text shaped like a date whose month or day does not exist (`2020-13`, `2019-02-30`),
    /// what is wrong with it.
    pub fn calendar_problem(s: &str) -> Option<String> {
        let parts: Vec<&str> = s.split('-').collect();
        let shaped = matches!(parts.len(), 2 | 3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shaped {
            return None;
        }
        let year: u16 = parts[0].parse().ok()?;
        let month: u8 = parts[1].parse().ok()?;
        if !(1..=12).contains(&month) {
            return Some(format!("there is no month {month}"));
        }
        let day: u8 = parts.get(2)?.parse().ok()?;
        let days = days_in_month(year, month);
        (!(1..=days).contains(&day)).then(|| format!("{}-{:02} has {days} days", year, month))
    }

    /// The year and month, months unknown counting as December (the latest a year-only date can be).
    pub fn month_key(&self) -> (u16, u8) {
        (self.year, self.month.unwrap_or(12))
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_that_does_not_exist_says_why() {
        let problem = |s| PartialDate::calendar_problem(s);
        assert_eq!(problem("2020-13").as_deref(), Some("there is no month 13"));
        assert_eq!(
            problem("2020-00-01").as_deref(),
            Some("there is no month 0")
        );
        assert_eq!(
            problem("2019-02-29").as_deref(),
            Some("2019-02 has 28 days")
        );
        assert_eq!(
            problem("2020-04-31").as_deref(),
            Some("2020-04 has 30 days")
        );
        assert_eq!(problem("2020-02-29"), None);
        assert_eq!(problem("March 2020"), None);
        assert_eq!(problem("2020-3"), None);
    }

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2020").unwrap().to_string(), "2020");
        assert_eq!(
            PartialDate::parse("2020-03").unwrap().to_string(),
            "2020-03"
        );
        assert_eq!(
            PartialDate::parse("2020-02-29").unwrap().to_string(),
            "2020-02-29"
        );
        for bad in [
            "2019-02-29",
            "2020-13",
            "20-01",
            "2020-1",
            "2020-01-01-01",
            "March 2020",
            "",
        ] {
            assert!(PartialDate::parse(bad).is_none(), "{bad}");
        }
    }
}
