//! Rubrics (评查标准): the versioned TOML score sheets reviewers score against.
//!
//! A rubric is a tree category (大项) → item (小项) → optional sub-item (细则). Items and
//! sub-items carry a [`Rule`] that says how a finding on them deducts (or adds) points. The
//! file format is documented in the README; [`load`] parses and validates it, reporting every
//! problem with its line and column.

mod error;
mod load;
mod model;
mod raw;

pub use error::{RubricError, RubricErrorKind, RubricErrors};
pub use load::{load, load_file};
pub use model::*;

#[cfg(test)]
mod tests;
