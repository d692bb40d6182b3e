//! Calendar dates as the ledger keeps them: `YYYY-MM-DD`, compared as text.

use super::LedgerError;
use crate::store::clock::{civil_from_days, days_from_civil, format_beijing, wall_millis};

/// Checks a `YYYY-MM-DD` date (a real calendar day) and returns it trimmed.
pub fn parse_date(s: &str) -> Result<String, LedgerError> {
    let s = s.trim();
    let bad = || LedgerError::BadDate(s.to_owned());
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || civil_from_days(days_from_civil(y, m, d)) != (y, m, d) {
        return Err(bad());
    }
    Ok(s.to_owned())
}

/// Today's date in Beijing time (the time zone these rooms use), `YYYY-MM-DD`.
pub fn today() -> String {
    format_beijing(wall_millis()).chars().take(10).collect()
}

/// Days from `from` to `to` (both `YYYY-MM-DD`): positive when `to` is later.
pub fn days_between(from: &str, to: &str) -> Result<i64, LedgerError> {
    Ok(day_number(&parse_date(to)?) - day_number(&parse_date(from)?))
}

/// The day count since 1970-01-01 of a checked date.
fn day_number(date: &str) -> i64 {
    let part = |range: std::ops::Range<usize>| date.get(range).and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
    days_from_civil(i64::from(part(0..4)), part(5..7), part(8..10))
}
