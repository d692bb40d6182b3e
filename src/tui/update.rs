//! `update(&mut Model, Event) -> Vec<Effect>`: the whole behaviour of the TUI as a pure
//! function. No terminal, no database: what must touch the store is returned as [`Effect`]s,
//! and what the store answers comes back as [`Event`]s. It dispatches keys to the handlers
//! below it (browse, entry, forms, ledger), which share only [`super::message`].

use super::browse;
use super::describe;
use super::entry;
use super::filter;
use super::forms;
use super::keymap;
use super::ledger as ledger_view;
use super::message::cursor_effect;
pub use super::message::{Effect, Event};
use super::model::{CaseData, MetaForm, Mode, Model, RowKind, Status, Undo, Write};
use crate::store::{Cursor, Draft, FindingRecord, NewFinding};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

/// Applies one event to the model and returns what must be done outside.
pub fn update(model: &mut Model, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Event::Key(key) => key_event(model, key),
        Event::Paste(text) => paste(model, &text),
        Event::Restore { cursor, draft } => restore(model, cursor, draft),
        Event::Figures(figures) => {
            model.figures = figures;
            Vec::new()
        }
        Event::Progress(progress) => {
            model.progress = progress;
            Vec::new()
        }
        Event::CaseLoaded(data) => loaded(model, *data),
        Event::Saved {
            write,
            finding,
            undoable,
        } => saved(model, write, finding, undoable),
        Event::Failed(message) => {
            // An undo the store refused stays undoable.
            if let Some(u) = model.undoing.take() {
                model.undo.push(u);
            }
            match &mut model.mode {
                Mode::Entry(e) => {
                    e.saving = false;
                    e.error = Some(message.clone());
                }
                Mode::Meta(f) => f.error = Some(message.clone()),
                Mode::Grade(f) => f.error = Some(message.clone()),
                Mode::Ledger(v) => {
                    if let Some(f) = &mut v.form {
                        f.saving = false;
                        f.error = Some(message.clone());
                    }
                }
                _ => {}
            }
            model.status = Status::Error(message);
            Vec::new()
        }
        Event::Refused { message, field } => {
            if let Some(u) = model.undoing.take() {
                model.undo.push(u);
            }
            entry::set_error(model, message.clone(), field);
            model.status = Status::Error(message);
            Vec::new()
        }
        Event::Pending(list) => {
            model.pending = list;
            Vec::new()
        }
        Event::Hits(hits) => {
            model.hits = hits;
            if let Mode::Search(p) = &mut model.mode {
                p.selected = 0;
            }
            Vec::new()
        }
        Event::Compared(comparison) => {
            model.comparison = Some(*comparison);
            let focus = match &mut model.mode {
                Mode::Compare(v) => v.focus.take(),
                _ => None,
            };
            let at = focus.and_then(|id| model.compare_rows().iter().position(|r| r.id == id));
            if let Mode::Compare(v) = &mut model.mode {
                v.selected = at.unwrap_or(0);
            }
            Vec::new()
        }
        Event::Ledger(entries) => ledger_view::loaded(model, entries),
        Event::LedgerHistory { id, events } => {
            model.ledger_history = Some((id, events));
            Vec::new()
        }
        Event::LedgerSaved(entry) => ledger_view::saved(model, *entry),
        Event::LedgerSynced(synced) => ledger_view::synced(model, &synced),
        Event::TeamProgress(lines) => {
            model.team = Some(lines);
            Vec::new()
        }
    }
}

fn restore(model: &mut Model, cursor: Option<Cursor>, draft: Option<Draft>) -> Vec<Effect> {
    let target = draft
        .as_ref()
        .map(|d| (d.case_id.clone(), d.node.clone()))
        .or(cursor.map(|c| (c.case_id, c.node)));
    if let Some((case_id, node)) = &target
        && let Some(i) = model.cases.iter().position(|c| &c.id == case_id)
    {
        model.case_index = i;
        model.jump_to = Some(node.clone());
    }
    if let Some(d) = draft
        && model.rubric.scorable(&d.node).is_some()
    {
        model.mode = Mode::Entry(Box::new(entry::entry_from_draft(model, &d)));
        model.status = Status::Info(model.opts.lang.pick("已恢复未保存的草稿", "draft restored").to_owned());
    }
    model
        .case()
        .map(|c| vec![Effect::LoadCase(c.id.clone())])
        .unwrap_or_default()
}

fn loaded(model: &mut Model, data: CaseData) -> Vec<Effect> {
    if let Some(i) = model.cases.iter().position(|c| c.id == data.case.id) {
        model.cases[i] = data.case.clone();
        if let Some(p) = model.progress.get_mut(i) {
            *p = data.progress;
        }
    }
    model.data = Some(data);
    if let Some(node) = model.jump_to.take() {
        model.select_node(&node);
    }
    // A draft restored before its case arrived: its common problem may repeat one fed back.
    entry::sync_repeat(model);
    Vec::new()
}

