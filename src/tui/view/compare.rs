//! The reviewers' sheets of one case side by side: a column per sheet, a row per item, the
//! selected item's notes below and the spread of totals and grades at the foot. What it shows
//! is [`crate::review::compare_all`]'s answer; rows where the sheets differ carry `≠` (and a
//! colour, which snapshots do not see).

use super::super::keymap::{self, COMPARE_KEYS, CompareAction};
use super::super::model::{CompareView, Model};
use super::super::text::{truncate, width, wrap};
use super::{block, cut, dim, selected};
use crate::lang::Lang;
use crate::review::{Column, Comparison, ItemRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Lines of the column heads: reviewer · stage, total, grade, decided grade.
const HEAD_LINES: u16 = 4;

/// Draws the comparison over the whole screen.
pub(super) fn render(model: &Model, view: &CompareView, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    frame.render_widget(Clear, area);
    let title = match &model.comparison {
        Some(c) => format!(
            "{} {} {}",
            lang.pick("对照", "compare"),
            c.case.case_no,
            c.case.field("title")
        ),
        None => lang.pick("对照", "compare").to_owned(),
    };
    let outer = block(&truncate(&title, area.width.saturating_sub(4) as usize));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let Some(cmp) = &model.comparison else {
        frame.render_widget(
            Paragraph::new(cut(lang.pick("载入中…", "loading…"), inner.width, dim())),
            inner,
        );
        return;
    };
    if cmp.columns.is_empty() {
        let text = lang.pick("此案尚无评查表。", "no sheets for this case yet.");
        frame.render_widget(Paragraph::new(cut(text, inner.width, dim())), inner);
        return;
    }
    let rows = model.compare_rows();
    // The table takes the rows it needs (heads, category headings, items); the notes of the
    // selected item the rest, and at least a quarter.
    let lines = table_lines(&rows);
    let notes_min = (inner.height / 4).max(3);
    let needed = HEAD_LINES + lines.len().max(1) as u16;
    let table_h = needed
        .min(inner.height.saturating_sub(1 + notes_min))
        .max(HEAD_LINES + 1);
    let [table, notes, foot] = Layout::vertical([
        Constraint::Length(table_h),
        Constraint::Min(notes_min),
        Constraint::Length(1),
    ])
    .areas(inner);
    let chosen = view.selected.min(rows.len().saturating_sub(1));
    let shown = layout(table.width, cmp.columns.len(), view.first);
    render_table(model, cmp, (&rows, &lines), chosen, &shown, frame, table);
    render_notes(model, cmp, rows.get(chosen).copied(), frame, notes);
    render_foot(model, cmp, view, frame, foot);
}

/// `text` cut and padded to exactly `w` cells.
fn pad(text: &str, w: usize) -> String {
    let text = truncate(text, w);
    let fill = w.saturating_sub(width(&text));
    format!("{text}{}", " ".repeat(fill))
}

/// The narrowest a sheet's column gets before columns scroll instead.
const MIN_COLUMN: usize = 14;

/// Which sheet columns are shown and how wide: the item column's width, the range of columns
/// and each one's width. When not all fit at [`MIN_COLUMN`], as many as fit are shown from
/// `first` (so every `h`/`l` moves the view, the last columns may leave room unused).
fn layout(total: u16, columns: usize, first: usize) -> (usize, std::ops::Range<usize>, usize) {
    let total = total as usize;
    let item = (total * 2 / 5).max(12).min(total);
    let room = total - item;
    let fit = (room / MIN_COLUMN).clamp(1, columns.max(1));
    let start = if fit == columns {
        0
    } else {
        first.min(columns.saturating_sub(1))
    };
    (item, start..(start + fit).min(columns), room / fit)
}

/// The item column's width, the sheet columns shown, each one's width (see [`layout`]).
type Shown = (usize, std::ops::Range<usize>, usize);

/// A line of the table below its heads: a category heading, or the item row at an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableLine<'a> {
    /// A category's name, above its first item shown.
    Category(&'a str),
    /// The item row at this index of the rows.
    Item(usize),
}

/// The table's lines: each category's name above its first row, then its rows.
fn table_lines<'a>(rows: &[&'a ItemRow]) -> Vec<TableLine<'a>> {
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i == 0 || rows[i - 1].category != row.category {
            lines.push(TableLine::Category(&row.category));
        }
        lines.push(TableLine::Item(i));
    }
    lines
}

