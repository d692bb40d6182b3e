//! Report models: what the problem lists, review opinions and the round report show, built from
//! the store and scored by the one engine ([`crate::store::Store::score`]). No file formats here:
//! [`crate::export`] renders these models.
//!
//! Which sheet counts for a case is decided once, by [`crate::store::Store::standing`]; a
//! 未定稿 case has no report of its own ([`case_standing`]) and no place in the figures.
//!
//! The rectification section ([`Rectification`]) is defined here but computed by the ledger
//! layer above ([`crate::ledger::rectification`]), which the report layer must not import.

mod case;
mod opinion;
mod rectification;
mod round;
#[cfg(test)]
mod tests;

pub use case::{
    CaseReport, CaseStanding, FindingLine, MetaField, SheetResult, UnsettledCase, case_report, case_standing,
    case_standings,
};
pub use opinion::{Block, Issue, Opinion, Section, chinese_date, deserves_praise, numeral, opinion};
pub use rectification::{DEFINITIONS, EMPTY_LEDGER, OverdueEntry, OverdueUnit, Rate, Rectification, Tally, UnitTally};
pub use round::{
    COMMON_MIN_CASES, CategoryStats, CommonProblem, FlaggedCase, GroupStats, RoundOptions, RoundReport, Summary,
    UNFILLED, round_report, round_report_from, round_report_with,
};
