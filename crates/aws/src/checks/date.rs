//! Calendar dates in UTC, as ISO `YYYY-MM-DD`, and the [`Clock`] that says what
//! day it is: enough date arithmetic for support calendars, with no dependency.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the proleptic Gregorian calendar, in UTC.
///
/// ```
/// use terrane_aws::checks::Date;
/// let d = Date::parse("2026-11-26").unwrap();
/// assert_eq!(d.to_string(), "2026-11-26");
/// assert_eq!(Date::parse("2027-03-27").unwrap().days_since(d), 121);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` when it is not a real day.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        // Digits only: integer parsing alone takes `+000-+1-+1` for 0000-01-01.
        if ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// The day `days` after 1970-01-01.
    pub fn from_unix_days(days: i64) -> Date {
        Date { days }
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let secs = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            // A clock set before 1970: count back.
            Err(e) => -(e.duration().as_secs() as i64) - 1,
        };
        Date::from_unix_days(secs.div_euclid(86_400))
    }

    /// Days from `earlier` to this day (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Where a rule learns what day it is: the system clock at synth, or a fixed day
/// in tests.
///
/// ```
/// use terrane_aws::checks::{Clock, Date};
/// let fixed = Clock::Fixed(Date::parse("2026-11-29").unwrap());
/// assert_eq!(fixed.today().to_string(), "2026-11-29");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, read when the rule runs.
    #[default]
    System,
    /// Always this day.
    Fixed(Date),
}

impl Clock {
    /// Today, in UTC.
    pub fn today(self) -> Date {
        match self {
            Clock::System => Date::today_utc(),
            Clock::Fixed(d) => d,
        }
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`
// (https://howardhinnant.github.io/date_algorithms.html): exact for every day.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_count_days() {
        let epoch = Date::parse("1970-01-01").unwrap();
        assert_eq!(epoch, Date::from_unix_days(0));
        for s in ["2000-02-29", "2026-12-31", "2027-03-01", "1969-12-31"] {
            assert_eq!(Date::parse(s).unwrap().to_string(), s);
        }
        let a = Date::parse("2026-11-29").unwrap();
        assert_eq!(Date::parse("2026-12-02").unwrap().days_since(a), 3);
        assert_eq!(Date::parse("2027-11-29").unwrap().days_since(a), 365);
    }

    #[test]
    fn impossible_days_do_not_parse() {
        for s in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-4-01",
            "26-04-01",
            "x",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
    }

    #[test]
    fn the_system_clock_gives_a_day_after_the_table_was_gathered() {
        assert!(Clock::System.today() >= Date::parse("2026-11-29").unwrap());
    }
}
