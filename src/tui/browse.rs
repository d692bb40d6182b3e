//! Keys while browsing the rubric tree: each [`Action`] of the key table becomes a change of the
//! model and the effects it needs.

use super::entry;
use super::keymap::Action;
use super::message::{Effect, cursor_effect, info};
use super::model::{
    CompareView, Entry, GradeForm, MarkReason, MetaForm, Mode, Model, Picker, RowKind, Status, Step, Write,
};
use super::text::TextField;
use crate::rubric::{QuantityKind, Rule};
use crate::store::{Cursor, MarkKind, Progress};

/// Carries out a browsing action.
pub(super) fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let asked = model.asked.take();
    let confirming = model.confirm_na.take();
    let last = model.visible.len().saturating_sub(1);
    let moved = |model: &mut Model, to: usize| {
        model.cursor = to.min(last);
        model.finding_cursor = usize::MAX;
        cursor_effect(model)
    };
    match action {
        Action::Down => moved(model, model.cursor + 1),
        Action::Up => moved(model, model.cursor.saturating_sub(1)),
        Action::Top => moved(model, 0),
        Action::Bottom => moved(model, last),
        Action::Fold | Action::Unfold => fold(model, action == Action::Fold),
        Action::Filter => {
            model.mode = Mode::Filter(TextField::new(&model.filter));
            Vec::new()
        }
        Action::Add => match model.selected_row().map(|r| r.kind) {
            Some(RowKind::Category(ci)) => {
                if !model.folded.remove(&ci) {
                    model.folded.insert(ci);
                }
                model.refresh_visible();
                Vec::new()
            }
            Some(kind)
                if model
                    .na_node(kind)
                    .is_some_and(|n| model.data.as_ref().is_some_and(|d| d.not_applicable.contains(n))) =>
            {
                info(
                    model,
                    "该项已标记不适用，不能记录问题；如需记录，先按 n 取消不适用",
                    "this item is marked N/A: no finding can be recorded; press n to clear the N/A first",
                )
            }
            Some(kind) => match model.scorable_of(kind).map(|s| s.id().to_owned()) {
                Some(node) => start_entry(model, &node),
                None => info(
                    model,
                    "请在小项或细则上记录问题",
                    "record findings on an item or sub-item",
                ),
            },
            None => Vec::new(),
        },
        Action::Veto => jump_entry(model, |r| matches!(r, Rule::Veto { .. })),
        Action::Bonus => jump_entry(model, |r| matches!(r, Rule::Bonus { .. })),
        Action::NotApplicable => {
            let Some(kind) = model.selected_row().map(|r| r.kind) else {
                return Vec::new();
            };
            let Some(node) = model.na_node(kind).map(str::to_owned) else {
                return info(
                    model,
                    "不适用只能标在大项或小项上",
                    "not applicable goes on a category or item",
                );
            };
            let on = model.data.as_ref().is_some_and(|d| !d.not_applicable.contains(&node));
            let findings = findings_under(model, &node);
            if on && findings > 0 && confirming.as_deref() != Some(node.as_str()) {
                model.confirm_na = Some(node);
                return info(
                    model,
                    &format!("该项有 {findings} 条问题记录，标记不适用后不再计分；再按 n 确认，其他键取消"),
                    &format!(
                        "{findings} finding(s) here would stop counting; press n again to mark N/A, any other key cancels"
                    ),
                );
            }
            mark(model, node, MarkKind::NotApplicable)
        }
        Action::Pending => {
            let Some(node) = model.selected_row().map(|r| r.id.clone()) else {
                return Vec::new();
            };
            mark(model, node, MarkKind::Pending)
        }
        // Un-marking a done case asks first: `f` again confirms.
        Action::Done if model.case_done() && asked != Some(Action::Done) => {
            model.asked = Some(Action::Done);
            info(
                model,
                "本案已完成；再按 f 取消完成，其他键不变",
                "case is done; f again marks it not done, any other key keeps it",
            )
        }
        Action::Done => mark(model, String::new(), MarkKind::Done),
        Action::NextFinding | Action::PrevFinding => {
            let n = model.selected_findings().len();
            let current = model.finding_cursor.min(n.saturating_sub(1));
            model.finding_cursor = match action {
                Action::NextFinding => (current + 1).min(n.saturating_sub(1)),
                _ => current.saturating_sub(1),
            };
            Vec::new()
        }
        Action::Delete => {
            let findings = model.selected_findings();
            let Some(f) = findings.get(model.finding_cursor.min(findings.len().saturating_sub(1))) else {
                return info(model, "所选项目没有问题记录", "no finding on the selected line");
            };
            let id = f.id.clone();
            let Some(case) = model.case() else { return Vec::new() };
            let write = Write::DeleteFinding {
                case_id: case.id.clone(),
                id,
            };
            vec![Effect::Write { write, undoable: true }]
        }
        Action::Undo => undo(model),
        Action::Correct => {
            let findings = model.selected_findings();
            let Some(f) = findings.get(model.finding_cursor.min(findings.len().saturating_sub(1))) else {
                return info(model, "所选项目没有问题记录", "no finding on the selected line");
            };
            let f = (*f).clone();
            model.mode = Mode::Entry(Box::new(entry::entry_to_correct(model, &f)));
            entry::sync_repeat(model);
            Vec::new()
        }
        Action::PrevCase => go_case(model, model.case_index.checked_sub(1)),
        Action::NextCase => go_case(model, Some(model.case_index + 1)),
        Action::Cases => {
            let selected = super::forms::case_matches(&model.session(), "")
                .iter()
                .position(|&i| i == model.case_index)
                .unwrap_or(0);
            model.mode = Mode::Cases(Picker {
                selected,
                ..Picker::default()
            });
            vec![Effect::LoadFigures]
        }
        Action::TeamProgress => {
            model.mode = Mode::Progress(super::model::ProgressView::default());
            vec![Effect::LoadTeamProgress]
        }
        Action::Compare => match model.case().map(|c| c.case_no.clone()) {
            Some(case_no) => open_compare(model, None, case_no),
            None => Vec::new(),
        },
        Action::Ledger => super::ledger::open(model),
        Action::PendingList => {
            model.mode = Mode::Pending(Picker::default());
            vec![Effect::LoadPending]
        }
        Action::Search => {
            model.hits.clear();
            model.mode = Mode::Search(Picker::default());
            Vec::new()
        }
        Action::EditMeta => {
            model.mode = Mode::Meta(MetaForm::default());
            Vec::new()
        }
        Action::Grade => {
            let current = model
                .data
                .as_ref()
                .and_then(|d| {
                    let grade = d.score.decision.as_ref().map_or(&d.score.grade, |x| &x.grade);
                    model.rubric.grade_rank(grade)
                })
                .unwrap_or(0);
            let reason = model
                .data
                .as_ref()
                .and_then(|d| d.score.decision.as_ref())
                .map_or(String::new(), |x| x.reason.clone());
            model.mode = Mode::Grade(GradeForm {
                grade: current,
                reason: TextField::new(&reason),
                error: None,
            });
            Vec::new()
        }
        Action::ClearFilter if !model.filter.is_empty() => {
            model.filter.clear();
            model.refresh_visible();
            info(model, "已清除筛选", "filter cleared")
        }
        Action::ClearFilter => Vec::new(),
        Action::CasePanel => {
            model.meta_collapsed = !model.meta_collapsed;
            Vec::new()
        }
        Action::Help => {
            model.mode = Mode::Help;
            Vec::new()
        }
        Action::Quit => {
            model.quit = true;
            cursor_effect(model)
        }
    }
}

