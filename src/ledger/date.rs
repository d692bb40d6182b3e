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

/// Days from `from` to `to` (both `YYYY-MM-DD`; positive when `to` is later), or None when
/// either is not a valid date.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let day = |s: &str| -> Option<i64> {
        let s = parse_date(s).ok()?;
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        Some(days_from_civil(y, m, d))
    };
    Some(day(to)? - day(from)?)
}
