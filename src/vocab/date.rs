//! Calendar dates (立案日期, 整改期限, 核查日期): a real day, stored as `YYYY-MM-DD` text,
//! compared as days.

use super::word::{UnknownWord, Word};
use std::fmt;

/// A calendar day (proleptic Gregorian), between the years 1000 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01; the order of dates is the order of days.
    days: i64,
}

impl Date {
    /// The date of a day count since 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        Date { days }
    }

    /// The date of year, month and day, if that day exists (no 2026-02-30).
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        let days = days_from_civil(y, m, d);
        ((1000..=9999).contains(&y) && (1..=12).contains(&m) && civil_from_days(days) == (y, m, d))
            .then_some(Date { days })
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }

    /// Parses `YYYY-MM-DD` exactly (what the file and the command line hold).
    pub fn parse(s: &str) -> Result<Date, UnknownWord> {
        let t = s.trim();
        let bad = || UnknownWord::new(Word::Date, s);
        let mut parts = t.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        match (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(y), Ok(m), Ok(d)) => Date::from_ymd(y, m, d).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// Parses a date as people type it in a spreadsheet: `2026-1-5`, `2026/01/05`,
    /// `2026.1.5`, `2026年1月5日` or `20260105`, for the years 1900 to 2100.
    pub fn parse_loose(s: &str) -> Option<Date> {
        let t = s.trim();
        let parts: Vec<&str> = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            vec![&t[..4], &t[4..6], &t[6..]]
        } else {
            t.trim_end_matches('日').split(['-', '/', '.', '年', '月']).collect()
        };
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        let (y, m, d): (i64, u32, u32) = (y.trim().parse().ok()?, m.trim().parse().ok()?, d.trim().parse().ok()?);
        Date::from_ymd(y, m, d).filter(|_| (1900..=2100).contains(&y))
    }

    /// As official documents write dates: 2026年12月2日.
    pub fn chinese(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y}年{m}月{d}日")
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }
}

/// The strict form, so a date can be `"2026-12-02".parse()`d like any value.
impl std::str::FromStr for Date {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Date, UnknownWord> {
        Date::parse(s)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl rusqlite::ToSql for Date {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::from(self.to_string()))
    }
}

impl rusqlite::types::FromSql for Date {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Date::parse(value.as_str()?).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The calendar date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The day count since 1970-01-01 of a calendar date.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_and_loose_forms() {
        let d = Date::parse(" 2026-02-28 ").unwrap();
        assert_eq!(d.to_string(), "2026-02-28");
        for bad in ["2026-02-30", "2026-2-28", "26-02-28", "2026-13-01", "", "2026-02-28-1"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        for loose in ["2026/2/28", "2026.02.28", "2026年2月28日", "20260228", "2026-2-28"] {
            assert_eq!(Date::parse_loose(loose), Some(d), "{loose}");
        }
        assert_eq!(Date::parse_loose("1850-01-01"), None);
        assert_eq!(d.days_until(Date::parse("2026-03-02").unwrap()), 2);
    }

    #[test]
    fn calendar_round_trips() {
        for days in [-719_468, -1, 0, 1, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 11, 23), (1899, 12, 30)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
    }
}
