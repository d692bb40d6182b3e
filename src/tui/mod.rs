//! The reviewer's screen: a keyboard-driven TUI for scoring a case while reading the paper file.
//!
//! The parts, each testable without a terminal:
//!
//! - [`model`]: the state; [`update::update`] applies a [`message::Event`] (a key, a paste, or
//!   the store's answer) to it and returns [`message::Effect`]s. It touches no terminal and no
//!   database. It hands keys to `browse` (the tree), `entry` (recording a finding), `forms`
//!   (lists, metadata, grade, the comparison of sheets) and `ledger` (the rectification ledger).
//! - [`effects`]: the [`effects::Runner`] carries the effects out against the
//!   [`Store`](crate::store::Store) (the same calls the CLI makes) and answers with events;
//!   [`effects::App`] runs the loop of the two.
//! - [`keymap`]: keys to [`keymap::Action`]s, in one table the help overlay is drawn from.
//! - [`view`]: draws the model, and nothing else, into a ratatui frame.
//! - [`terminal`]: the real terminal and its restoration.
//!
//! Scoring and validation stay in the library: the TUI shows what [`crate::score`] computed
//! and what the store refused.

mod browse;
pub mod describe;
pub mod effects;
mod entry;
pub mod filter;
mod forms;
pub mod keymap;
mod ledger;
pub mod message;
pub mod model;
mod paste;
pub mod terminal;
pub mod text;
pub mod update;
pub mod view;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_keys;

pub use effects::App;
pub use model::{DEFAULT_DUE_DAYS, Model, Options};
pub use update::{Effect, Event, update};
