//! The TUI's state: everything the view draws and `update` changes. No I/O here.

use super::filter;
use super::text::TextField;
use crate::lang::Lang;
use crate::ledger::repeat::Notice;
use crate::ledger::{self, State as LedgerState};
use crate::review::{Comparison, ItemRow};
use crate::rubric::{Rubric, Rule, Scorable};
use crate::score::ScoreSheet;
use crate::store::Repeat;
use crate::store::{
    Case, FindingRecord, LedgerEvent, MarkKind, NoteHit, PendingMark, PriorProblem, Progress, Round, Stage,
};
use crate::vocab::{CaseId, Date, EntryId, FindingId};
use std::collections::{BTreeMap, BTreeSet};

/// Who is scoring, at which stage, in which language.
#[derive(Debug, Clone)]
pub struct Options {
    /// Language of labels.
    pub lang: Lang,
    /// The reviewer at the keyboard.
    pub reviewer: String,
    /// The stage being scored.
    pub stage: Stage,
    /// The ledger view colours an open entry yellow when its deadline is this many days away
    /// or fewer.
    pub due_days: u32,
}

/// How many days ahead the ledger view warns of a deadline unless told otherwise.
pub const DEFAULT_DUE_DAYS: u32 = 7;

/// What the runner loads for the case on screen.
#[derive(Debug, Clone)]
pub struct CaseData {
    /// The case and its metadata.
    pub case: Case,
    /// The live findings of the writer's sheet.
    pub findings: Vec<FindingRecord>,
    /// Nodes marked 不适用.
    pub not_applicable: BTreeSet<String>,
    /// Nodes marked 待议 (`""` is the whole case).
    pub pending: BTreeSet<String>,
    /// The reasons given for 待议 marks, by node (only those given).
    pub pending_why: BTreeMap<String, String>,
    /// The reasons given for 不适用 marks, by node (only those given).
    pub na_why: BTreeMap<String, String>,
    /// The sheet's score, from the engine.
    pub score: ScoreSheet,
    /// How far the sheet is.
    pub progress: Progress,
    /// Problem codes fed back to the case's unit in earlier rounds, with where.
    pub earlier: BTreeMap<String, Vec<PriorProblem>>,
}

/// What a line of the rubric tree shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// The whole case (total, 待议 on the case).
    Case,
    /// A category, by index.
    Category(usize),
    /// An item, by category and item index.
    Item(usize, usize),
    /// A sub-item, by category, item and sub-item index.
    SubItem(usize, usize, usize),
}

/// A line of the rubric tree with what filtering needs.
#[derive(Debug, Clone)]
pub struct Row {
    /// What it is.
    pub kind: RowKind,
    /// The node id (`""` for the case).
    pub id: String,
    /// The name.
    pub name: String,
    /// Pinyin initials of the name.
    pub initials: String,
}

/// A step of recording a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The count or amount.
    Quantity,
    /// The note.
    Note,
    /// The volume (卷).
    Volume,
    /// The page (页).
    Page,
    /// Why the automatic 从重 is removed (asked by Ctrl-R on it).
    Reason,
}

/// 从重 applied because the picked common problem was fed back to the case's unit before.
#[derive(Debug, Clone, Default)]
pub struct AutoRepeat {
    /// Set while the picked problem was fed back before.
    pub notice: Option<Notice>,
    /// The reason being typed.
    pub reason: TextField,
    /// The step to go back to once the reason is given (set while it is asked).
    pub back: Option<Step>,
    /// A draft restored before its case's earlier problems were known: whether its 从重 had been
    /// removed (the reason is in `reason`), applied once they are.
    pub restored_waiver: Option<bool>,
}

/// A finding being recorded.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The case.
    pub case_id: CaseId,
    /// The scorable node.
    pub node: String,
    /// The step with focus.
    pub step: Step,
    /// Count or amount as typed.
    pub quantity: TextField,
    /// The note.
    pub note: TextField,
    /// Index of the common problem picked (into the node's problems).
    pub problem: Option<usize>,
    /// Volume.
    pub volume: TextField,
    /// Page.
    pub page: TextField,
    /// 从重: by hand, automatic for a problem fed back before, or that removed with a reason.
    pub repeat: Repeat,
    /// Where the problem was fed back, and the removal reason being asked.
    pub auto: AutoRepeat,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Waiting for the store to confirm the save.
    pub saving: bool,
    /// Saving without 卷/页 was asked about once (the next save key saves).
    pub unplaced_asked: bool,
    /// The finding being corrected (its id): saving writes a new version of it.
    pub correcting: Option<FindingId>,
    /// Esc was pressed once on typed text: a second Esc discards it, any other key goes on
    /// editing (so the lone Esc an input method sends to cancel a composition costs nothing).
    pub discard: bool,
}

