//! The right side: the case's metadata, and the selected item's findings, rule and common
//! problems, or the finding being typed.

use super::super::entry::NOTE_LIMIT;
use super::super::keymap::{self, ENTRY_KEYS, EntryAction};
use super::super::model::{Entry, Model, Row, RowKind, Step};
use super::super::text::{truncate, width, wrap, wrap_at};
use super::{block, cut, dim, draw_lines, selected};
use crate::points::Points;
use crate::rubric::Rule;
use crate::score::Quantity;
use crate::store::FindingRecord;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

pub(super) fn render_meta(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let title = match model.case() {
        Some(_) => format!(
            "{} {}/{}{}",
            lang.pick("案件", "case"),
            model.case_index + 1,
            model.cases.len(),
            if model.case_done() {
                lang.pick(" ✓ 已完成", " ✓ done")
            } else {
                ""
            }
        ),
        None => lang.pick("案件", "case").to_owned(),
    };
    let block = block(&title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(case) = model.case() else { return };
    let w = inner.width as usize;
    let label_width = model
        .rubric
        .fields
        .iter()
        .map(|f| width(&f.label))
        .max()
        .unwrap_or(4)
        .min(w / 3);
    let mut pairs: Vec<(String, String)> = model
        .rubric
        .fields
        .iter()
        .map(|f| (f.label.clone(), case.field(&f.key).to_owned()))
        .collect();
    pairs.push((
        lang.pick("评查", "review").to_owned(),
        format!(
            "{} {} · {} {}",
            model.round.kind, model.round.method, model.opts.reviewer, model.opts.stage
        ),
    ));
    // Collapsed (`i`): every field on one line, values only where they are set, 卷册数 (what a
    // 卷 is checked against) right after the case number.
    if model.meta_collapsed {
        let volumes = model.rubric.fields.iter().position(|f| f.key == "volumes");
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        if let Some(v) = volumes {
            order.retain(|&i| i != v);
            order.insert(1.min(order.len()), v);
        }
        let line = order
            .into_iter()
            .map(|i| &pairs[i])
            .filter(|(_, v)| !v.is_empty())
            .map(|(l, v)| format!("{l} {v}"))
            .collect::<Vec<_>>()
            .join(" · ");
        draw_lines(frame, inner, [cut(&line, inner.width, Style::default())]);
        return;
    }
    let lines: Vec<Line> = pairs
        .into_iter()
        .map(|(label, value)| {
            let label = truncate(&label, label_width);
            let pad = " ".repeat(label_width - width(&label));
            let value = truncate(&value, w.saturating_sub(label_width + 1));
            Line::from(vec![Span::styled(format!("{label}{pad} "), dim()), Span::raw(value)])
        })
        .collect();
    draw_lines(frame, inner, lines);
}

fn quantity(q: Quantity) -> String {
    match q {
        Quantity::One => String::new(),
        Quantity::Count(n) => format!("×{n}"),
        Quantity::Amount(_) => String::new(),
    }
}

/// A finding on one line of words: count, points, 卷/页, problem code, 从重 and the note.
pub(super) fn finding_text(model: &Model, f: &FindingRecord) -> String {
    let lang = model.opts.lang;
    let code = f.problem.as_deref().map(|c| format!("[{c}]")).unwrap_or_default();
    let points = match model
        .rubric
        .scorable(&f.node)
        .map(|n| (n.rule(), crate::score::finding_points(&n, f.quantity)))
    {
        Some((Rule::Bonus { .. }, p)) => format!("+{p}"),
        Some((_, p)) if p > Points::ZERO => format!("-{p}"),
        _ => String::new(),
    };
    let parts = [
        quantity(f.quantity),
        points,
        super::super::describe::place(f.volume, f.page, lang),
        code,
        f.repeat.label(lang).to_owned(),
        f.note.clone(),
    ];
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many rows the rule takes in the findings panel when no detail column shows it whole:
/// all it needs on a tall panel, two on a short one (the rest is cut with "…").
fn rule_rows(panel_height: u16, side: bool) -> usize {
    match (side, panel_height) {
        (true, _) => 1,
        (false, h) if h >= 20 => usize::MAX,
        _ => 2,
    }
}

/// `text` wrapped to `w` cells in at most `rows` lines, the last cut with "…" if more remains.
pub(super) fn wrapped(text: &str, w: u16, rows: usize, style: Style) -> Vec<Line<'static>> {
    let mut parts = wrap(text, w as usize);
    if parts.len() > rows {
        let rest: String = parts[rows.max(1) - 1..].concat();
        parts.truncate(rows.max(1) - 1);
        parts.push(truncate(&rest, w as usize));
    }
    parts.iter().map(|p| cut(p, w, style)).collect()
}

/// What the selected line's 不适用 and 待议 marks say, with the reasons given for them.
pub(super) fn mark_lines(model: &Model, row: &Row, w: u16) -> Vec<Line<'static>> {
    let lang = model.opts.lang;
    let Some(d) = &model.data else { return Vec::new() };
    let style = Style::default().fg(Color::Yellow);
    let mut lines = Vec::new();
    if let Some(na) = model.na_node(row.kind)
        && d.not_applicable.contains(na)
    {
        lines.push(cut(
            lang.pick(
                "不适用：本项问题记录不计分，也不能再记录问题",
                "N/A: findings here do not count and none can be added",
            ),
            w,
            style,
        ));
        if let Some(why) = d.na_why.get(na) {
            let text = format!("{}{why}", lang.pick("不适用理由：", "why N/A: "));
            lines.extend(wrapped(&text, w, usize::MAX, style));
        }
    }
    if d.pending.contains(&row.id) {
        let text = match d.pending_why.get(&row.id) {
            Some(why) => format!("{}{why}", lang.pick("待议：", "for discussion: ")),
            None => lang.pick("已标记待议", "marked for discussion").to_owned(),
        };
        lines.extend(wrapped(&text, w, usize::MAX, style));
    }
    lines
}

