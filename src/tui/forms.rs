//! Keys inside the lists (cases, 待议, note search), the metadata and grade forms, the
//! comparison of sheets and the progress view. Each handler changes its mode's state and reads the rest of the model
//! as a [`Session`], so no keystroke clones the rubric or a case.

use super::browse::{open_compare, switch_case};
use super::filter;
use super::keymap::{
    self, COMPARE_KEYS, CompareAction, GRADE_KEYS, GradeAction, MARK_REASON_KEYS, META_EDIT_KEYS, META_KEYS,
    MarkReasonAction, MetaAction, MetaEditAction, PICKER_KEYS, PROGRESS_KEYS, PickerAction, ProgressAction,
};
use super::message::{Effect, info};
use super::model::{Mode, Model, Session, Status, Write, compare_rows};
use super::text::TextField;
use crate::lang::Lang;
use crate::rubric::FieldKind;
use crate::score::Decision;
use crossterm::event::KeyEvent;

/// Cases matching the case-list query, by index (only the reviewer's while the list shows
/// only theirs).
pub(crate) fn case_matches(s: &Session, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    (0..s.cases.len())
        .filter(|&i| {
            let c = &s.cases[i];
            if s.mine_only && !s.mine.contains(&c.id) {
                return false;
            }
            let hay = format!("{} {} {}", c.case_no, c.field("title"), c.field("unit"));
            // The title's and the unit's initials each on their own: "zw" is 张伟, not 赵…纪委.
            let initials = s.case_initials.get(i).map_or("", String::as_str);
            initials.split(' ').any(|ini| filter::fuzzy(&q, &hay, ini))
        })
        .collect()
}

/// 待议 entries matching the list query, by index.
pub(crate) fn pending_matches(s: &Session, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    (0..s.pending.len())
        .filter(|&i| {
            let p = &s.pending[i];
            let name = s.rubric.scorable(&p.node).map_or("", |s| s.name());
            let hay = format!("{} {} {} {}", p.case_no, p.reviewer, name, p.note).to_lowercase();
            q.is_empty() || hay.contains(&q)
        })
        .collect()
}

