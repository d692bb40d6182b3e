//! The rubric tree: categories, items and sub-items with points, deductions and marks.

use super::super::model::{Model, RowKind};
use super::super::text::{truncate, width};
use super::{block, draw_lines, selected};
use crate::points::Points;
use crate::rubric::{Rule, Scorable};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

pub(super) fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let title = if model.filter.is_empty() {
        lang.pick("评分表", "rubric").to_owned()
    } else {
        format!("{} /{}", lang.pick("评分表", "rubric"), model.filter)
    };
    let block = block(&truncate(&title, area.width.saturating_sub(4) as usize));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let start = model
        .cursor
        .saturating_sub(height.saturating_sub(1) / 2)
        .min(model.visible.len().saturating_sub(height));
    // Where each finding sits in the rubric, looked up once per frame rather than per line.
    let owners: Vec<Scorable> = model
        .data
        .iter()
        .flat_map(|d| &d.findings)
        .filter_map(|f| model.rubric.scorable(&f.node))
        .collect();
    let lines: Vec<Line> = model
        .visible
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(pos, &i)| line(model, &owners, i, inner.width as usize, pos == model.cursor))
        .collect();
    draw_lines(frame, inner, lines);
}

/// Whether a finding on `s` belongs under a line (as [`Model::row_owns`], without the lookup).
fn owns(model: &Model, kind: RowKind, s: &Scorable) -> bool {
    let categories = &model.rubric.categories;
    match kind {
        RowKind::Case => true,
        RowKind::Category(ci) => categories.get(ci).is_some_and(|c| c.id == s.category.id),
        RowKind::Item(ci, ii) => categories
            .get(ci)
            .and_then(|c| c.items.get(ii))
            .is_some_and(|i| i.id == s.item.id),
        RowKind::SubItem(ci, ii, si) => categories
            .get(ci)
            .and_then(|c| c.items.get(ii))
            .and_then(|i| i.subitems.get(si))
            .is_some_and(|sub| sub.id == s.id()),
    }
}

/// One line: indent and fold mark, name (cut), then marks and points right-aligned.
fn line(model: &Model, owners: &[Scorable], index: usize, width_cells: usize, is_selected: bool) -> Line<'static> {
    let lang = model.opts.lang;
    let row = &model.rows[index];
    let data = model.data.as_ref();
    let score = data.map(|d| &d.score);
    let findings = owners.iter().filter(|s| owns(model, row.kind, s)).count();
    let (indent, points, deduction) = match row.kind {
        RowKind::Case => ("", None, None),
        RowKind::Category(ci) => {
            let folded = if model.folded.contains(&ci) && model.filter.is_empty() {
                "▸ "
            } else {
                "▾ "
            };
            let c = &model.rubric.categories[ci];
            (
                folded,
                Some(c.points),
                score.and_then(|s| s.categories.get(ci)).map(|c| c.deduction),
            )
        }
        RowKind::Item(ci, ii) => {
            let i = &model.rubric.categories[ci].items[ii];
            let d = score
                .and_then(|s| s.categories.get(ci)?.items.get(ii))
                .map(|i| i.deduction);
            ("  ", Some(i.points), d)
        }
        RowKind::SubItem(ci, ii, si) => (
            "    ",
            Some(model.rubric.categories[ci].items[ii].subitems[si].points),
            None,
        ),
    };
    let mut marks = String::new();
    let na = model.na_node(row.kind).is_some_and(|n| {
        data.is_some_and(|d| {
            d.not_applicable.contains(n)
                || d.not_applicable
                    .contains(model.rubric.categories[cat(row.kind)].id.as_str())
        })
    });
    if na {
        marks.push_str(lang.pick(" 不适用", " N/A"));
    }
    if data.is_some_and(|d| d.pending.contains(&row.id)) {
        marks.push_str(lang.pick(" 待议", " ?"));
    }
    if findings > 0 {
        match model.rule_of(row.kind) {
            Some(Rule::Veto { .. }) => marks.push_str(lang.pick(" 否决", " VETO")),
            Some(Rule::Bonus { .. }) => marks.push_str(&format!(" +{findings}")),
            _ => marks.push_str(&format!(" ●{findings}")),
        }
    }
    let right = match (row.kind, points, deduction) {
        (RowKind::Case, _, _) => match score {
            Some(s) => format!("{} {}", s.total, s.final_grade()),
            None => String::new(),
        },
        (_, Some(p), Some(d)) if d > Points::ZERO => format!("-{d}/{p}"),
        (_, Some(p), _) if p > Points::ZERO => format!("{p}"),
        _ => String::new(),
    };
    let tail = format!("{marks} {right:>6}");
    // A one-cell gutter marks the selected line, so it shows without colour too.
    let gutter = if is_selected { "▶" } else { " " };
    let width_cells = width_cells.saturating_sub(1);
    let name_room = width_cells.saturating_sub(width(indent) + width(&tail) + 1);
    let name = truncate(&row.name, name_room);
    let gap = width_cells.saturating_sub(width(indent) + width(&name) + width(&tail));
    let base = match row.kind {
        RowKind::Case | RowKind::Category(_) => Style::default().add_modifier(Modifier::BOLD),
        _ if na => Style::default().fg(Color::DarkGray),
        _ => Style::default(),
    };
    let style = if is_selected { selected() } else { base };
    let mark_style = if is_selected {
        style
    } else {
        Style::default().fg(Color::Yellow)
    };
    Line::from(vec![
        Span::styled(format!("{gutter}{indent}{name}{}", " ".repeat(gap)), style),
        Span::styled(marks, mark_style),
        Span::styled(format!(" {right:>6}"), style),
    ])
}

fn cat(kind: RowKind) -> usize {
    match kind {
        RowKind::Category(c) | RowKind::Item(c, _) | RowKind::SubItem(c, _, _) => c,
        RowKind::Case => 0,
    }
}
