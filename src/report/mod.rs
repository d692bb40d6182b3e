//! Report models: what the problem lists, review opinions and the round report show, built from
//! the store and scored by the one engine ([`crate::store::Store::score`]). No file formats here:
//! [`crate::export`] renders these models.
//!
//! Which sheet counts for a case is decided once, in [`counting_sheet`]: the 终评 sheet if any,
//! else the highest stage present; several reviewers at that stage make the case 未定稿.
//!
//! The rectification section ([`Rectification`]) is defined here but computed by the ledger
//! layer above ([`crate::ledger::rectification`]), which the report layer must not import.

mod case;
mod opinion;
mod rectification;
mod round;
#[cfg(test)]
mod tests;

pub use case::{CaseReport, FindingKind, FindingLine, MetaField, case_report, counting_sheet, repeat_mark};
pub use opinion::{Block, Issue, Opinion, Section, chinese_date, deserves_praise, numeral, opinion};
pub use rectification::{DEFINITIONS, EMPTY_LEDGER, OverdueEntry, OverdueUnit, Rate, Rectification, Tally, UnitTally};
pub use round::{
    COMMON_MIN_CASES, CategoryStats, CommonProblem, FlaggedCase, GroupStats, RoundOptions, RoundReport, Summary,
    UNFILLED, round_report, round_report_with,
};
