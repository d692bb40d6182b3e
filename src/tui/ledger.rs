//! Keys of the rectification ledger view (`L`): moving, filtering by unit, state and overdue,
//! 推进 / 退回 / 销号 with a note (mandatory here, for all three), and a new deadline. The
//! changes are [`crate::ledger::set_on`]'s, carried out by the runner as `pingcha ledger set`
//! does; a transition the state machine refuses is refused with its own message before any
//! note is asked.

use super::keymap::{LedgerAction, ledger_action};
use super::message::{Effect, info};
use super::model::{LedgerAsk, LedgerForm, LedgerView, Mode, Model, Status};
use super::text::TextField;
use crate::lang::{Lang, Localized};
use crate::ledger::{self, Action, Change, Entry, State};
use crate::vocab::{Date, EntryId};
use crossterm::event::{KeyCode, KeyEvent};

/// Opens the ledger view with the filters it was left with, and loads the ledger.
pub(super) fn open(model: &mut Model) -> Vec<Effect> {
    let last = &model.ledger_filters;
    model.mode = Mode::Ledger(LedgerView {
        unit: last.unit.clone(),
        state: last.state,
        overdue: last.overdue,
        ..LedgerView::default()
    });
    model.ledger_history = None;
    vec![Effect::LoadLedger]
}

/// The ledger arrived: shown by unit, case number and problem code (the store keeps it by
/// derived ids, which say nothing to the reader); the selected entry stays selected if it is
/// still shown.
pub(super) fn loaded(model: &mut Model, mut entries: Vec<Entry>) -> Vec<Effect> {
    let keep = model.selected_ledger_entry().map(|e| e.row.id.clone());
    fn key(e: &Entry) -> (&str, &str, Option<&str>, &str, &str) {
        let r = &e.row;
        (&r.unit, &e.case_no, r.problem_code.as_deref(), &r.note, r.id.as_str())
    }
    entries.sort_by(|a, b| key(a).cmp(&key(b)));
    model.ledger = Some(entries);
    reselect(model, keep)
}

/// A change is on disk: close the form and reload the ledger and the entry's history.
pub(super) fn saved(model: &mut Model, entry: Entry) -> Vec<Effect> {
    model.status = Status::Saved(format!(
        "{}{}",
        model.opts.lang.pick("已保存：", "saved: "),
        entry.row.state
    ));
    model.ledger_history = None;
    if let Some(list) = &mut model.ledger
        && let Some(old) = list.iter_mut().find(|e| e.row.id == entry.row.id)
    {
        *old = entry;
    }
    if let Mode::Ledger(v) = &mut model.mode {
        v.form = None;
    }
    vec![Effect::LoadLedger]
}

/// `sync` is done: say how many entries it added and reload.
pub(super) fn synced(model: &mut Model, synced: &crate::ledger::Synced) -> Vec<Effect> {
    let stranded = synced.stranded.len();
    let mut text = synced.localized(model.opts.lang);
    if stranded > 0 {
        text.push_str(&match model.opts.lang {
            Lang::Zh => format!("；{stranded} 条在整改的问题来源已不计分（见 ledger sync）"),
            Lang::En => format!("; {stranded} worked entries no longer count (see ledger sync)"),
        });
    }
    model.status = Status::Info(text);
    vec![Effect::LoadLedger]
}