fn render_table(
    model: &Model,
    cmp: &Comparison,
    (rows, table): (&[&ItemRow], &[TableLine]),
    chosen: usize,
    (item_w, range, col_w): &Shown,
    frame: &mut Frame,
    area: Rect,
) {
    let (item_w, col_w) = (*item_w, *col_w);
    let lang = model.opts.lang;
    let columns = cmp.columns.get(range.clone()).unwrap_or_default();
    let head = |label: &str, cell: &dyn Fn(&Column) -> String| {
        let mut text = pad(label, item_w);
        for col in columns {
            text.push_str(&pad(&format!(" {}", cell(col)), col_w));
        }
        Line::from(Span::styled(text, Style::default().add_modifier(Modifier::BOLD)))
    };
    // When not every sheet fits, the heading says which are shown and how to see the others.
    let label = if columns.len() < cmp.columns.len() {
        let n = cmp.columns.len();
        match lang {
            Lang::Zh => format!("   项目  ‹h 表{}–{}/{n} l›", range.start + 1, range.end),
            Lang::En => format!("   item  ‹h sheets {}–{}/{n} l›", range.start + 1, range.end),
        }
    } else {
        lang.pick("   项目", "   item").to_owned()
    };
    let mut lines = vec![
        head(&label, &|c| format!("{}·{}", c.sheet.reviewer, c.sheet.stage)),
        head(lang.pick("   总分", "   total"), &|c| c.score.total.to_string()),
        head(lang.pick("   等次", "   grade"), &|c| c.score.grade.clone()),
        head(lang.pick("   认定等次", "   decided"), &|c| {
            c.score
                .decision
                .as_ref()
                .map_or_else(|| "—".to_owned(), |d| d.grade.clone())
        }),
    ];
    let room = (area.height.saturating_sub(HEAD_LINES)) as usize;
    let at = table.iter().position(|l| *l == TableLine::Item(chosen)).unwrap_or(0);
    let start = at.saturating_sub(room.saturating_sub(1));
    for line in table.iter().skip(start).take(room) {
        let i = match *line {
            TableLine::Category(name) => {
                let heading = format!("── {name} ──");
                lines.push(cut(&heading, area.width, Style::default().add_modifier(Modifier::BOLD)));
                continue;
            }
            TableLine::Item(i) => i,
        };
        let row = rows[i];
        let here = if i == chosen { "▶" } else { " " };
        let marker = if row.differs { "≠ " } else { "  " };
        let mut text = pad(&format!("{here}{marker}{}", row.name), item_w);
        for cell in row.cells.get(range.clone()).unwrap_or_default() {
            let shown = cell.text(lang);
            text.push_str(&pad(
                &format!(" {}", if shown.is_empty() { "·" } else { &shown }),
                col_w,
            ));
        }
        let style = if i == chosen {
            selected()
        } else if row.differs {
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if rows.is_empty() {
        lines.push(cut(
            lang.pick(
                "  各表均无问题记录（a 显示全部项目）",
                "  no findings on any sheet (a shows all items)",
            ),
            area.width,
            dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_notes(model: &Model, cmp: &Comparison, row: Option<&ItemRow>, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let title = match row {
        Some(r) => format!(" {} {} ", lang.pick("记录", "notes"), r.name),
        None => format!(" {} ", lang.pick("记录", "notes")),
    };
    let frame_block = Block::default()
        .borders(Borders::TOP)
        .title(Span::raw(truncate(&title, area.width.saturating_sub(2) as usize)));
    let inner = frame_block.inner(area);
    frame.render_widget(frame_block, area);
    let mut lines = Vec::new();
    if let Some(row) = row {
        // Every note in full, wrapped under its reviewer, with where it was seen.
        let w = inner.width as usize;
        for (col, cell) in cmp.columns.iter().zip(&row.cells) {
            let head = format!("{}·{}{}", col.sheet.reviewer, col.sheet.stage, lang.pick("：", ": "));
            let indent = width(&head).min(w / 2);
            for (note, volume, page) in &cell.notes_at {
                let place = super::super::describe::place(*volume, *page, lang);
                let text = if place.is_empty() {
                    note.clone()
                } else {
                    format!("{note} {place}")
                };
                for (k, part) in wrap(&text, w.saturating_sub(indent).max(2)).into_iter().enumerate() {
                    let lead = if k == 0 { head.clone() } else { " ".repeat(indent) };
                    lines.push(cut(&format!("{lead}{part}"), inner.width, Style::default()));
                }
            }
        }
    }
    if lines.is_empty() {
        lines.push(cut(lang.pick("（无记录）", "(no notes)"), inner.width, dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_foot(model: &Model, cmp: &Comparison, view: &CompareView, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let differing = cmp.items.iter().filter(|r| r.differs).count();
    let summary = match lang {
        Lang::Zh => format!(
            "≠ {differing} 项不一致 · 总分差 {} · 等次{}  ",
            cmp.spread,
            if cmp.grades_differ { "不一致" } else { "一致" }
        ),
        Lang::En => format!(
            "≠ {differing} differ · spread {} · grades {}  ",
            cmp.spread,
            if cmp.grades_differ { "differ" } else { "agree" }
        ),
    };
    let all = match view.all {
        false => keymap::hint(COMPARE_KEYS, CompareAction::All, lang),
        true => format!(
            "{} {}",
            keymap::label(COMPARE_KEYS, CompareAction::All),
            lang.pick("仅有记录项", "scored only")
        ),
    };
    let keys = [
        keymap::hint(COMPARE_KEYS, CompareAction::Down, lang),
        all,
        keymap::hint(COMPARE_KEYS, CompareAction::Back, lang),
    ]
    .join("  ");
    let summary = truncate(&summary, area.width as usize);
    let room = (area.width as usize).saturating_sub(width(&summary));
    let line = Line::from(vec![
        Span::styled(summary, Style::default().add_modifier(Modifier::BOLD)),
        Span::styled(truncate(&keys, room), dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