/// The optional reason asked when 待议 or 不适用 is set (`!`, `n`).
#[derive(Debug, Clone)]
pub struct MarkReason {
    /// The node the mark goes on (`""`: the whole case).
    pub node: String,
    /// 待议 or 不适用.
    pub kind: MarkKind,
    /// The reason, empty for none.
    pub reason: TextField,
    /// Esc was pressed once on a typed reason: a second Esc drops it, any other key goes on.
    pub discard: bool,
}

/// A list with a query line (case list, 待议 list, note search).
#[derive(Debug, Clone, Default)]
pub struct Picker {
    /// The query.
    pub query: TextField,
    /// The selected row among the matches.
    pub selected: usize,
}

/// The metadata form.
#[derive(Debug, Clone, Default)]
pub struct MetaForm {
    /// The selected field (index into the rubric's fields).
    pub selected: usize,
    /// The value being edited.
    pub editing: Option<TextField>,
    /// Why the last save was refused.
    pub error: Option<String>,
}

/// The grade-decision form.
#[derive(Debug, Clone, Default)]
pub struct GradeForm {
    /// The grade picked (index into the rubric's bands).
    pub grade: usize,
    /// Why (mandatory).
    pub reason: TextField,
    /// Why the last save was refused.
    pub error: Option<String>,
}

/// The reviewers' sheets of one case side by side.
#[derive(Debug, Clone, Default)]
pub struct CompareView {
    /// The case list to go back to (`None`: back to the rubric tree).
    pub back: Option<Picker>,
    /// The selected row (index into [`Model::compare_rows`]).
    pub selected: usize,
    /// Show every item of the rubric, not only those some sheet says something about.
    pub all: bool,
    /// The first sheet column shown when not all fit the screen (`h`/`l` scroll).
    pub first: usize,
    /// The item to select once the comparison arrives (a note-search hit on another reviewer's
    /// sheet opens here, read-only).
    pub focus: Option<String>,
}

/// What the ledger view's one-line form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerAsk {
    /// The note of a state change (mandatory in the TUI).
    Note(ledger::Action),
    /// A new deadline, `YYYY-MM-DD`.
    Deadline,
    /// The 整改措施 (empty clears them).
    Measures,
    /// The 佐证材料 (empty clears them).
    Evidence,
}

/// The one-line form of the ledger view.
#[derive(Debug, Clone)]
pub struct LedgerForm {
    /// The entry it changes.
    pub entry_id: EntryId,
    /// What it asks for.
    pub ask: LedgerAsk,
    /// What was typed.
    pub text: TextField,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Waiting for the store to confirm the save.
    pub saving: bool,
}

/// The rectification ledger (整改台账) on screen: its filters, selection and form.
#[derive(Debug, Clone, Default)]
pub struct LedgerView {
    /// Only this handling unit.
    pub unit: Option<String>,
    /// Only this state.
    pub state: Option<LedgerState>,
    /// Only entries overdue on [`Model::today`].
    pub overdue: bool,
    /// The selected entry (index into [`Model::ledger_rows`]).
    pub selected: usize,
    /// The note, deadline, measures or evidence being typed.
    pub form: Option<LedgerForm>,
    /// `S` was pressed once: a second `S` syncs, any other key cancels.
    pub sync_asked: bool,
}

impl LedgerView {
    /// The ledger's filter for what the view shows on `today`.
    pub fn filter(&self, today: Date) -> ledger::Filter {
        ledger::Filter {
            unit: self.unit.clone(),
            state: self.state,
            overdue_on: self.overdue.then_some(today),
        }
    }
}

/// The round's progress on screen (`P`).
#[derive(Debug, Clone, Default)]
pub struct ProgressView {
    /// The selected line (index into [`Model::team`]).
    pub selected: usize,
}