fn saved(model: &mut Model, write: Write, finding: Option<FindingRecord>, undoable: bool) -> Vec<Effect> {
    let lang = model.opts.lang;
    let mut effects = Vec::new();
    let undone = (!undoable).then(|| model.undoing.take()).flatten();
    model.status = Status::Saved(match &undone {
        Some(u) => format!("{}{}", lang.pick("已撤销：", "undone: "), u.what),
        None => describe::saved(&write, finding.as_ref(), &model.rubric, lang),
    });
    if let Some(u) = &undone {
        model.select_node(&u.node);
    }
    if undoable && let Some(inverse) = inverse(&write, finding.as_ref()) {
        model.undo.push(Undo {
            write: inverse,
            what: describe::change(&write, finding.as_ref(), &model.rubric, lang),
            node: describe::node_of(&write, finding.as_ref()),
        });
    }
    match (&write, &mut model.mode) {
        (Write::AddFinding { finding, .. } | Write::CorrectFinding { finding, .. }, Mode::Entry(_)) => {
            model.last_volume = finding.volume.map(|v| v.to_string()).unwrap_or_default();
            model.last_page = finding.page.map(|p| p.to_string()).unwrap_or_default();
            model.mode = Mode::Browse;
            model.finding_cursor = usize::MAX;
            effects.push(Effect::ClearDraft);
        }
        (Write::SetField { .. }, Mode::Meta(f)) => {
            f.editing = None;
            f.error = None;
        }
        (Write::Decide { .. }, Mode::Grade(_)) => model.mode = Mode::Browse,
        _ => {}
    }
    if let Some(case) = model.case() {
        effects.push(Effect::LoadCase(case.id.clone()));
    }
    effects
}

/// The write that reverses `write`, if there is one. `finding` is the store's answer: the
/// finding added or deleted, or the version a correction replaced.
fn inverse(write: &Write, finding: Option<&FindingRecord>) -> Option<Write> {
    match write {
        Write::AddFinding { case_id, .. } | Write::RestoreFinding { case_id, .. } => {
            finding.map(|f| Write::DeleteFinding {
                case_id: case_id.clone(),
                id: f.id.clone(),
            })
        }
        Write::DeleteFinding { case_id, id } => Some(Write::RestoreFinding {
            case_id: case_id.clone(),
            id: finding.map_or(id.clone(), |f| f.id.clone()),
        }),
        Write::CorrectFinding { case_id, id, .. } => finding.map(|f| Write::CorrectFinding {
            case_id: case_id.clone(),
            id: id.clone(),
            finding: NewFinding {
                node: f.node.to_string(),
                quantity: f.quantity,
                note: f.note.clone(),
                volume: f.volume,
                page: f.page,
                problem: f.problem.as_deref().map(str::to_owned),
                repeat: f.repeat.clone(),
            },
        }),
        Write::SetMark {
            case_id,
            node,
            kind,
            on,
            note,
        } => Some(Write::SetMark {
            case_id: case_id.clone(),
            node: node.clone(),
            kind: *kind,
            on: !on,
            note: note.clone(),
        }),
        Write::SetField {
            case_id,
            key,
            value,
            old,
        } => Some(Write::SetField {
            case_id: case_id.clone(),
            key: key.clone(),
            value: old.clone(),
            old: value.clone(),
        }),
        Write::Decide { .. } => None,
    }
}

fn paste(model: &mut Model, text: &str) -> Vec<Effect> {
    match &mut model.mode {
        Mode::Filter(f) => {
            f.insert(text);
            model.filter = f.text().to_owned();
            model.refresh_visible();
            Vec::new()
        }
        Mode::Entry(_) => entry::entry_paste(model, text),
        Mode::Cases(p) | Mode::Pending(p) => {
            p.query.insert(text);
            p.selected = 0;
            Vec::new()
        }
        Mode::Search(p) => {
            p.query.insert(text);
            vec![Effect::Search(p.query.text().to_owned())]
        }
        Mode::Meta(MetaForm { editing: Some(f), .. }) => {
            f.insert(text);
            Vec::new()
        }
        Mode::Grade(g) => {
            g.reason.insert(text);
            Vec::new()
        }
        Mode::MarkReason(m) => {
            m.reason.insert(text);
            m.discard = false;
            Vec::new()
        }
        Mode::Ledger(v) => {
            if let Some(f) = v.form.as_mut().filter(|f| !f.saving) {
                f.text.insert(text);
                f.error = None;
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn key_event(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-C quits from anywhere; a half-typed finding stays as its draft.
    if keymap::global_action(key) == Some(keymap::GlobalAction::Quit) {
        model.quit = true;
        return cursor_effect(model);
    }
    // A message is about the last key: the next one clears it (its own may replace it).
    model.status = Status::Idle;
    match model.mode {
        Mode::Browse => match keymap::action(key) {
            Some(action) => browse::act(model, action),
            None => {
                model.asked = None;
                Vec::new()
            }
        },
        Mode::Help => {
            model.mode = Mode::Browse;
            Vec::new()
        }
        Mode::Filter(_) => filter_key(model, key),
        Mode::Entry(_) => entry::entry_key(model, key),
        Mode::Cases(_) | Mode::Pending(_) | Mode::Search(_) => forms::picker_key(model, key),
        Mode::Meta(_) => forms::meta_key(model, key),
        Mode::Grade(_) => forms::grade_key(model, key),
        Mode::MarkReason(_) => forms::mark_reason_key(model, key),
        Mode::Compare(_) => forms::compare_key(model, key),
        Mode::Ledger(_) => ledger_view::key(model, key),
        Mode::Progress(_) => forms::progress_key(model, key),
    }
}

fn filter_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::Filter(field) = &mut model.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            model.filter.clear();
            model.mode = Mode::Browse;
        }
        KeyCode::Enter | KeyCode::Down | KeyCode::Up => {
            model.mode = Mode::Browse;
            model.refresh_visible();
            let query = model.filter.trim().to_lowercase();
            let first_hit = model.visible.iter().position(|&i| {
                let r = &model.rows[i];
                r.kind != RowKind::Case && filter::matches(&query, &r.name, &r.initials, &r.id)
            });
            if let Some(pos) = first_hit {
                model.cursor = pos;
            }
            return cursor_effect(model);
        }
        _ => {
            field.key(key);
            model.filter = field.text().to_owned();
        }
    }
    model.refresh_visible();
    Vec::new()
}