pub(super) fn picker_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if keymap::table_action(PICKER_KEYS, key, false) == Some(PickerAction::Mine) {
        return toggle_mine(model);
    }
    let (mode, s) = model.split();
    let listing_cases = matches!(mode, Mode::Cases(_));
    let searching = matches!(mode, Mode::Search(_));
    // Where each row leads: (case id, node), borrowed.
    let targets: Vec<(&str, Option<&str>)> = match &*mode {
        Mode::Cases(p) => case_matches(&s, p.query.text())
            .into_iter()
            .map(|i| (s.cases[i].id.as_str(), None))
            .collect(),
        Mode::Pending(p) => pending_matches(&s, p.query.text())
            .into_iter()
            .map(|i| (s.pending[i].case_id.as_str(), Some(s.pending[i].node.as_str())))
            .collect(),
        Mode::Search(_) => s
            .hits
            .iter()
            .map(|h| (h.case_id.as_str(), Some(h.node.as_str())))
            .collect(),
        _ => return Vec::new(),
    };
    let (Mode::Cases(p) | Mode::Pending(p) | Mode::Search(p)) = mode else {
        return Vec::new();
    };
    let n = targets.len();
    let chosen = targets.get(p.selected.min(n.saturating_sub(1))).copied();
    match keymap::table_action(PICKER_KEYS, key, false) {
        Some(PickerAction::Close) => *mode = Mode::Browse,
        Some(PickerAction::Down) => p.selected = (p.selected + 1).min(n.saturating_sub(1)),
        Some(PickerAction::Up) => p.selected = p.selected.saturating_sub(1),
        Some(PickerAction::Compare) if listing_cases => {
            let back = p.clone();
            let Some(case_no) = chosen
                .and_then(|(id, _)| s.cases.iter().find(|c| c.id == id))
                .map(|c| c.case_no.clone())
            else {
                return Vec::new();
            };
            return open_compare(model, Some(back), case_no);
        }
        // Another reviewer's note: their sheet, read-only, beside the others of the case.
        Some(PickerAction::Open)
            if searching
                && let Some(hit) = s.hits.get(p.selected.min(n.saturating_sub(1)))
                && hit.reviewer != s.opts.reviewer =>
        {
            let lang = s.opts.lang;
            let item = s.rubric.scorable(&hit.node).map(|n| n.item.id.to_string());
            let said = match lang {
                Lang::Zh => format!("这是{}的评查表（只读，对照查看；Esc 返回）", hit.reviewer),
                Lang::En => format!("{}'s sheet (read-only, in the comparison; Esc goes back)", hit.reviewer),
            };
            let case_no = hit.case_no.clone();
            let effects = open_compare(model, None, case_no);
            if let Mode::Compare(v) = &mut model.mode {
                v.focus = item;
            }
            model.status = Status::Info(said);
            return effects;
        }
        Some(PickerAction::Open) => {
            let Some((case_id, node)) = chosen else {
                return Vec::new();
            };
            let node = node.map(str::to_owned);
            return match s.cases.iter().position(|c| c.id == case_id) {
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

/// `^O` in the case list: only the reviewer's cases (我的案件), or all of them again; in the
/// other lists it does nothing.
fn toggle_mine(model: &mut Model) -> Vec<Effect> {
    let Mode::Cases(p) = &mut model.mode else {
        return Vec::new();
    };
    if model.mine.is_empty() {
        return info(
            model,
            "本轮没有分给您的案件，列出全部案件",
            "no case is assigned to you; all are listed",
        );
    }
    model.mine_only = !model.mine_only;
    p.selected = 0;
    if model.mine_only {
        let n = model.mine.len();
        model.status = Status::Info(match model.opts.lang {
            Lang::Zh => format!("只看我的案件（{n} 件）"),
            Lang::En => format!("only my cases ({n})"),
        });
        Vec::new()
    } else {
        info(model, "列出全部案件", "all cases listed")
    }
}

/// Keys of the progress view (`P`): move, back.
pub(super) fn progress_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let n = model.team.as_ref().map_or(0, Vec::len);
    let Mode::Progress(v) = &mut model.mode else {
        return Vec::new();
    };
    match keymap::table_action(PROGRESS_KEYS, key, true) {
        Some(ProgressAction::Back) => model.mode = Mode::Browse,
        Some(ProgressAction::Down) => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
        Some(ProgressAction::Up) => v.selected = v.selected.saturating_sub(1),
        Some(ProgressAction::Top) => v.selected = 0,
        Some(ProgressAction::Bottom) => v.selected = n.saturating_sub(1),
        None => {}
    }
    Vec::new()
}

pub(super) fn compare_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let (mode, s) = model.split();
    let Mode::Compare(v) = mode else {
        return Vec::new();
    };
    let n = compare_rows(s.comparison, v.all).len();
    let columns = s.comparison.map_or(0, |c| c.columns.len());
    match keymap::table_action(COMPARE_KEYS, key, true) {
        Some(CompareAction::Back) => {
            *mode = match v.back.take() {
                Some(picker) => Mode::Cases(picker),
                None => Mode::Browse,
            };
        }
        Some(CompareAction::Down) => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
        Some(CompareAction::Up) => v.selected = v.selected.saturating_sub(1),
        Some(CompareAction::All) => {
            v.all = !v.all;
            v.selected = 0;
        }
        Some(CompareAction::Right) => v.first = (v.first + 1).min(columns.saturating_sub(1)),
        Some(CompareAction::Left) => v.first = v.first.saturating_sub(1),
        None => {}
    }
    Vec::new()
}

pub(super) fn meta_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let (mode, s) = model.split();
    let lang = s.opts.lang;
    let fields = &s.rubric.fields;
    let Some(case) = s.case() else {
        return Vec::new();
    };
    let Mode::Meta(form) = mode else {
        return Vec::new();
    };
    let Some(field) = fields.get(form.selected) else {
        *mode = Mode::Browse;
        return Vec::new();
    };
    let Some(edit) = &mut form.editing else {
        match keymap::table_action(META_KEYS, key, false) {
            Some(MetaAction::Close) => *mode = Mode::Browse,
            Some(MetaAction::Down) => form.selected = (form.selected + 1).min(fields.len().saturating_sub(1)),
            Some(MetaAction::Up) => form.selected = form.selected.saturating_sub(1),
            Some(MetaAction::Edit) if field.key == crate::rubric::CASE_NO => {
                form.error = Some(
                    lang.pick("案号是案件的标识，不能在此修改", "the case number identifies the case")
                        .into(),
                )
            }
            Some(MetaAction::Edit) => form.editing = Some(TextField::new(case.field(&field.key))),
            None => {}
        }
        return Vec::new();
    };
    match keymap::table_action(META_EDIT_KEYS, key, false) {
        Some(MetaEditAction::Cancel) => form.editing = None,
        Some(action @ (MetaEditAction::NextChoice | MetaEditAction::PrevChoice)) => {
            if let FieldKind::Choice(choices) = &field.kind
                && !choices.is_empty()
            {
                let at = choices.iter().position(|c| c == edit.text());
                let n = choices.len();
                let next = match (at, action == MetaEditAction::PrevChoice) {
                    (None, _) => 0,
                    (Some(i), false) => (i + 1) % n,
                    (Some(i), true) => (i + n - 1) % n,
                };
                edit.set(&choices[next]);
            }
        }
        Some(MetaEditAction::Save) => {
            let value = match crate::caselist::field_update(s.rubric, &case.fields, &field.key, edit.text()) {
                Ok((_, v)) => v,
                Err(e) => {
                    form.error = Some(crate::lang::Localized::localized(&e, lang));
                    return Vec::new();
                }
            };
            let old = case.field(&field.key);
            if value == old {
                form.editing = None;
                return Vec::new();
            }
            return vec![Effect::Write {
                write: Write::SetField {
                    case_id: case.id.clone(),
                    key: field.key.clone(),
                    value,
                    old: old.to_owned(),
                },
                undoable: true,
            }];
        }
        None => {
            form.error = None;
            edit.key(key);
        }
    }
    Vec::new()
}

