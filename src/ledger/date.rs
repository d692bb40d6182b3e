//! The ledger's day: deadlines are judged and 销号 dated by the Beijing calendar.

use crate::store::clock::wall_millis;
use crate::vocab::Date;

/// Beijing's offset from UTC (no daylight saving).
const BEIJING_MILLIS: i64 = 8 * 3_600_000;

/// Today's date in Beijing time (the time zone these rooms use).
pub fn today() -> Date {
    Date::from_days((wall_millis() + BEIJING_MILLIS).div_euclid(86_400_000))
}
