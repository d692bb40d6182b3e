//! The messages between the pure [`update`](super::update::update) and the
//! [`Runner`](super::effects::Runner): [`Event`]s come in, [`Effect`]s go out. They live here,
//! below the dispatcher and the key handlers (browse, entry, forms, ledger), so that the handlers
//! need nothing from the dispatcher that calls them; the few helpers every handler shares are
//! here for the same reason.

use super::model::{CaseData, Model, Status, Step, Write};
use crate::ledger::{Change, Entry};
use crate::review::Comparison;
use crate::store::{Cursor, Draft, FindingRecord, LedgerEvent, NoteHit, PendingMark, Progress};
use crate::vocab::{CaseId, Date, EntryId};
use crossterm::event::KeyEvent;

/// Something that happened: a key, a paste, or the store's answer to an effect.
#[derive(Debug, Clone)]
pub enum Event {
    /// A key press.
    Key(KeyEvent),
    /// Pasted text (bracketed paste) or a string committed by an input method.
    Paste(String),
    /// Where the reviewer was last time, and what they were typing.
    Restore {
        /// The saved cursor.
        cursor: Option<Cursor>,
        /// The saved draft.
        draft: Option<Draft>,
    },
    /// Progress of every case, in case-list order.
    Progress(Vec<Progress>),
    /// The reviewer's sheet of every case in figures (total, grade, findings), in case-list
    /// order; `None` where the case has no sheet yet.
    Figures(Vec<Option<crate::store::SheetFigures>>),
    /// The case on screen, (re)loaded.
    CaseLoaded(Box<CaseData>),
    /// A write reached the disk.
    Saved {
        /// What was written.
        write: Write,
        /// The finding it added or deleted, if any.
        finding: Option<FindingRecord>,
        /// Whether `u` should be able to reverse it.
        undoable: bool,
    },
    /// A write or read failed; the message is for the reviewer.
    Failed(String),
    /// The store refused a finding because of one field of the entry form.
    Refused {
        /// Why, for the reviewer.
        message: String,
        /// The field at fault, where the cursor goes.
        field: Step,
    },
    /// Everything 待议 in the round.
    Pending(Vec<PendingMark>),
    /// Note-search results.
    Hits(Vec<NoteHit>),
    /// A case's sheets compared over every item.
    Compared(Box<Comparison>),
    /// Every entry of the rectification ledger.
    Ledger(Vec<Entry>),
    /// The state changes of a ledger entry, oldest first.
    LedgerHistory {
        /// The entry.
        id: EntryId,
        /// Its history.
        events: Vec<LedgerEvent>,
    },
    /// A ledger change reached the disk; the entry as it now is.
    LedgerSaved(Box<Entry>),
    /// `sync` added this many entries.
    LedgerSynced(crate::ledger::Synced),
    /// The round's progress by reviewer, as `pingcha progress` computes it.
    TeamProgress(Vec<crate::organise::progress::Line>),
}

/// What `update` asks the runner to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load the case with this id (and answer with [`Event::CaseLoaded`]).
    LoadCase(CaseId),
    /// Write to the store (answer with [`Event::Saved`] or [`Event::Failed`]).
    Write {
        /// The change.
        write: Write,
        /// Whether `u` should be able to reverse it.
        undoable: bool,
    },
    /// Save the finding being typed.
    SaveDraft(Draft),
    /// Drop the draft.
    ClearDraft,
    /// Save where the reviewer is.
    SaveCursor(Cursor),
    /// Load everything 待议 in the round.
    LoadPending,
    /// Search the notes of the round.
    Search(String),
    /// The reviewer's sheets in figures for the case list (answer with [`Event::Figures`]).
    LoadFigures,
    /// Compare the sheets of the case with this number (answer with [`Event::Compared`]).
    Compare(String),
    /// Load the whole ledger (answer with [`Event::Ledger`]).
    LoadLedger,
    /// Load an entry's history (answer with [`Event::LedgerHistory`]).
    LoadLedgerHistory(EntryId),
    /// Change a ledger entry with [`crate::ledger::set_on`], as `pingcha ledger set` does
    /// (answer with [`Event::LedgerSaved`] or [`Event::Failed`]).
    SetLedger {
        /// The entry id.
        id: EntryId,
        /// The change, made by the reviewer at the keyboard.
        change: Change,
        /// The day a 销号 is dated.
        today: Date,
    },
    /// Add entries for new findings with [`crate::ledger::sync`] (answer with
    /// [`Event::LedgerSynced`]).
    SyncLedger,
    /// Compute the round's progress by reviewer with [`crate::organise::progress::progress`]
    /// (answer with [`Event::TeamProgress`]).
    LoadTeamProgress,
}

/// Saves where the reviewer is (the case on screen and the selected line), as an effect.
pub(super) fn cursor_effect(model: &Model) -> Vec<Effect> {
    match (model.case(), model.selected_row()) {
        (Some(case), Some(row)) => vec![Effect::SaveCursor(Cursor {
            case_id: case.id.clone(),
            node: row.id.clone(),
        })],
        _ => Vec::new(),
    }
}

/// Puts a hint in the status line, in the reviewer's language; nothing to do outside.
pub(super) fn info(model: &mut Model, zh: &str, en: &str) -> Vec<Effect> {
    model.status = Status::Info(model.opts.lang.pick(zh, en).to_owned());
    Vec::new()
}