/// A key in the reason form of a 待议 or 不适用 mark: Enter sets the mark with the reason, Esc
/// leaves it unset (on a typed reason only at the second Esc, so an input method's lone Esc costs
/// nothing), every other key edits the reason.
pub(super) fn mark_reason_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let (mode, s) = model.split();
    let Some(case) = s.case() else {
        return Vec::new();
    };
    let Mode::MarkReason(form) = mode else {
        return Vec::new();
    };
    let discard = std::mem::take(&mut form.discard);
    match keymap::table_action(MARK_REASON_KEYS, key, false) {
        Some(MarkReasonAction::Cancel) if discard || form.reason.text().trim().is_empty() => *mode = Mode::Browse,
        Some(MarkReasonAction::Cancel) => form.discard = true,
        Some(MarkReasonAction::Save) => {
            let write = Write::SetMark {
                case_id: case.id.clone(),
                node: form.node.clone(),
                kind: form.kind,
                on: true,
                note: form.reason.text().trim().to_owned(),
            };
            *mode = Mode::Browse;
            return vec![Effect::Write { write, undoable: true }];
        }
        None => {
            form.reason.key(key);
        }
    }
    Vec::new()
}

pub(super) fn grade_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let (mode, s) = model.split();
    let grades = s.rubric.grades.len().max(1);
    let Some(case) = s.case() else {
        return Vec::new();
    };
    let Mode::Grade(form) = mode else {
        return Vec::new();
    };
    form.error = None;
    match keymap::table_action(GRADE_KEYS, key, false) {
        Some(GradeAction::Cancel) => *mode = Mode::Browse,
        Some(GradeAction::Next) => form.grade = (form.grade + 1) % grades,
        Some(GradeAction::Prev) => form.grade = (form.grade + grades - 1) % grades,
        Some(GradeAction::Save) => {
            let Some(grade) = s.rubric.grades.get(form.grade) else {
                return Vec::new();
            };
            return vec![Effect::Write {
                write: Write::Decide {
                    case_id: case.id.clone(),
                    decision: Decision {
                        grade: grade.name.clone(),
                        reason: form.reason.text().to_owned(),
                        decider: s.opts.reviewer.clone(),
                    },
                },
                undoable: false,
            }];
        }
        None => {
            form.reason.key(key);
        }
    }
    Vec::new()
}