/// `u`: reverses the last change, on screen. When the change is about another line than the
/// selected one, the first `u` only goes there and says what a second `u` reverses.
fn undo(model: &mut Model) -> Vec<Effect> {
    let lang = model.opts.lang;
    let Some(last) = model.undo.last() else {
        return info(model, "没有可撤销的操作", "nothing to undo");
    };
    let shown = last.node.is_empty()
        || model
            .selected_row()
            .is_some_and(|r| model.row_owns(r.kind, &last.node) || r.id == last.node);
    if !shown {
        let (node, what) = (last.node.clone(), last.what.clone());
        model.select_node(&node);
        model.status = Status::Info(format!("{}{what}", lang.pick("再按 u 撤销：", "u again undoes: ")));
        return cursor_effect(model);
    }
    let Some(last) = model.undo.pop() else {
        return Vec::new();
    };
    let write = last.write.clone();
    model.undoing = Some(last);
    vec![Effect::Write { write, undoable: false }]
}

fn fold(model: &mut Model, fold: bool) -> Vec<Effect> {
    let Some(kind) = model.selected_row().map(|r| r.kind) else {
        return Vec::new();
    };
    match kind {
        RowKind::Category(ci) => {
            if fold {
                model.folded.insert(ci);
            } else {
                model.folded.remove(&ci);
            }
        }
        RowKind::Item(ci, _) | RowKind::SubItem(ci, _, _) if fold => {
            model.folded.insert(ci);
            let id = model.rubric.categories[ci].id.clone();
            model.refresh_visible();
            model.select_node(&id);
            return cursor_effect(model);
        }
        _ => {}
    }
    model.refresh_visible();
    Vec::new()
}