/// A key in the ledger view.
pub(super) fn key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if matches!(&model.mode, Mode::Ledger(v) if v.form.is_some()) {
        return form_key(model, key);
    }
    // `S` asks first: a sync adds every settled sheet's new problems to the shared ledger.
    let sync_asked = matches!(&model.mode, Mode::Ledger(v) if v.sync_asked);
    if let Mode::Ledger(v) = &mut model.mode {
        v.sync_asked = false;
    }
    let action = ledger_action(key);
    if sync_asked && action != Some(LedgerAction::Sync) {
        model.status = Status::Info(model.opts.lang.pick("未同步", "not synced").to_owned());
        return Vec::new();
    }
    let Some(action) = action else {
        return Vec::new();
    };
    let keep = model.selected_ledger_entry().map(|e| e.row.id.clone());
    let last = model.ledger_rows().len().saturating_sub(1);
    let units: Vec<String> = model.ledger_units().into_iter().map(String::from).collect();
    let Mode::Ledger(view) = &mut model.mode else {
        return Vec::new();
    };
    match action {
        LedgerAction::Down => view.selected = (view.selected + 1).min(last),
        LedgerAction::Up => view.selected = view.selected.min(last).saturating_sub(1),
        LedgerAction::Top => view.selected = 0,
        LedgerAction::Bottom => view.selected = last,
        LedgerAction::NextUnit | LedgerAction::PrevUnit => {
            view.unit = cycle(&units, view.unit.as_deref(), action == LedgerAction::NextUnit);
            return reselect(model, keep);
        }
        LedgerAction::NextState => {
            view.state = match view.state {
                None => State::ALL.first().copied(),
                Some(s) => State::ALL.iter().skip_while(|x| **x != s).nth(1).copied(),
            };
            return reselect(model, keep);
        }
        LedgerAction::Overdue => {
            view.overdue = !view.overdue;
            return reselect(model, keep);
        }
        LedgerAction::ClearFilters => {
            view.unit = None;
            view.state = None;
            view.overdue = false;
            return reselect(model, keep);
        }
        LedgerAction::Advance => return ask_note(model, Action::Advance),
        LedgerAction::Return => return ask_note(model, Action::Return),
        LedgerAction::Close => return ask_note(model, Action::Close),
        LedgerAction::Deadline => return ask_field(model, LedgerAsk::Deadline),
        LedgerAction::Measures => return ask_field(model, LedgerAsk::Measures),
        LedgerAction::Evidence => return ask_field(model, LedgerAsk::Evidence),
        LedgerAction::Sync if sync_asked => return vec![Effect::SyncLedger],
        LedgerAction::Sync => {
            view.sync_asked = true;
            model.status = Status::Info(
                model
                    .opts
                    .lang
                    .pick(
                        "再按 S 同步：把定稿评查表的新问题加入整改台账（其他键取消）",
                        "S again syncs: settled sheets' new problems go into the ledger (any other key cancels)",
                    )
                    .to_owned(),
            );
            return Vec::new();
        }
        LedgerAction::Back => {
            if let Mode::Ledger(view) = std::mem::replace(&mut model.mode, Mode::Browse) {
                model.ledger_filters = view;
            }
            return Vec::new();
        }
    }
    history_effect(model)
}

/// The unit after (or before) `current` in all units, with "all" (`None`) between the last
/// and the first.
fn cycle(units: &[String], current: Option<&str>, forward: bool) -> Option<String> {
    let n = units.len() + 1;
    let at = current
        .and_then(|u| units.iter().position(|x| x == u))
        .map_or(0, |i| i + 1);
    let next = if forward { (at + 1) % n } else { (at + n - 1) % n };
    next.checked_sub(1).and_then(|i| units.get(i)).cloned()
}

/// Selects the entry `keep` if the filters still show it, else stays at the same row as near
/// as there is one; loads the selected entry's history.
fn reselect(model: &mut Model, keep: Option<EntryId>) -> Vec<Effect> {
    let rows = model.ledger_rows();
    let at = keep.and_then(|id| rows.iter().position(|e| e.row.id == id));
    let last = rows.len().saturating_sub(1);
    if let Mode::Ledger(view) = &mut model.mode {
        view.selected = at.unwrap_or(view.selected.min(last));
    }
    history_effect(model)
}

/// Loads the selected entry's history unless it is the one loaded.
fn history_effect(model: &Model) -> Vec<Effect> {
    let Some(entry) = model.selected_ledger_entry() else {
        return Vec::new();
    };
    match &model.ledger_history {
        Some((id, _)) if *id == entry.row.id => Vec::new(),
        _ => vec![Effect::LoadLedgerHistory(entry.row.id.clone())],
    }
}

