//! The runner: carries out [`Effect`]s against the [`Store`] and answers with [`Event`]s.
//! Every write returns only once SQLite has it on disk, so a finding the reviewer confirmed is
//! durable before the next key is read.

use super::model::{CaseData, Model, Options, Step, Write};
use super::update::{Effect, Event, update};
use crate::lang::Localized;
use crate::ledger::{self, LedgerError};
use crate::review;
use crate::score::{self, Sheet};
use crate::store::{self, MarkKind, Progress, Store};
use crate::vocab::CaseId;
use std::collections::VecDeque;

/// How many note-search results to show.
const SEARCH_LIMIT: usize = 200;

/// Executes effects on an open store.
pub struct Runner {
    store: Store,
    opts: Options,
}

impl Runner {
    /// A runner writing to `store` as `opts.reviewer` at `opts.stage`.
    pub fn new(mut store: Store, opts: Options) -> Runner {
        // From now on, others' commits show as a change (see [`App::reload_if_changed`]).
        let _ = store.changed_by_others();
        Runner { store, opts }
    }

    /// Gives the store back, e.g. to close it.
    pub fn into_store(self) -> Store {
        self.store
    }

    /// Carries out one effect.
    pub fn run(&mut self, effect: Effect) -> Vec<Event> {
        let lang = self.opts.lang;
        let result = match effect {
            Effect::LoadCase(case_id) => self.load(&case_id).map(|d| vec![Event::CaseLoaded(Box::new(d))]),
            Effect::Write { write, undoable } => match self.write(&write) {
                Ok(finding) => Ok(vec![Event::Saved {
                    write,
                    finding,
                    undoable,
                }]),
                Err(e) => {
                    return vec![match field_at_fault(&e) {
                        Some(field) => Event::Refused {
                            message: e.localized(lang),
                            field,
                        },
                        None => Event::Failed(e.localized(lang)),
                    }];
                }
            },
            Effect::SaveDraft(draft) => self.store.save_draft(&draft).map(|()| Vec::new()),
            Effect::ClearDraft => self.store.clear_draft().map(|()| Vec::new()),
            Effect::SaveCursor(cursor) => self.store.save_cursor(&cursor).map(|()| Vec::new()),
            Effect::LoadPending => self.store.pending_marks().map(|p| vec![Event::Pending(p)]),
            Effect::LoadFigures => {
                self.store
                    .sheet_figures(&self.opts.reviewer, self.opts.stage)
                    .and_then(|mut by_case| {
                        // In the case list's order, which the store does not know.
                        let order = crate::organise::mine_first(&self.store, &self.opts.reviewer, self.store.cases()?)?;
                        Ok(vec![Event::Figures(
                            order.iter().map(|c| by_case.remove(&c.id)).collect(),
                        )])
                    })
            }
            Effect::Search(text) => self
                .store
                .search_notes(&text, SEARCH_LIMIT)
                .map(|h| vec![Event::Hits(h)]),
            Effect::Compare(case_no) => {
                review::compare_all(&self.store, &case_no).map(|c| vec![Event::Compared(Box::new(c))])
            }
            Effect::LoadLedgerHistory(id) => self
                .store
                .ledger_history(&id)
                .map(|events| vec![Event::LedgerHistory { id, events }]),
            Effect::LoadLedger => {
                return self.ledger(|store| ledger::all(store).map(Event::Ledger));
            }
            Effect::SetLedger { id, change, today } => {
                return self.ledger(|store| {
                    ledger::set_on(store, id.as_str(), &change, today).map(|e| Event::LedgerSaved(Box::new(e)))
                });
            }
            Effect::SyncLedger => return self.ledger(|store| ledger::sync(store).map(Event::LedgerSynced)),
            Effect::LoadTeamProgress => {
                return vec![match crate::organise::progress::progress(
                    &self.store,
                    crate::organise::progress::By::Reviewer,
                ) {
                    Ok(lines) => Event::TeamProgress(lines),
                    Err(e) => Event::Failed(e.localized(lang)),
                }];
            }
        };
        result.unwrap_or_else(|e| vec![Event::Failed(e.localized(lang))])
    }