/// The findings panel. `side`: a detail column beside it shows the rule and every finding in
/// full, so the rule keeps to one line here.
pub(super) fn render_findings(model: &Model, frame: &mut Frame, area: Rect, side: bool) {
    let lang = model.opts.lang;
    let Some(row) = model.selected_row() else { return };
    let room = area.width.saturating_sub(4) as usize;
    let block = block(&truncate(&row.name, room));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width;
    let mut lines = Vec::new();
    // A name the title cuts (and with it, mostly, its rule part "（每处扣X分）") is shown whole.
    if width(&row.name) > room && !side {
        lines.extend(wrapped(&row.name, w, 3, Style::default().add_modifier(Modifier::BOLD)));
    }
    if let Some(node) = model.scorable_of(row.kind) {
        let rule = format!(
            "{} {}  ({}{})",
            lang.pick("规则", "rule"),
            node.rule().describe(lang),
            node.points(),
            lang.pick("分", "")
        );
        lines.extend(wrapped(
            &rule,
            w,
            rule_rows(inner.height, side),
            Style::default().fg(Color::Cyan),
        ));
    } else if let RowKind::Case = row.kind
        && let Some(d) = &model.data
    {
        let s = &d.score;
        let decided = s
            .decision
            .as_ref()
            .map(|x| {
                let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
                format!(
                    "  {} {}{open}{}{close}",
                    lang.pick("认定", "decided"),
                    x.grade,
                    x.reason
                )
            })
            .unwrap_or_default();
        lines.push(cut(
            &format!(
                "{} {}  {} {}{decided}",
                lang.pick("得分", "total"),
                s.total,
                lang.pick("等次", "grade"),
                s.grade
            ),
            w,
            Style::default().fg(Color::Cyan),
        ));
    }
    lines.extend(mark_lines(model, row, w));
    let findings = model.selected_findings();
    let chosen = model.finding_cursor.min(findings.len().saturating_sub(1));
    if findings.is_empty() {
        // What Enter does here, truly.
        let hint = match row.kind {
            RowKind::Case => lang.pick(
                "（无问题记录；在小项或细则上按 Enter 记录）",
                "(no findings; Enter on an item records one)",
            ),
            RowKind::Category(_) => lang.pick(
                "（无问题记录；Enter 折叠/展开本大项）",
                "(no findings; Enter folds/unfolds the category)",
            ),
            _ if model.scorable_of(row.kind).is_none() => lang.pick(
                "（无问题记录；在细则上按 Enter 记录）",
                "(no findings; Enter on a sub-item records one)",
            ),
            _ => lang.pick("（无问题记录，Enter 记录）", "(no findings; Enter records one)"),
        };
        lines.push(cut(hint, w, dim()));
    } else {
        lines.push(cut(
            lang.pick("J K 选择  r 更正  x 删除", "J K select  r correct  x delete"),
            w,
            dim(),
        ));
    }
    for (i, f) in findings.iter().enumerate() {
        let text = finding_text(model, f);
        let style = if i == chosen { selected() } else { Style::default() };
        let mark = if i == chosen { "▶" } else { " " };
        let text = format!("{mark}{}. {text}", i + 1);
        if i == chosen {
            // The selected finding in full: every line of it, wrapped.
            let indent = width(&format!("{mark}{}. ", i + 1));
            let first = wrap(&text, w as usize).into_iter().next().unwrap_or_default();
            lines.push(cut(&first, w, style));
            for line in wrap(&text[first.len()..], (w as usize).saturating_sub(indent)) {
                lines.push(cut(&format!("{}{line}", " ".repeat(indent)), w, style));
            }
        } else {
            lines.push(cut(&text, w, style));
        }
        if let (true, Some(why)) = (i == chosen, f.repeat.waived()) {
            let text = format!("   {}{why}", lang.pick("不从重理由：", "repeat removed: "));
            for line in wrap(&text, w as usize) {
                lines.push(cut(&line, w, dim()));
            }
        }
    }
    if let Some(node) = model.scorable_of(row.kind) {
        let problems: Vec<_> = node.problems().collect();
        if !problems.is_empty() {
            lines.push(cut(
                lang.pick("常见问题：", "common problems:"),
                w,
                Style::default().add_modifier(Modifier::BOLD),
            ));
            for p in problems {
                lines.push(cut(&format!("{} {}", p.code, p.text), w, dim()));
            }
        }
    }
    draw_lines(frame, inner, lines);
}