/// Findings of the case on screen under an item or category.
fn findings_under(model: &Model, node: &str) -> usize {
    let Some(data) = &model.data else { return 0 };
    data.findings
        .iter()
        .filter(|f| {
            model
                .rubric
                .scorable(&f.node)
                .is_some_and(|s| s.item.id == node || s.category.id == node)
        })
        .count()
}

/// Sets or clears a mark. Setting 待议 or 不适用 first asks for an optional reason
/// ([`Mode::MarkReason`]); clearing keeps the reason the mark had in the write, for its undo.
fn mark(model: &mut Model, node: String, kind: MarkKind) -> Vec<Effect> {
    let (Some(case), Some(data)) = (model.case(), &model.data) else {
        return Vec::new();
    };
    let (on, note) = match kind {
        MarkKind::NotApplicable => (!data.not_applicable.contains(&node), data.na_why.get(&node)),
        MarkKind::Pending => (!data.pending.contains(&node), data.pending_why.get(&node)),
        MarkKind::Done => (data.progress != Progress::Done, None),
    };
    if on && kind != MarkKind::Done {
        model.mode = Mode::MarkReason(MarkReason {
            node,
            kind,
            reason: TextField::default(),
            discard: false,
        });
        return Vec::new();
    }
    vec![Effect::Write {
        write: Write::SetMark {
            case_id: case.id.clone(),
            node,
            kind,
            on,
            note: note.cloned().unwrap_or_default(),
        },
        undoable: true,
    }]
}

fn go_case(model: &mut Model, index: Option<usize>) -> Vec<Effect> {
    match index.filter(|&i| i < model.cases.len()) {
        Some(i) => switch_case(model, i, None),
        None => info(model, "已是第一案或最后一案", "no more cases that way"),
    }
}

/// Shows case `i`, selecting `node` once loaded.
pub(super) fn switch_case(model: &mut Model, i: usize, node: Option<String>) -> Vec<Effect> {
    if i != model.case_index {
        model.undo.clear();
        model.undoing = None;
        model.data = None;
    }
    model.case_index = i;
    model.mode = Mode::Browse;
    model.jump_to = node;
    model.finding_cursor = usize::MAX;
    let Some(case) = model.case() else { return Vec::new() };
    let id = case.id.clone();
    let node = model
        .jump_to
        .clone()
        .or_else(|| model.selected_row().map(|r| r.id.clone()));
    vec![
        Effect::LoadCase(id.clone()),
        Effect::SaveCursor(Cursor {
            case_id: id,
            node: node.unwrap_or_default(),
        }),
    ]
}

fn jump_entry(model: &mut Model, want: impl Fn(&Rule) -> bool) -> Vec<Effect> {
    let here = model.selected_row().map(|r| r.id.clone()).unwrap_or_default();
    let nodes: Vec<String> = model
        .rubric
        .scorables()
        .filter(|s| want(s.rule()))
        .map(|s| s.id().to_owned())
        .collect();
    let next = match nodes.iter().position(|n| *n == here) {
        Some(i) => nodes.get((i + 1) % nodes.len()),
        None => nodes.first(),
    };
    match next.cloned() {
        Some(node) => {
            model.select_node(&node);
            start_entry(model, &node)
        }
        None => info(model, "本评查标准没有此类项目", "the rubric has no such item"),
    }
}

fn start_entry(model: &mut Model, node: &str) -> Vec<Effect> {
    let (Some(case), Some(scorable)) = (model.case(), model.rubric.scorable(node)) else {
        return Vec::new();
    };
    let step = match scorable.rule().quantity_kind() {
        QuantityKind::None => Step::Note,
        _ => Step::Quantity,
    };
    let entry = Entry {
        case_id: case.id.clone(),
        node: node.to_owned(),
        step,
        quantity: TextField::default(),
        note: TextField::default(),
        problem: None,
        volume: TextField::prefilled(&model.last_volume),
        page: TextField::prefilled(&model.last_page),
        repeat: crate::store::Repeat::No,
        auto: super::model::AutoRepeat::default(),
        error: None,
        saving: false,
        unplaced_asked: false,
        correcting: None,
        discard: false,
    };
    model.mode = Mode::Entry(Box::new(entry));
    entry::draft_effect(model)
}

/// Opens the comparison of a case's sheets; Esc goes back to `back` (the case list) or the tree.
pub(super) fn open_compare(model: &mut Model, back: Option<Picker>, case_no: String) -> Vec<Effect> {
    model.comparison = None;
    model.mode = Mode::Compare(CompareView {
        back,
        ..CompareView::default()
    });
    vec![Effect::Compare(case_no)]
}
