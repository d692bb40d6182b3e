//! Keys inside the lists (cases, 待议, note search), the metadata and grade forms, and the
//! comparison of sheets.

use super::browse::{open_compare, switch_case};
use super::filter;
use super::model::{Mode, Model, Write};
use super::text::TextField;
use super::update::Effect;
use crate::rubric::FieldKind;
use crate::score::Decision;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Cases matching the case-list query, by index.
pub(crate) fn case_matches(model: &Model, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    (0..model.cases.len())
        .filter(|&i| {
            let c = &model.cases[i];
            let hay = format!("{} {} {}", c.case_no, c.field("title"), c.field("unit"));
            filter::fuzzy(&q, &hay, model.case_initials.get(i).map_or("", String::as_str))
        })
        .collect()
}

/// 待议 entries matching the list query, by index.
pub(crate) fn pending_matches(model: &Model, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    (0..model.pending.len())
        .filter(|&i| {
            let p = &model.pending[i];
            let name = model.rubric.scorable(&p.node).map_or("", |s| s.name());
            let hay = format!("{} {} {} {}", p.case_no, p.reviewer, name, p.note).to_lowercase();
            q.is_empty() || hay.contains(&q)
        })
        .collect()
}

pub(super) fn picker_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let targets: Vec<(String, Option<String>)> = match &model.mode {
        Mode::Cases(p) => case_matches(model, p.query.text())
            .into_iter()
            .map(|i| (model.cases[i].id.clone(), None))
            .collect(),
        Mode::Pending(p) => pending_matches(model, p.query.text())
            .into_iter()
            .map(|i| (model.pending[i].case_id.clone(), Some(model.pending[i].node.clone())))
            .collect(),
        Mode::Search(_) => model
            .hits
            .iter()
            .map(|h| (h.case_id.clone(), Some(h.node.clone())))
            .collect(),
        _ => return Vec::new(),
    };
    let searching = matches!(model.mode, Mode::Search(_));
    let listing_cases = matches!(model.mode, Mode::Cases(_));
    let (Mode::Cases(p) | Mode::Pending(p) | Mode::Search(p)) = &mut model.mode else {
        return Vec::new();
    };
    let n = targets.len();
    match key.code {
        KeyCode::Esc => model.mode = Mode::Browse,
        KeyCode::Down | KeyCode::Tab => p.selected = (p.selected + 1).min(n.saturating_sub(1)),
        KeyCode::Char('n' | 'j') if ctrl => p.selected = (p.selected + 1).min(n.saturating_sub(1)),
        KeyCode::Up | KeyCode::BackTab => p.selected = p.selected.saturating_sub(1),
        KeyCode::Char('p' | 'k') if ctrl => p.selected = p.selected.saturating_sub(1),
        KeyCode::Char('=') if listing_cases => {
            let back = p.clone();
            let Some((case_id, _)) = targets.get(p.selected.min(n.saturating_sub(1))) else {
                return Vec::new();
            };
            return match model.cases.iter().find(|c| &c.id == case_id) {
                Some(case) => open_compare(model, Some(back), case.case_no.clone()),
                None => Vec::new(),
            };
        }
        KeyCode::Enter => {
            let Some((case_id, node)) = targets.get(p.selected.min(n.saturating_sub(1))).cloned() else {
                return Vec::new();
            };
            return match model.cases.iter().position(|c| c.id == case_id) {
                Some(i) => switch_case(model, i, node),
                None => Vec::new(),
            };
        }
        _ => {
            if p.query.key(key) {
                p.selected = 0;
                if searching {
                    return vec![Effect::Search(p.query.text().to_owned())];
                }
            }
        }
    }
    Vec::new()
}

