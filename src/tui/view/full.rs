//! The detail column of a wide screen (≥ 160 columns): the selected line's name, rule and
//! checklist elements, and every finding under it, all in full, wrapped.

use super::super::model::{Model, RowKind};
use super::super::text::{width, wrap};
use super::detail::finding_text;
use super::{block, cut, dim, draw_lines, selected};
use crate::rubric::Rule;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

/// The terminal width from which the detail column is drawn.
pub const WIDE: u16 = 160;

/// `head` then `text`, wrapped to `w` cells, continuation lines indented under `text`.
fn hanging(head: &str, text: &str, w: u16, style: Style) -> Vec<Line<'static>> {
    let indent = width(head);
    let w = w as usize;
    if indent + 2 > w {
        return wrap(&format!("{head}{text}"), w)
            .iter()
            .map(|l| cut(l, w as u16, style))
            .collect();
    }
    wrap(text, w - indent)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 { head.to_owned() } else { " ".repeat(indent) };
            cut(&format!("{lead}{part}"), w as u16, style)
        })
        .collect()
}

/// Draws the detail column for the selected line.
pub(super) fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let block = block(lang.pick("细则与问题记录（全文）", "rule and findings in full"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(row) = model.selected_row() else { return };
    let w = inner.width;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let rule_style = Style::default().fg(Color::Cyan);
    let mut lines = hanging("", &row.name, w, bold);
    if let Some(node) = model.scorable_of(row.kind) {
        let points = format!("{}{}", node.points(), lang.pick("分", " points"));
        match node.rule() {
            Rule::PerMissing { amount, elements } => {
                let head = match lang {
                    crate::lang::Lang::Zh => format!("规则 缺一项扣{amount}分（共{}项，{points}）：", elements.len()),
                    crate::lang::Lang::En => {
                        format!(
                            "rule: {amount} per missing element ({} elements, {points}):",
                            elements.len()
                        )
                    }
                };
                lines.extend(hanging("", &head, w, rule_style));
                for (i, e) in elements.iter().enumerate() {
                    lines.extend(hanging(&format!("  {}. ", i + 1), e, w, rule_style));
                }
            }
            rule => {
                let head = lang.pick("规则 ", "rule: ");
                let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
                lines.extend(hanging(
                    head,
                    &format!("{}{open}{points}{close}", rule.describe(lang)),
                    w,
                    rule_style,
                ));
            }
        }
    } else if let (RowKind::Case, Some(d)) = (row.kind, &model.data) {
        let s = &d.score;
        lines.extend(hanging(
            "",
            &format!(
                "{} {}  {} {}",
                lang.pick("得分", "total"),
                s.total,
                lang.pick("等次", "grade"),
                s.grade
            ),
            w,
            rule_style,
        ));
        if let Some(x) = &s.decision {
            let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
            lines.extend(hanging(
                lang.pick("认定 ", "decided: "),
                &format!("{}{open}{}{close}", x.grade, x.reason),
                w,
                rule_style,
            ));
        }
    }
    lines.extend(super::detail::mark_lines(model, row, w));
    let findings = model.selected_findings();
    let chosen = model.finding_cursor.min(findings.len().saturating_sub(1));
    lines.push(Line::default());
    lines.push(cut(
        &match lang {
            crate::lang::Lang::Zh => format!("问题记录（{}）", findings.len()),
            crate::lang::Lang::En => format!("findings ({})", findings.len()),
        },
        w,
        bold,
    ));
    // Findings of several nodes (the case or a category row) say which node each is on.
    let many = model.scorable_of(row.kind).is_none();
    for (i, f) in findings.iter().enumerate() {
        let style = if i == chosen { selected() } else { Style::default() };
        let mut text = finding_text(model, f);
        if many {
            let name = model.rubric.scorable(&f.node).map_or(f.node.as_str(), |n| n.name());
            text = format!("{name}{}{text}", lang.pick("：", ": "));
        }
        lines.extend(hanging(&format!("{}. ", i + 1), &text, w, style));
        if let Some(why) = f.repeat.waived() {
            lines.extend(hanging(
                "   ",
                &format!("{}{why}", lang.pick("不从重理由：", "repeat removed: ")),
                w,
                dim(),
            ));
        }
    }
    if let Some(node) = model.scorable_of(row.kind) {
        let problems: Vec<_> = node.problems().collect();
        if !problems.is_empty() {
            lines.push(Line::default());
            lines.push(cut(lang.pick("常见问题：", "common problems:"), w, bold));
            for p in problems {
                lines.extend(hanging(&format!("{} ", p.code), &p.text, w, dim()));
            }
        }
    }
    draw_lines(frame, inner, lines);
}