/// What has the keyboard.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Moving in the rubric tree.
    Browse,
    /// Typing a filter.
    Filter(TextField),
    /// Recording a finding.
    Entry(Box<Entry>),
    /// The key help.
    Help,
    /// The case list.
    Cases(Picker),
    /// Everything 待议 in the round.
    Pending(Picker),
    /// Searching notes.
    Search(Picker),
    /// Editing metadata.
    Meta(MetaForm),
    /// Deciding the grade.
    Grade(GradeForm),
    /// The optional reason of a 待议 or 不适用 mark being set.
    MarkReason(MarkReason),
    /// Comparing the reviewers' sheets of a case.
    Compare(CompareView),
    /// The rectification ledger.
    Ledger(LedgerView),
    /// The round's progress by reviewer.
    Progress(ProgressView),
}

/// The last word on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Nothing to say.
    Idle,
    /// The last write is on disk; what it did ("已记录 …").
    Saved(String),
    /// A hint.
    Info(String),
    /// A refusal or failure.
    Error(String),
}

/// A change the store made, and so one `u` can reverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Record a finding on the case's sheet.
    AddFinding {
        /// The case.
        case_id: CaseId,
        /// The finding.
        finding: crate::store::NewFinding,
    },
    /// Correct a finding: a new version of it under the same id.
    CorrectFinding {
        /// The case.
        case_id: CaseId,
        /// The finding id.
        id: FindingId,
        /// What it says now (its node stays).
        finding: crate::store::NewFinding,
    },
    /// Delete (tombstone) a finding.
    DeleteFinding {
        /// The case.
        case_id: CaseId,
        /// The finding id.
        id: FindingId,
    },
    /// Bring a deleted finding back under its id (the undo of a delete).
    RestoreFinding {
        /// The case.
        case_id: CaseId,
        /// The finding id.
        id: FindingId,
    },
    /// Set or clear a mark.
    SetMark {
        /// The case.
        case_id: CaseId,
        /// The node (`""` for the case).
        node: String,
        /// 不适用 / 待议 / done.
        kind: MarkKind,
        /// Set or clear.
        on: bool,
        /// Why (optional; on a clear, the reason the mark had, so that undoing it brings the
        /// reason back).
        note: String,
    },
    /// Set a metadata field.
    SetField {
        /// The case.
        case_id: CaseId,
        /// Field key.
        key: String,
        /// New value.
        value: String,
        /// The value before, for undo.
        old: String,
    },
    /// Decide the grade.
    Decide {
        /// The case.
        case_id: CaseId,
        /// The decision.
        decision: crate::score::Decision,
    },
}

/// A change `u` can reverse: the write that reverses it, and what it was, to say and show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// The write that reverses the change.
    pub write: Write,
    /// The change in words ("删除 第2卷第5页 …").
    pub what: String,
    /// The node it is about (`""`: the whole case), where `u` moves the cursor.
    pub node: String,
}

/// The rows of a comparison: those some sheet scored, marked or vetoed, or every item (`all`).
pub fn compare_rows(comparison: Option<&Comparison>, all: bool) -> Vec<&ItemRow> {
    comparison
        .iter()
        .flat_map(|c| &c.items)
        .filter(|r| all || r.cells.iter().any(|c| !c.is_blank()))
        .collect()
}

/// What a key handler reads, borrowed from the [`Model`] beside the mode it changes
/// ([`Model::split`]): the round's rubric and cases, the case on screen and the loaded lists.
#[derive(Debug, Clone, Copy)]
pub struct Session<'a> {
    /// Who, which stage, which language.
    pub opts: &'a Options,
    /// The round's rubric.
    pub rubric: &'a Rubric,
    /// Every case of the round, in list order.
    pub cases: &'a [Case],
    /// Pinyin initials of each case's title and unit.
    pub case_initials: &'a [String],
    /// The ids of the cases assigned to the reviewer (我的案件).
    pub mine: &'a BTreeSet<CaseId>,
    /// The case list shows only those.
    pub mine_only: bool,
    /// The case on screen.
    pub case_index: usize,
    /// Its data, once loaded.
    pub data: Option<&'a CaseData>,
    /// The 待议 list.
    pub pending: &'a [PendingMark],
    /// Note-search results.
    pub hits: &'a [NoteHit],
    /// The comparison on screen.
    pub comparison: Option<&'a Comparison>,
}

impl<'a> Session<'a> {
    /// The case on screen.
    pub fn case(&self) -> Option<&'a Case> {
        self.cases.get(self.case_index)
    }
}

