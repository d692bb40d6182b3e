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
mod rectification;
mod round;
#[cfg(test)]
mod tests;

pub use case::{
    CaseReport, CaseStanding, FindingLine, SheetResult, UnsettledCase, case_report, case_standing, repeat_mark,
};
pub use rectification::{DEFINITIONS, EMPTY_LEDGER, OverdueEntry, OverdueUnit, Rate, Rectification, Tally, UnitTally};
pub use round::{CategoryStats, CommonProblem, GroupStats, RoundReport, Summary, UNFILLED, round_report};