    /// Runs a ledger call, its refusal (in the ledger's words) becoming [`Event::Failed`].
    fn ledger(&mut self, call: impl FnOnce(&mut Store) -> Result<Event, ledger::LedgerError>) -> Vec<Event> {
        vec![call(&mut self.store).unwrap_or_else(|e| Event::Failed(e.localized(self.opts.lang)))]
    }

    /// Writes; a finding goes through [`ledger::repeat::record`], so the automatic 从重 and
    /// its waiver follow the same rule as on the command line.
    fn write(&mut self, write: &Write) -> Result<Option<store::FindingRecord>, LedgerError> {
        let stage = self.opts.stage;
        Ok(match write {
            Write::AddFinding { case_id, finding } => {
                // Typed in the entry form as the draft: the finding and the draft's deletion are
                // one transaction.
                return self
                    .store
                    .finishing_draft(|store| ledger::repeat::record(store, case_id, stage, finding))
                    .map(|r| Some(r.finding));
            }
            Write::CorrectFinding { id, finding, .. } => self.store.correct_finding(id.as_str(), finding).map(Some),
            Write::DeleteFinding { id, .. } => self.store.delete_finding(id.as_str()).map(Some),
            Write::RestoreFinding { id, .. } => self.store.restore_finding(id).map(Some),
            Write::SetMark {
                case_id,
                node,
                kind,
                on,
                note,
            } => {
                // The TUI asked the reviewer before an N/A that drops findings: it forces.
                let mark = store::Mark {
                    node: node.clone(),
                    kind: *kind,
                    on: *on,
                    note: note.trim().to_owned(),
                    force: true,
                };
                self.store.mark(case_id, stage, &mark).map(|_| None)
            }
            Write::SetField {
                case_id, key, value, ..
            } => self.store.set_case_field(case_id, key, value).map(|()| None),
            Write::Decide { case_id, decision } => {
                let sheet = self.store.sheet(case_id, stage)?;
                self.store.decide(&sheet, decision).map(|()| None)
            }
        }?)
    }

    /// Loads a case without creating its sheet: a case only looked at stays "not started".
    fn load(&self, case_id: &CaseId) -> store::Result<CaseData> {
        let case = self
            .store
            .case_by_id(case_id)?
            .ok_or_else(|| store::StoreError::CaseNotFound(case_id.to_string()))?;
        let earlier = ledger::repeat::by_code(&self.store, &case)?;
        let sheet_id = store::ids::sheet_id(case_id, &self.opts.reviewer, self.opts.stage.name());
        let Some(sheet) = self.store.sheet_by_id(&sheet_id)? else {
            return Ok(CaseData {
                case,
                earlier,
                findings: Vec::new(),
                not_applicable: Default::default(),
                pending: Default::default(),
                pending_why: Default::default(),
                na_why: Default::default(),
                score: score::score(self.store.rubric()?, &Sheet::default()),
                progress: Progress::NotStarted,
            });
        };
        Ok(CaseData {
            case,
            earlier,
            findings: self.store.findings(&sheet.id)?,
            not_applicable: self
                .store
                .marked(&sheet.id, MarkKind::NotApplicable)?
                .into_iter()
                .collect(),
            pending: self.store.marked(&sheet.id, MarkKind::Pending)?.into_iter().collect(),
            pending_why: self.store.mark_notes(&sheet.id, MarkKind::Pending)?,
            na_why: self.store.mark_notes(&sheet.id, MarkKind::NotApplicable)?,
            score: self.store.score(&sheet)?,
            progress: self.store.sheet_progress(&sheet.id)?,
        })
    }
}

/// The field of the entry form a refused finding is to be corrected in.
fn field_at_fault(e: &LedgerError) -> Option<Step> {
    use store::StoreError as S;
    match e {
        LedgerError::Store(S::NoteRequired | S::UnknownProblem(_)) => Some(Step::Note),
        LedgerError::Store(S::Finding(_)) => Some(Step::Quantity),
        LedgerError::Store(S::VolumeOutOfRange { .. }) => Some(Step::Volume),
        LedgerError::Store(S::BadPage) => Some(Step::Page),
        _ => None,
    }
}

