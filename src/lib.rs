//! pingcha (评查): case-quality review sessions in the terminal.
//!
//! The crate is layered; each layer uses only those above it in this list:
//!
//! - [`points`], [`lang`]: exact point arithmetic and the zh/en message switch.
//! - [`vocab`]: the domain's words as types (stages, ledger states, dates, round kinds), stored
//!   through `ToSql`/`FromSql` with one name each.
//! - [`output`], [`text`], [`spreadsheet`]: writing output files safely; limits and cleaning of
//!   stored text; reading others' spreadsheets within bounds.
//! - [`rubric`]: the TOML score-sheet format, its loader and validator.
//! - [`score`]: the pure scoring engine, `score(&Rubric, &Sheet) -> ScoreSheet`.
//! - [`store`]: one SQLite file per laptop, built to be merged (stable ids, clock, replica).
//! - [`report`]: report models (problem lists, round report) built from the store.
//! - [`ledger`]: the rectification ledger (整改台账): entries from findings, their state machine.
//! - [`caselist`]: reading case lists (CSV/XLSX) against a rubric's fields.
//! - [`export`]: rendering what the store holds (canonical JSON).
//! - [`merge`]: merging laptops' files order-independently; the verified hand-in copy.
//! - [`review`]: several reviewers on one case: comparison, disagreements, the final sheet.
//! - [`organise`]: the organiser's side: assignment with avoidance, progress, agreement.
//! - [`demo`]: the built-in demo round.
//! - [`tui`]: the reviewer's screen (state, pure update, effects runner, view, terminal).
//! - `cli` (binary only): one function per subcommand.
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

pub mod caselist;
pub mod demo;
pub mod export;
pub mod lang;
pub mod ledger;
pub mod merge;
pub mod organise;
pub mod output;
pub mod points;
pub mod report;
pub mod review;
pub mod rubric;
pub mod score;
pub mod shared;
pub mod spreadsheet;
pub mod store;
pub mod text;
pub mod tui;
pub mod vocab;