pub(super) fn render_entry(model: &Model, entry: &Entry, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let Some(node) = model.rubric.scorable(&entry.node) else {
        return;
    };
    let block = block(if entry.correcting.is_some() {
        lang.pick(
            "更正问题记录（保存为同一条记录的新版本）",
            "correct the finding (a new version of it)",
        )
    } else {
        lang.pick("记录问题", "new finding")
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width;
    let mut lines = vec![
        cut(node.name(), w, Style::default().add_modifier(Modifier::BOLD)),
        cut(&node.rule().describe(lang), w, Style::default().fg(Color::Cyan)),
    ];
    let mut cursor = None;
    // Every field wraps over as many rows as its text needs, continuation rows indented under
    // the label, and the terminal cursor stands where the text cursor is.
    let mut field = |lines: &mut Vec<Line>, step: Step, label: &str, text: &str, before: &str, chosen: bool| {
        let active = entry.step == step;
        let label = format!("{label}{}", lang.pick("：", ": "));
        let label_width = width(&label);
        let room = (w as usize).saturating_sub(label_width + 1);
        let (wrapped, (row, col)) = wrap_at(text, before.len(), room);
        if active {
            cursor = Some(Position::new(
                inner.x + (label_width + col) as u16,
                inner.y + (lines.len() + row) as u16,
            ));
        }
        // A remembered or re-entered value is shown selected: typing replaces it.
        let style = match (active, chosen) {
            (true, true) => Style::default().add_modifier(Modifier::REVERSED),
            (true, false) => Style::default().add_modifier(Modifier::UNDERLINED),
            (false, _) => Style::default(),
        };
        let label_style = if active {
            Style::default().fg(Color::Yellow)
        } else {
            dim()
        };
        for (i, part) in wrapped.into_iter().enumerate() {
            let head = if i == 0 {
                Span::styled(label.clone(), label_style)
            } else {
                Span::raw(" ".repeat(label_width))
            };
            lines.push(Line::from(vec![head, Span::styled(part, style)]));
        }
    };
    let kind = node.rule().quantity_kind();
    if kind != crate::rubric::QuantityKind::None {
        let label = match kind {
            crate::rubric::QuantityKind::Count => lang.pick("处数", "count"),
            _ => lang.pick("扣分", "points"),
        };
        field(
            &mut lines,
            Step::Quantity,
            label,
            entry.quantity.text(),
            entry.quantity.before_cursor(),
            entry.quantity.selected(),
        );
    }
    field(
        &mut lines,
        Step::Note,
        lang.pick("问题描述", "note"),
        entry.note.text(),
        entry.note.before_cursor(),
        entry.note.selected(),
    );
    // How long the note may be, once it nears the limit.
    let used = entry.note.text().chars().count();
    if used * 5 >= NOTE_LIMIT * 4 {
        let style = if used > NOTE_LIMIT {
            Style::default().fg(Color::Red)
        } else {
            Style::default().fg(Color::Yellow)
        };
        lines.push(cut(
            &format!("{}{used}/{NOTE_LIMIT}", lang.pick("字数 ", "length ")),
            w,
            style,
        ));
    }
    field(
        &mut lines,
        Step::Volume,
        lang.pick("卷", "volume"),
        entry.volume.text(),
        entry.volume.before_cursor(),
        entry.volume.selected(),
    );
    field(
        &mut lines,
        Step::Page,
        lang.pick("页", "page"),
        entry.page.text(),
        entry.page.before_cursor(),
        entry.page.selected(),
    );
    let asking = entry.auto.back.is_some();
    if let Some(notice) = &entry.auto.notice {
        if asking || entry.repeat.waived().is_some() {
            field(
                &mut lines,
                Step::Reason,
                lang.pick("不从重理由", "why not repeat"),
                entry.auto.reason.text(),
                entry.auto.reason.before_cursor(),
                false,
            );
        }
        let hint = match (asking, entry.repeat.applies()) {
            (true, _) => lang.pick(
                "Enter 确认理由  Esc 保留从重",
                "Enter confirms the reason  Esc keeps the repeat",
            ),
            (false, true) => lang.pick("Ctrl-R 不从重（须填理由）", "Ctrl-R removes the repeat (with a reason)"),
            (false, false) => lang.pick("Ctrl-R 恢复从重", "Ctrl-R restores the repeat"),
        };
        // While the reason is asked, how to answer comes first; otherwise where it was fed back.
        if asking {
            lines.push(cut(hint, w, dim()));
        }
        for line in wrap(&notice.said(&entry.repeat, lang), w as usize) {
            lines.push(cut(&line, w, Style::default().fg(Color::Magenta)));
        }
        if !asking {
            lines.push(cut(hint, w, dim()));
        }
    } else if entry.repeat.applies() {
        lines.push(cut(
            lang.pick(
                "从重：反馈后再次出现（Ctrl-R 取消）",
                "repeat of a problem fed back (Ctrl-R)",
            ),
            w,
            Style::default().fg(Color::Magenta),
        ));
    }
    if let Some(e) = &entry.error {
        lines.push(cut(e, w, Style::default().fg(Color::Red)));
    }
    if entry.discard {
        lines.push(cut(
            lang.pick(
                "再按 Esc 放弃已输入的内容；其他键继续编辑",
                "Esc again discards what was typed; any other key goes on",
            ),
            w,
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ));
    }
    let problems: Vec<_> = node.problems().collect();
    if !problems.is_empty() {
        lines.push(cut(
            lang.pick("Tab 轮换常见问题：", "Tab cycles common problems:"),
            w,
            dim(),
        ));
        for (i, p) in problems.iter().enumerate() {
            let style = if entry.problem == Some(i) { selected() } else { dim() };
            lines.push(cut(&format!("{} {}", p.code, p.text), w, style));
        }
    }
    let keys = [EntryAction::Next, EntryAction::Cancel].map(|a| keymap::hint(ENTRY_KEYS, a, lang));
    lines.push(cut(&keys.join("  "), w, dim()));
    draw_lines(frame, inner, lines);
    if let Some(pos) = cursor
        && pos.y < inner.bottom()
    {
        frame.set_cursor_position(pos);
    }
}
