//! The life of a ledger entry: 待整改 → 整改中 → 已整改待核 → 已销号, with 退回 sending a
//! rectification that did not pass back to 整改中. Pure: no store, no clock.

use super::LedgerError;
use std::fmt;

/// Where an entry is in 反馈—整改—督查—销号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// 待整改: fed back, the unit has not started.
    Pending,
    /// 整改中: the unit is rectifying (also where a 退回 sends it).
    InProgress,
    /// 已整改待核: the unit reports it done; waiting for the check.
    AwaitingCheck,
    /// 已销号: checked and closed.
    Closed,
    /// 已撤销: never acted on, and its finding is no longer on the case's counting sheet
    /// (deleted, or the sheet was superseded by a 终评); only [`super::sync`] moves an entry
    /// here, and back to 待整改 if the finding counts again.
    Withdrawn,
}

impl State {
    /// Every state in order.
    pub const ALL: [State; 5] = [
        State::Pending,
        State::InProgress,
        State::AwaitingCheck,
        State::Closed,
        State::Withdrawn,
    ];

    /// The Chinese name, as stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            State::Pending => "待整改",
            State::InProgress => "整改中",
            State::AwaitingCheck => "已整改待核",
            State::Closed => "已销号",
            State::Withdrawn => "已撤销",
        }
    }

    /// Still to be dealt with: neither closed nor withdrawn.
    pub fn is_open(self) -> bool {
        !matches!(self, State::Closed | State::Withdrawn)
    }

    /// Parses a state from its Chinese name or an English one (pending, in-progress,
    /// awaiting-check, closed, withdrawn).
    pub fn parse(s: &str) -> Result<State, LedgerError> {
        match s.trim() {
            "待整改" | "pending" => Ok(State::Pending),
            "整改中" | "in-progress" => Ok(State::InProgress),
            "已整改待核" | "awaiting-check" => Ok(State::AwaitingCheck),
            "已销号" | "closed" => Ok(State::Closed),
            "已撤销" | "withdrawn" => Ok(State::Withdrawn),
            other => Err(LedgerError::UnknownState(other.to_owned())),
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What someone does to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// 推进: 待整改 → 整改中 (the unit starts), 整改中 → 已整改待核 (the unit reports it done).
    Advance,
    /// 退回: 已整改待核 → 整改中, the check found the rectification wanting. Needs a note.
    Return,
    /// 销号: 已整改待核 → 已销号, the check passed. Needs a note.
    Close,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 3] = [Action::Advance, Action::Return, Action::Close];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Action::Advance => "推进",
            Action::Return => "退回",
            Action::Close => "销号",
        }
    }

    /// The English name, as the command line takes it.
    pub fn key(self) -> &'static str {
        match self {
            Action::Advance => "advance",
            Action::Return => "return",
            Action::Close => "close",
        }
    }

    /// 退回 and 销号 must say why; 推进 need not.
    pub fn needs_note(self) -> bool {
        matches!(self, Action::Return | Action::Close)
    }
}

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
