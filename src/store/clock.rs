//! The hybrid logical clock that orders writes across laptops.
//!
//! A stamp is `wall milliseconds << 16 | counter`. A new stamp is the larger of the wall clock
//! and the last stamp + 1, so stamps only ever grow even when a laptop's clock is set back, and
//! stay close to real time when it is right. The last stamp is persisted in the same
//! transaction as the write it stamps.

use serde::Serialize;
use std::time::{SystemTime, UNIX_EPOCH};

/// A hybrid logical clock stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Stamp(pub i64);

const COUNTER_BITS: u32 = 16;

impl Stamp {
    /// The stamp for a wall-clock time in milliseconds since the Unix epoch, counter 0.
    pub fn from_millis(ms: i64) -> Stamp {
        Stamp(ms << COUNTER_BITS)
    }

    /// The wall-clock part, in milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0 >> COUNTER_BITS
    }

    /// The next stamp after `last` given the wall clock reads `wall_ms`.
    pub fn next(last: Stamp, wall_ms: i64) -> Stamp {
        Stamp::from_millis(wall_ms).max(Stamp(last.0 + 1))
    }
}

/// Milliseconds since the Unix epoch by this machine's wall clock (0 if it is before 1970).
pub fn wall_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX >> COUNTER_BITS))
}

/// Formats epoch milliseconds as Beijing time (UTC+8, the one time zone these rooms use),
/// `YYYY-MM-DD HH:MM`.
pub fn format_beijing(ms: i64) -> String {
    let secs = ms.div_euclid(1000) + 8 * 3600;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::vocab::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_follow_the_wall_clock_when_it_moves_forward() {
        let s = Stamp::next(Stamp::from_millis(1_000), 2_000);
        assert_eq!(s, Stamp::from_millis(2_000));
    }

    #[test]
    fn stamps_still_grow_when_the_wall_clock_goes_back() {
        let last = Stamp::from_millis(5_000);
        let s = Stamp::next(last, 1_000);
        assert!(s > last);
        assert_eq!(s.millis(), 5_000);
        assert!(Stamp::next(s, 1_000) > s);
    }

    #[test]
    fn beijing_time_is_utc_plus_eight() {
        assert_eq!(format_beijing(0), "1970-01-01 08:00");
    }
}
