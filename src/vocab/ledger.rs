//! The ledger's vocabulary: where an entry is (待整改 → 整改中 → 已整改待核 → 已销号, or
//! 已撤销) and what someone does to it. Which action leads where is the ledger's business
//! ([`crate::ledger::transition`]); the words live here so the store can hold them typed.

use super::word::{UnknownWord, Word, stored_as_name};
use crate::lang::Lang;

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
    /// (deleted, or the sheet was superseded by a 终评); only [`crate::ledger::sync`] moves an entry
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
    pub const fn name(self) -> &'static str {
        match self {
            State::Pending => "待整改",
            State::InProgress => "整改中",
            State::AwaitingCheck => "已整改待核",
            State::Closed => "已销号",
            State::Withdrawn => "已撤销",
        }
    }

    /// The name shown in `lang`: the Chinese name, or English words for a reader (the
    /// command line's English is [`State::key`]).
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.name(),
            Lang::En => match self {
                State::Pending => "pending",
                State::InProgress => "in progress",
                State::AwaitingCheck => "to check",
                State::Closed => "closed",
                State::Withdrawn => "withdrawn",
            },
        }
    }

    /// Still to be dealt with: neither closed nor withdrawn.
    pub fn is_open(self) -> bool {
        !matches!(self, State::Closed | State::Withdrawn)
    }

    /// Parses a state from its Chinese name or an English one (pending, in-progress,
    /// awaiting-check, closed, withdrawn).
    pub fn parse(s: &str) -> Result<State, UnknownWord> {
        State::ALL
            .into_iter()
            .find(|st| st.name() == s.trim() || st.key() == s.trim())
            .ok_or_else(|| UnknownWord::new(Word::LedgerState, s))
    }

    /// The English name, as the command line also takes it.
    pub fn key(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::InProgress => "in-progress",
            State::AwaitingCheck => "awaiting-check",
            State::Closed => "closed",
            State::Withdrawn => "withdrawn",
        }
    }
}

stored_as_name!(State);

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
