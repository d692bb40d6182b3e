//! Drawing: a pure function of the [`Model`]. Every width is measured in terminal cells, so
//! double-width CJK text is cut before it reaches a border.

mod compare;
mod detail;
mod full;
mod ledger;
mod overlay;
mod status;
mod team;
mod tree;

use super::model::{Mode, Model};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

/// Draws the whole screen.
pub fn render(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let [main, status_area] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    if let Mode::Ledger(view) = &model.mode {
        ledger::render(model, view, frame, main);
        status::render(model, frame, status_area);
        return;
    }
    if let Mode::Progress(view) = &model.mode {
        team::render(model, view, frame, main);
        status::render(model, frame, status_area);
        return;
    }
    let tree_width = if main.width >= 120 {
        main.width * 9 / 20
    } else {
        main.width / 2
    };
    let [left, right] = Layout::horizontal([Constraint::Length(tree_width), Constraint::Min(10)]).areas(main);
    // A wide screen gives the selected line's rule and findings a column of their own.
    let (right, side) = if main.width >= full::WIDE {
        let [middle, side] = Layout::horizontal([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).areas(right);
        (middle, Some(side))
    } else {
        (right, None)
    };
    let meta_height = if model.meta_collapsed {
        3
    } else {
        (model.rubric.fields.len() as u16 + 4).min(right.height / 2).max(3)
    };
    let [top, bottom] = Layout::vertical([Constraint::Length(meta_height), Constraint::Min(3)]).areas(right);
    tree::render(model, frame, left);
    detail::render_meta(model, frame, top);
    match &model.mode {
        Mode::Entry(entry) => detail::render_entry(model, entry, frame, bottom),
        _ => detail::render_findings(model, frame, bottom, side.is_some()),
    }
    if let Some(side) = side {
        full::render(model, frame, side);
    }
    status::render(model, frame, status_area);
    overlay::render(model, frame, area);
    if let Mode::Compare(view) = &model.mode {
        compare::render(model, view, frame, area);
    }
}

/// A bordered block with a title.
fn block(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Plain)
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ))
}

/// The style of a selected line.
fn selected() -> Style {
    Style::default()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

/// A dim style for hints.
fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

/// Lines drawn top-down into `area`, each cut at its width: what `Paragraph::new(lines)`
/// draws without wrapping, without its per-character reflow (most of a frame's cost at 200×60,
/// where the tree and the two detail panels are redrawn on every key).
fn draw_lines<'a>(frame: &mut Frame, area: Rect, lines: impl IntoIterator<Item = Line<'a>>) {
    let buf = frame.buffer_mut();
    for (line, y) in lines.into_iter().zip(area.top()..area.bottom()) {
        buf.set_line(area.x, y, &line, area.width);
    }
}

/// A line of `text` cut to `width` cells.
fn cut(text: &str, width: u16, style: Style) -> Line<'static> {
    Line::from(Span::styled(super::text::truncate(text, width as usize), style))
}

/// A rectangle of at most `w`×`h` centred in `area`.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}
