//! The rectification section of the round report (整改情况): how far the handling units have
//! got with the problems fed back to them. Plain figures only: the ledger layer computes them
//! from its entries ([`crate::ledger::rectification`]), the export layer renders them, and the
//! definitions both print are stated once, in [`DEFINITIONS`].

use crate::vocab::{Date, EntryId, State};
use std::cmp::Ordering;
use std::fmt;

/// A rate kept as an exact fraction; shown as a percentage rounded half up to one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Numerator.
    pub num: usize,
    /// Denominator (0: the rate is undefined and shown as —).
    pub den: usize,
}

impl Rate {
    /// `num / den`.
    pub fn new(num: usize, den: usize) -> Rate {
        Rate { num, den }
    }

    /// The rate in tenths of a percent (‰), rounded half up from the exact fraction; None when
    /// the denominator is 0.
    pub fn per_mille(self) -> Option<u64> {
        let (num, den) = (self.num as u64, self.den as u64);
        (den > 0).then(|| (2000 * num + den) / (2 * den))
    }

    /// The rounded rate as a fraction of 1 (0.667 for 2/3), for a spreadsheet cell formatted as
    /// a percentage: the cell holds exactly the figure the report prints.
    pub fn rounded(self) -> Option<f64> {
        self.per_mille().map(|m| m as f64 / 1000.0)
    }

    /// Compares the exact fractions (an undefined rate sorts below every defined one).
    pub fn cmp_exact(self, other: Rate) -> Ordering {
        match (self.den, other.den) {
            (0, 0) => Ordering::Equal,
            (0, _) => Ordering::Less,
            (_, 0) => Ordering::Greater,
            _ => (self.num as u128 * other.den as u128).cmp(&(other.num as u128 * self.den as u128)),
        }
    }
}

impl fmt::Display for Rate {
    /// `66.7%`, or `—` when undefined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.per_mille() {
            Some(m) => write!(f, "{}.{}%", m / 10, m % 10),
            None => f.write_str("—"),
        }
    }
}

/// Rectification figures of a set of ledger entries (all of them, or one unit's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Entries (应整改问题数).
    pub entries: usize,
    /// In state 待整改.
    pub pending: usize,
    /// In state 整改中.
    pub in_progress: usize,
    /// In state 已整改待核.
    pub awaiting_check: usize,
    /// In state 已销号.
    pub closed: usize,
    /// Closed with a deadline and verified on or before it (按期销号).
    pub closed_on_time: usize,
    /// Entries with a deadline that are closed or whose deadline has passed (到期应完成).
    pub due: usize,
    /// Not closed and the deadline before the report day (逾期未销号).
    pub overdue: usize,
    /// Returned (退回) at least once, whatever their state now.
    pub returned: usize,
    /// Without a deadline (未定期限).
    pub no_deadline: usize,
}

impl Tally {
    /// 整改合格率: 已销号 / 应整改 (every entry).
    pub fn pass_rate(&self) -> Rate {
        Rate::new(self.closed, self.entries)
    }

    /// 按期整改率: 按期销号 / 到期应完成.
    pub fn on_time_rate(&self) -> Rate {
        Rate::new(self.closed_on_time, self.due)
    }
}

/// One handling unit's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTally {
    /// 承办单位 (未填 when the entry has none).
    pub unit: String,
    /// Its figures.
    pub tally: Tally,
}

/// An entry past its deadline and not closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueEntry {
    /// The ledger entry id.
    pub entry_id: EntryId,
    /// 案号.
    pub case_no: String,
    /// The problem: code and standard wording, else the reviewer's note.
    pub problem: String,
    /// 承办人.
    pub handler: String,
    /// 整改期限.
    pub deadline: Date,
    /// Days from the deadline to the report day.
    pub days: i64,
    /// Where the entry stands.
    pub state: State,
}

/// One unit's overdue entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueUnit {
    /// 承办单位.
    pub unit: String,
    /// Its overdue entries, longest overdue first.
    pub entries: Vec<OverdueEntry>,
}

/// The rectification section of the round report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rectification {
    /// The day deadlines are judged by.
    pub today: Date,
    /// Every entry.
    pub total: Tally,
    /// Per unit, best 整改合格率 first (then more entries, then name).
    pub units: Vec<UnitTally>,
    /// Units with overdue entries, most overdue entries first (then name).
    pub overdue: Vec<OverdueUnit>,
}

impl Rectification {
    /// The section of an empty ledger.
    pub fn empty(today: Date) -> Rectification {
        Rectification {
            today,
            total: Tally::default(),
            units: Vec::new(),
            overdue: Vec::new(),
        }
    }

    /// Whether the ledger has no entries (the section then says so).
    pub fn is_empty(&self) -> bool {
        self.total.entries == 0
    }
}

/// What the figures mean, as the report's footnote prints them.
pub const DEFINITIONS: [&str; 4] = [
    "整改合格率 = 已销号问题数 ÷ 应整改问题数（台账全部问题）；问题经核查合格方可销号。",
    "按期整改率 = 按期销号问题数 ÷ 到期应完成问题数。按期销号：已销号且核查日期不晚于整改期限；\
     到期应完成：已定整改期限，且已销号或期限已过；未定期限的问题不计入。",
    "逾期：整改期限早于统计日期且尚未销号（期限当日不算逾期）；逾期天数 = 统计日期 − 整改期限。\
     曾退回：核查中被退回过至少一次，不论现在的状态。",
    "比率按精确分数计算，以百分数列示，保留一位小数（由精确值四舍五入）；无到期应完成问题的，按期整改率记为“—”。各项按统计时台账的现状计算。",
];

/// The message of a section without entries.
pub const EMPTY_LEDGER: &str = "整改台账中尚无问题。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_to_a_tenth_of_a_percent() {
        let shown = |num, den| Rate::new(num, den).to_string();
        assert_eq!(shown(2, 3), "66.7%");
        assert_eq!(shown(1, 3), "33.3%");
        assert_eq!(shown(1, 8), "12.5%", "exact");
        assert_eq!(shown(1, 16), "6.3%", "6.25 rounds up");
        assert_eq!(shown(1, 1600), "0.1%", "0.0625 rounds up");
        assert_eq!(shown(1, 2001), "0.0%", "0.04998 rounds down");
        assert_eq!(shown(3, 3), "100.0%");
        assert_eq!(shown(0, 7), "0.0%");
        assert_eq!(shown(0, 0), "—");
        assert_eq!(Rate::new(2, 3).rounded(), Some(0.667));
        assert_eq!(Rate::new(0, 0).rounded(), None);
    }

    #[test]
    fn rates_compare_as_exact_fractions() {
        // 1/3 and 333/1000 print alike but are not equal.
        assert_eq!(Rate::new(1, 3).cmp_exact(Rate::new(333, 1000)), Ordering::Greater);
        assert_eq!(Rate::new(2, 4).cmp_exact(Rate::new(1, 2)), Ordering::Equal);
        assert_eq!(Rate::new(0, 0).cmp_exact(Rate::new(0, 5)), Ordering::Less);
    }
}
