//! Calendar dates as the ledger keeps them: `YYYY-MM-DD` (checked through [`Date`]).

use super::LedgerError;
use crate::store::clock::{format_beijing, wall_millis};
use crate::vocab::Date;

/// Checks a `YYYY-MM-DD` date (a real calendar day) and returns it trimmed.
pub fn parse_date(s: &str) -> Result<String, LedgerError> {
    Ok(Date::parse(s)?.to_string())
}

/// Today's date in Beijing time (the time zone these rooms use), `YYYY-MM-DD`.
pub fn today() -> String {
    format_beijing(wall_millis()).chars().take(10).collect()
}

/// Days from `from` to `to` (both `YYYY-MM-DD`): positive when `to` is later.
pub fn days_between(from: &str, to: &str) -> Result<i64, LedgerError> {
    Ok(Date::parse(from)?.days_until(Date::parse(to)?))
}