pub(super) fn compare_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let key = super::keymap::ascii_key(key);
    let n = model.compare_rows().len();
    let columns = model.comparison.as_ref().map_or(0, |c| c.columns.len());
    let Mode::Compare(v) = &mut model.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => {
            model.mode = match v.back.take() {
                Some(picker) => Mode::Cases(picker),
                None => Mode::Browse,
            };
        }
        KeyCode::Down | KeyCode::Char('j') => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
        KeyCode::Up | KeyCode::Char('k') => v.selected = v.selected.saturating_sub(1),
        KeyCode::Char('a') => {
            v.all = !v.all;
            v.selected = 0;
        }
        KeyCode::Right | KeyCode::Char('l') => v.first = (v.first + 1).min(columns.saturating_sub(1)),
        KeyCode::Left | KeyCode::Char('h') => v.first = v.first.saturating_sub(1),
        _ => {}
    }
    Vec::new()
}

pub(super) fn meta_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let lang = model.opts.lang;
    let fields = model.rubric.fields.clone();
    let Some(case) = model.case().cloned() else {
        return Vec::new();
    };
    let Mode::Meta(form) = &mut model.mode else {
        return Vec::new();
    };
    let Some(field) = fields.get(form.selected) else {
        model.mode = Mode::Browse;
        return Vec::new();
    };
    match (&mut form.editing, key.code) {
        (None, KeyCode::Esc | KeyCode::Char('q')) => model.mode = Mode::Browse,
        (None, KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab) => {
            form.selected = (form.selected + 1).min(fields.len().saturating_sub(1))
        }
        (None, KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab) => form.selected = form.selected.saturating_sub(1),
        (None, KeyCode::Enter) if field.key == crate::rubric::CASE_NO => {
            form.error = Some(
                lang.pick("案号是案件的标识，不能在此修改", "the case number identifies the case")
                    .into(),
            )
        }
        (None, KeyCode::Enter) => form.editing = Some(TextField::new(case.field(&field.key))),
        (Some(_), KeyCode::Esc) => form.editing = None,
        (Some(edit), KeyCode::Tab | KeyCode::BackTab) => {
            if let FieldKind::Choice(choices) = &field.kind
                && !choices.is_empty()
            {
                let at = choices.iter().position(|c| c == edit.text());
                let n = choices.len();
                let next = match (at, key.code == KeyCode::BackTab) {
                    (None, _) => 0,
                    (Some(i), false) => (i + 1) % n,
                    (Some(i), true) => (i + n - 1) % n,
                };
                edit.set(&choices[next]);
            }
        }
        (Some(edit), KeyCode::Enter) => {
            let value = match crate::caselist::field_update(&model.rubric, &case.fields, &field.key, edit.text()) {
                Ok((_, v)) => v,
                Err(e) => {
                    form.error = Some(crate::lang::Localized::localized(&e, lang));
                    return Vec::new();
                }
            };
            let old = case.field(&field.key).to_owned();
            if value == old {
                form.editing = None;
                return Vec::new();
            }
            return vec![Effect::Write {
                write: Write::SetField {
                    case_id: case.id.clone(),
                    key: field.key.clone(),
                    value,
                    old,
                },
                undoable: true,
            }];
        }
        (Some(edit), _) => {
            form.error = None;
            edit.key(key);
        }
        (None, _) => {}
    }
    Vec::new()
}

pub(super) fn grade_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let grades = model.rubric.grades.len();
    let reviewer = model.opts.reviewer.clone();
    let Some(case_id) = model.case().map(|c| c.id.clone()) else {
        return Vec::new();
    };
    let names: Vec<String> = model.rubric.grades.iter().map(|g| g.name.clone()).collect();
    let Mode::Grade(form) = &mut model.mode else {
        return Vec::new();
    };
    form.error = None;
    match key.code {
        KeyCode::Esc => model.mode = Mode::Browse,
        KeyCode::Tab | KeyCode::Down => form.grade = (form.grade + 1) % grades.max(1),
        KeyCode::BackTab | KeyCode::Up => form.grade = (form.grade + grades.max(1) - 1) % grades.max(1),
        KeyCode::Enter => {
            let Some(grade) = names.get(form.grade).cloned() else {
                return Vec::new();
            };
            return vec![Effect::Write {
                write: Write::Decide {
                    case_id,
                    decision: Decision {
                        grade,
                        reason: form.reason.text().to_owned(),
                        decider: reviewer,
                    },
                },
                undoable: false,
            }];
        }
        _ => {
            form.reason.key(key);
        }
    }
    Vec::new()
}