/// The model and the runner together: feed it events, it runs the effects to completion.
pub struct App {
    /// The state.
    pub model: Model,
    /// The effect runner.
    pub runner: Runner,
}

impl App {
    /// Opens the TUI's state on a store: the round, its cases, their progress, and the saved
    /// cursor and draft.
    pub fn open(store: Store, opts: Options) -> store::Result<App> {
        let round = store.round()?;
        let rubric = store.rubric()?.clone();
        let cases = crate::organise::mine_first(&store, &opts.reviewer, store.cases()?)?;
        let mine = crate::organise::assigned_to(&store, &opts.reviewer)?;
        let progress = store.progress(&opts.reviewer, opts.stage)?;
        let progress = cases
            .iter()
            .map(|c| progress.get(&c.id).copied().unwrap_or(Progress::NotStarted))
            .collect();
        let restore = Event::Restore {
            cursor: store.cursor()?,
            draft: store.draft()?,
        };
        let others = other_screens(&store, opts.lang);
        let mut model = Model::new(opts.clone(), round, rubric, cases);
        model.mine = mine;
        model.today = ledger::today();
        let mut app = App {
            model,
            runner: Runner::new(store, opts),
        };
        app.handle(Event::Progress(progress));
        app.handle(restore);
        if let Some(others) = others {
            app.model.status = super::model::Status::Info(others);
        }
        Ok(app)
    }

    /// Reloads the case on screen (and the progress list) when another program committed to
    /// the file since the last look; called on the event loop's tick.
    pub fn reload_if_changed(&mut self) {
        if !self.runner.store.changed_by_others().unwrap_or(false) {
            return;
        }
        if let Ok(progress) = self
            .runner
            .store
            .progress(&self.runner.opts.reviewer, self.runner.opts.stage)
        {
            let progress = self
                .model
                .cases
                .iter()
                .map(|c| progress.get(&c.id).copied().unwrap_or(Progress::NotStarted))
                .collect();
            self.handle(Event::Progress(progress));
        }
        if let Some(case) = self.model.case() {
            let id = case.id.clone();
            for event in self.runner.run(Effect::LoadCase(id)) {
                self.handle(event);
            }
        }
    }

    /// Applies an event and every effect it leads to, in order.
    pub fn handle(&mut self, event: Event) {
        let mut queue = VecDeque::from([event]);
        while let Some(event) = queue.pop_front() {
            for effect in update(&mut self.model, event) {
                queue.extend(self.runner.run(effect));
            }
        }
    }

    /// Closes the store (checkpointing the WAL into the round file), failing if that fails.
    pub fn close(self) -> store::Result<()> {
        self.runner.into_store().close()
    }

    /// Closes the store as the screen does on quitting: what fails then is a warning, every
    /// write having been committed (see [`Store::finish`]).
    #[must_use = "a failed tidy-up is a warning to show"]
    pub fn finish(self) -> Option<store::StoreError> {
        self.runner.into_store().finish()
    }
}

/// "Also open in another review screen: …" when another screen holds the file.
fn other_screens(store: &Store, lang: crate::lang::Lang) -> Option<String> {
    let screens: Vec<String> = store
        .other_holders()
        .iter()
        .filter(|h| h.is_screen())
        .map(|h| match lang {
            crate::lang::Lang::Zh => format!("{}（进程 {}，自 {} 起）", h.reviewer, h.pid, h.since()),
            crate::lang::Lang::En => format!("{} (pid {}, since {})", h.reviewer, h.pid, h.since()),
        })
        .collect();
    if screens.is_empty() {
        return None;
    }
    Some(match lang {
        crate::lang::Lang::Zh => format!("注意：此文件也在另一评查界面中打开：{}", screens.join("；")),
        crate::lang::Lang::En => format!(
            "note: this file is also open in another review screen: {}",
            screens.join("; ")
        ),
    })
}