/// The whole state of the TUI.
#[derive(Debug, Clone)]
pub struct Model {
    /// Who, which stage, which language.
    pub opts: Options,
    /// The round.
    pub round: Round,
    /// The round's rubric.
    pub rubric: Rubric,
    /// Every case of the round, in list order.
    pub cases: Vec<Case>,
    /// Pinyin initials of each case's title and unit ("wjg dyscdcs"), for the case list.
    pub case_initials: Vec<String>,
    /// The ids of the cases assigned to the reviewer (我的案件): they come first in `cases`,
    /// and the case list heads them so. Empty when the round assigns them nothing.
    pub mine: BTreeSet<CaseId>,
    /// The case list shows only the reviewer's cases (`^O` in it toggles).
    pub mine_only: bool,
    /// The round's progress by reviewer, once loaded (`P`).
    pub team: Option<Vec<crate::organise::progress::Line>>,
    /// Progress of each case (same order as `cases`).
    pub progress: Vec<Progress>,
    /// The reviewer's sheet of each case in figures (same order as `cases`; `None`: no sheet),
    /// loaded when the case list opens.
    pub figures: Vec<Option<crate::store::SheetFigures>>,
    /// The case on screen.
    pub case_index: usize,
    /// Its data, once loaded.
    pub data: Option<CaseData>,
    /// Every line of the tree.
    pub rows: Vec<Row>,
    /// The lines shown (indices into `rows`), after folding and filtering.
    pub visible: Vec<usize>,
    /// The selected line (index into `visible`).
    pub cursor: usize,
    /// Folded categories.
    pub folded: BTreeSet<usize>,
    /// The item filter.
    pub filter: String,
    /// The selected finding among those of the selected line.
    pub finding_cursor: usize,
    /// What has the keyboard.
    pub mode: Mode,
    /// The status line's last word.
    pub status: Status,
    /// Changes `u` can reverse, newest last (cleared when the case changes).
    pub undo: Vec<Undo>,
    /// The change being undone, until the store confirms it.
    pub undoing: Option<Undo>,
    /// The case panel shows one line (`i`), leaving the rows to the findings.
    pub meta_collapsed: bool,
    /// A browsing key that asked to be pressed again before it acts (`f` on a done case).
    pub asked: Option<crate::tui::keymap::Action>,
    /// The item or category whose 不适用 waits for a second press: it has findings, which
    /// would stop counting (any other key cancels).
    pub confirm_na: Option<String>,
    /// Volume of the last finding.
    pub last_volume: String,
    /// Page of the last finding.
    pub last_page: String,
    /// The node to select once the loading case arrives.
    pub jump_to: Option<String>,
    /// The 待议 list, when loaded.
    pub pending: Vec<PendingMark>,
    /// Note-search results.
    pub hits: Vec<NoteHit>,
    /// The comparison of a case's sheets over every item, when loaded.
    pub comparison: Option<Comparison>,
    /// Every entry of the rectification ledger, once loaded.
    pub ledger: Option<Vec<ledger::Entry>>,
    /// The state changes of one ledger entry (its id, then the events oldest first).
    pub ledger_history: Option<(EntryId, Vec<LedgerEvent>)>,
    /// The ledger view's filters when it was last left, to reopen it with.
    pub ledger_filters: LedgerView,
    /// The day (`YYYY-MM-DD`) the ledger view judges deadlines by and dates a 销号 with: the
    /// runner's [`App::open`](super::App::open) sets today's date, tests a fixed one.
    pub today: Date,
    /// Set when the reviewer quits.
    pub quit: bool,
}