/// Asks for the note of `action` on the selected entry, unless the state machine refuses it.
fn ask_note(model: &mut Model, action: Action) -> Vec<Effect> {
    let lang = model.opts.lang;
    let Some(entry) = model.selected_ledger_entry() else {
        return info(model, "没有选中的整改问题", "no entry selected");
    };
    if let Err(refused) = ledger::transition(entry.row.state, action) {
        model.status = Status::Error(refused.localized(lang));
        return Vec::new();
    }
    ask_field(model, LedgerAsk::Note(action))
}

/// Opens the form for `ask` on the selected entry, starting from what the entry has (a note
/// starts empty).
fn ask_field(model: &mut Model, ask: LedgerAsk) -> Vec<Effect> {
    let Some(entry) = model.selected_ledger_entry() else {
        return info(model, "没有选中的整改问题", "no entry selected");
    };
    let now = match ask {
        LedgerAsk::Note(_) => String::new(),
        LedgerAsk::Deadline => entry.row.deadline.map(|d| d.to_string()).unwrap_or_default(),
        LedgerAsk::Measures => entry.row.measures.clone(),
        LedgerAsk::Evidence => entry.row.evidence.clone(),
    };
    let form = LedgerForm {
        entry_id: entry.row.id.clone(),
        ask,
        text: TextField::new(&now),
        error: None,
        saving: false,
    };
    if let Mode::Ledger(view) = &mut model.mode {
        view.form = Some(form);
    }
    model.status = Status::Idle;
    Vec::new()
}

/// A key in the note or deadline form: Enter saves (an empty field is refused here, and
/// nothing is written), Esc cancels.
fn form_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let lang = model.opts.lang;
    let by = model.opts.reviewer.clone();
    let today = model.today;
    let Mode::Ledger(view) = &mut model.mode else {
        return Vec::new();
    };
    let Some(form) = &mut view.form else {
        return Vec::new();
    };
    if form.saving {
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc => view.form = None,
        KeyCode::Enter => {
            let text = form.text.text().trim().to_owned();
            let (change, missing) = match form.ask {
                LedgerAsk::Note(action) => (
                    Change {
                        action: Some(action),
                        note: text.clone(),
                        by,
                        ..Change::default()
                    },
                    match lang {
                        Lang::Zh => format!("{}须填写说明，未保存", action.name()),
                        Lang::En => format!("{} needs a note; nothing saved", action.key()),
                    },
                ),
                LedgerAsk::Deadline if !text.is_empty() => match Date::parse(&text) {
                    Ok(d) => (
                        Change {
                            deadline: Some(d),
                            by,
                            ..Change::default()
                        },
                        String::new(),
                    ),
                    Err(bad) => {
                        let refused = bad.localized(lang);
                        form.error = Some(refused.clone());
                        model.status = Status::Error(refused);
                        return Vec::new();
                    }
                },
                LedgerAsk::Deadline => (
                    Change::default(),
                    lang.pick(
                        "请填写整改期限，如 2026-12-31；未保存",
                        "give the deadline, e.g. 2026-12-31; nothing saved",
                    )
                    .to_owned(),
                ),
                // Clearing 整改措施 or 佐证材料 is allowed: nothing is missing.
                LedgerAsk::Measures | LedgerAsk::Evidence => (
                    Change {
                        measures: (form.ask == LedgerAsk::Measures).then(|| text.clone()),
                        evidence: (form.ask == LedgerAsk::Evidence).then(|| text.clone()),
                        by,
                        ..Change::default()
                    },
                    String::new(),
                ),
            };
            if text.is_empty() && !missing.is_empty() {
                form.error = Some(missing.clone());
                model.status = Status::Error(missing);
                return Vec::new();
            }
            form.saving = true;
            form.error = None;
            return vec![Effect::SetLedger {
                id: form.entry_id.clone(),
                change,
                today,
            }];
        }
        _ => {
            if form.text.key(key) {
                form.error = None;
            }
        }
    }
    Vec::new()
}
