//! The domain's words as types: one type, one place and one name per concept.
//!
//! Stages, the ledger's states and actions, 从重, calendar dates, record ids, and the round's kind and method
//! used to travel as strings and be parsed wherever they were read. Here each is
//! an enum or a newtype that the store reads and writes through `ToSql`/`FromSql`, so a row
//! carries `Stage::Final`, never `"终评"`, and the CLI, the screen and the documents share one
//! name per concept. This layer sits just above [`crate::points`] and [`crate::lang`]: it
//! knows nothing of rubrics, scoring or files.

mod date;
mod id;
mod ledger;
mod place;
mod repeat;
mod round;
mod stage;
mod word;

pub use date::Date;
pub(crate) use date::{civil_from_days, days_from_civil};
pub use id::{CaseId, EntryId, FindingId, SheetId};
pub use ledger::{Action, State};
pub use place::place;
pub use repeat::Repeat;
pub use round::{Method, RoundKind};
pub use stage::Stage;
pub use word::{UnknownWord, Word};