impl Model {
    /// A model for a round, showing no case yet (the runner loads one).
    pub fn new(opts: Options, round: Round, rubric: Rubric, cases: Vec<Case>) -> Model {
        let mut rows = vec![Row {
            kind: RowKind::Case,
            id: String::new(),
            name: opts.lang.pick("全案", "whole case").to_owned(),
            initials: String::new(),
        }];
        let row = |kind, id: &str, name: &str| Row {
            kind,
            id: id.to_owned(),
            name: name.to_owned(),
            initials: filter::initials(name),
        };
        for (ci, c) in rubric.categories.iter().enumerate() {
            rows.push(row(RowKind::Category(ci), &c.id, &c.name));
            for (ii, i) in c.items.iter().enumerate() {
                rows.push(row(RowKind::Item(ci, ii), &i.id, &i.name));
                for (si, s) in i.subitems.iter().enumerate() {
                    rows.push(row(RowKind::SubItem(ci, ii, si), &s.id, &s.name));
                }
            }
        }
        let case_initials = cases
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    filter::initials(c.field("title")),
                    filter::initials(c.field("unit"))
                )
            })
            .collect();
        let progress = vec![Progress::NotStarted; cases.len()];
        let mut model = Model {
            opts,
            round,
            rubric,
            cases,
            case_initials,
            mine: BTreeSet::new(),
            mine_only: false,
            team: None,
            progress,
            figures: Vec::new(),
            case_index: 0,
            data: None,
            rows,
            visible: Vec::new(),
            cursor: 0,
            folded: BTreeSet::new(),
            filter: String::new(),
            finding_cursor: 0,
            mode: Mode::Browse,
            status: Status::Idle,
            undo: Vec::new(),
            undoing: None,
            asked: None,
            last_volume: String::new(),
            last_page: String::new(),
            jump_to: None,
            pending: Vec::new(),
            hits: Vec::new(),
            comparison: None,
            ledger: None,
            ledger_history: None,
            ledger_filters: LedgerView::default(),
            confirm_na: None,
            meta_collapsed: false,
            today: crate::ledger::today(),
            quit: false,
        };
        model.refresh_visible();
        model
    }

    /// Recomputes the visible lines after a fold or filter change, keeping the selection.
    pub fn refresh_visible(&mut self) {
        let keep = self.selected_row().map(|r| r.id.clone());
        let query = self.filter.trim().to_lowercase();
        self.visible = if query.is_empty() {
            (0..self.rows.len())
                .filter(|&i| match self.rows[i].kind {
                    RowKind::Item(ci, _) | RowKind::SubItem(ci, _, _) => !self.folded.contains(&ci),
                    _ => true,
                })
                .collect()
        } else {
            let hit: Vec<bool> = self
                .rows
                .iter()
                .map(|r| r.kind != RowKind::Case && filter::matches(&query, &r.name, &r.initials, &r.id))
                .collect();
            (0..self.rows.len())
                .filter(|&i| {
                    let r = &self.rows[i];
                    let related = |j: usize| match (r.kind, self.rows[j].kind) {
                        (RowKind::Category(c), RowKind::Item(c2, _) | RowKind::SubItem(c2, _, _)) => c == c2,
                        (RowKind::Item(c, i), RowKind::SubItem(c2, i2, _)) => c == c2 && i == i2,
                        (RowKind::Item(c, _) | RowKind::SubItem(c, _, _), RowKind::Category(c2)) => c == c2,
                        (RowKind::SubItem(c, i, _), RowKind::Item(c2, i2)) => c == c2 && i == i2,
                        _ => false,
                    };
                    r.kind == RowKind::Case || hit[i] || (0..self.rows.len()).any(|j| hit[j] && related(j))
                })
                .collect()
        };
        self.cursor = keep
            .and_then(|id| self.visible.iter().position(|&i| self.rows[i].id == id))
            .unwrap_or(self.cursor.min(self.visible.len().saturating_sub(1)));
    }

    /// The rows of the comparison on screen: the items some sheet scored, marked or vetoed, or
    /// every item when the view shows all.
    pub fn compare_rows(&self) -> Vec<&ItemRow> {
        compare_rows(
            self.comparison.as_ref(),
            matches!(&self.mode, Mode::Compare(v) if v.all),
        )
    }

    /// The mode to change, and everything else to read: a key handler gets its mode's state and
    /// the session without cloning the rubric or the case it reads.
    pub fn split(&mut self) -> (&mut Mode, Session<'_>) {
        let Model {
            mode,
            opts,
            rubric,
            cases,
            case_initials,
            mine,
            mine_only,
            case_index,
            data,
            pending,
            hits,
            comparison,
            ..
        } = self;
        let session = Session {
            opts,
            rubric,
            cases,
            case_initials,
            mine,
            mine_only: *mine_only,
            case_index: *case_index,
            data: data.as_ref(),
            pending,
            hits,
            comparison: comparison.as_ref(),
        };
        (mode, session)
    }

    /// The session, read-only (for the view, which reads what the handlers read).
    pub fn session(&self) -> Session<'_> {
        Session {
            opts: &self.opts,
            rubric: &self.rubric,
            cases: &self.cases,
            case_initials: &self.case_initials,
            mine: &self.mine,
            mine_only: self.mine_only,
            case_index: self.case_index,
            data: self.data.as_ref(),
            pending: &self.pending,
            hits: &self.hits,
            comparison: self.comparison.as_ref(),
        }
    }

    /// The ledger entries the ledger view shows, after its filters, in ledger order.
    pub fn ledger_rows(&self) -> Vec<&ledger::Entry> {
        let Mode::Ledger(view) = &self.mode else {
            return Vec::new();
        };
        let filter = view.filter(self.today);
        self.ledger.iter().flatten().filter(|e| filter.accepts(e)).collect()
    }

    /// The ledger entry selected in the ledger view.
    pub fn selected_ledger_entry(&self) -> Option<&ledger::Entry> {
        let Mode::Ledger(view) = &self.mode else {
            return None;
        };
        let rows = self.ledger_rows();
        rows.get(view.selected.min(rows.len().saturating_sub(1))).copied()
    }

    /// The handling units of the ledger, each once, in ledger order.
    pub fn ledger_units(&self) -> Vec<&str> {
        let mut units: Vec<&str> = Vec::new();
        for e in self.ledger.iter().flatten() {
            if !units.contains(&e.row.unit.as_str()) {
                units.push(&e.row.unit);
            }
        }
        units
    }

    /// The selected line.
    pub fn selected_row(&self) -> Option<&Row> {
        self.visible.get(self.cursor).map(|&i| &self.rows[i])
    }

    /// Whether the reviewer marked the case on screen done.
    pub fn case_done(&self) -> bool {
        match &self.data {
            Some(d) if self.case().is_some_and(|c| c.id == d.case.id) => d.progress == Progress::Done,
            _ => self.progress.get(self.case_index) == Some(&Progress::Done),
        }
    }

    /// The case on screen.
    pub fn case(&self) -> Option<&Case> {
        self.cases.get(self.case_index)
    }

    /// The scorable node of a line, if findings go on it.
    pub fn scorable_of(&self, kind: RowKind) -> Option<Scorable<'_>> {
        let id = match kind {
            RowKind::Item(ci, ii) => {
                let item = &self.rubric.categories.get(ci)?.items.get(ii)?;
                item.subitems.is_empty().then_some(item.id.as_str())?
            }
            RowKind::SubItem(ci, ii, si) => &self.rubric.categories.get(ci)?.items.get(ii)?.subitems.get(si)?.id,
            _ => return None,
        };
        self.rubric.scorable(id)
    }

    /// Whether a finding on `node` belongs under a line.
    pub fn row_owns(&self, kind: RowKind, node: &str) -> bool {
        let Some(s) = self.rubric.scorable(node) else {
            return false;
        };
        match kind {
            RowKind::Case => true,
            RowKind::Category(ci) => self.rubric.categories.get(ci).is_some_and(|c| c.id == s.category.id),
            RowKind::Item(ci, ii) => self
                .rubric
                .categories
                .get(ci)
                .and_then(|c| c.items.get(ii))
                .is_some_and(|i| i.id == s.item.id),
            RowKind::SubItem(..) => self.scorable_of(kind).is_some_and(|n| n.id() == node),
        }
    }

    /// The findings under the selected line, oldest first.
    pub fn selected_findings(&self) -> Vec<&FindingRecord> {
        let (Some(row), Some(data)) = (self.selected_row(), &self.data) else {
            return Vec::new();
        };
        data.findings
            .iter()
            .filter(|f| self.row_owns(row.kind, &f.node))
            .collect()
    }

    /// The node a 不适用 mark on a line goes on: the item or the category.
    pub fn na_node(&self, kind: RowKind) -> Option<&str> {
        match kind {
            RowKind::Category(ci) => Some(&self.rubric.categories.get(ci)?.id),
            RowKind::Item(ci, ii) | RowKind::SubItem(ci, ii, _) => {
                Some(&self.rubric.categories.get(ci)?.items.get(ii)?.id)
            }
            RowKind::Case => None,
        }
    }

    /// Whether findings on a rule count as veto / bonus lines (for marks in the tree).
    pub fn rule_of(&self, kind: RowKind) -> Option<&Rule> {
        self.scorable_of(kind).map(|s| s.rule())
    }

    /// Moves the selection to the line of `node`, unfolding and clearing the filter if needed.
    pub fn select_node(&mut self, node: &str) {
        if !self.visible.iter().any(|&i| self.rows[i].id == node) {
            self.filter.clear();
            if let Some(ci) = self.rows.iter().find(|r| r.id == node).and_then(|r| match r.kind {
                RowKind::Item(ci, _) | RowKind::SubItem(ci, _, _) => Some(ci),
                _ => None,
            }) {
                self.folded.remove(&ci);
            }
            self.refresh_visible();
        }
        if let Some(pos) = self.visible.iter().position(|&i| self.rows[i].id == node) {
            self.cursor = pos;
        }
        self.finding_cursor = usize::MAX;
    }
}
