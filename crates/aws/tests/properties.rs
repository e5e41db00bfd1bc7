//! Property tests (proptest) of this crate's text parser: `Date::parse`, which reads
//! the EKS support calendar and the dates a program gives.

use proptest::prelude::*;
use terrane_aws::checks::Date;

proptest! {
    /// Any text: a date or none, never a panic; a date only for canonical text
    /// (found `+000-+1-+1` accepted as 0000-01-01 before the digits-only rule).
    #[test]
    fn any_text_parses_or_not(s in "\\PC{0,14}|[0-9+-]{4}-[0-9+-]{2}-[0-9+-]{2}") {
        if let Some(d) = Date::parse(&s) {
            let (y, m, day) = d.ymd();
            prop_assert_eq!(format!("{y:04}-{m:02}-{day:02}"), s);
        }
    }

    /// Every real day parses, back to the same year, month and day, one day after
    /// the day before it.
    #[test]
    fn every_real_day_parses(days in 0i64..2_900_000) {
        let d = Date::from_unix_days(days);
        let (y, m, day) = d.ymd();
        let text = format!("{y:04}-{m:02}-{day:02}");
        prop_assert_eq!(Date::parse(&text), Some(d), "{}", text);
        let before = Date::from_unix_days(days - 1);
        prop_assert_eq!(d.days_since(before), 1);
    }
}

/// The finding of `any_text_parses_or_not`, kept as a plain test.
#[test]
fn signs_are_not_digits() {
    assert_eq!(Date::parse("+000-+1-+1"), None);
    assert_eq!(Date::parse("+202-01-01"), None);
}
