//! The life of a ledger entry: 待整改 → 整改中 → 已整改待核 → 已销号, with 退回 sending a
//! rectification that did not pass back to 整改中. Pure: no store, no clock.

use super::LedgerError;
pub use crate::vocab::{Action, State};

/// The state `action` leads to from `state`, or why it is refused.
pub fn transition(state: State, action: Action) -> Result<State, LedgerError> {
    match (state, action) {
        (State::Pending, Action::Advance) => Ok(State::InProgress),
        (State::InProgress, Action::Advance) => Ok(State::AwaitingCheck),
        (State::AwaitingCheck, Action::Return) => Ok(State::InProgress),
        (State::AwaitingCheck, Action::Close) => Ok(State::Closed),
        (state, action) => Err(LedgerError::Refused { state, action }),
    }
}
