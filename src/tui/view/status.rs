//! The status line: case k of n, total, grades, the last write, reviewer and stage. In the
//! ledger view, which is about no case, the case part gives way to the message.

use super::super::model::{Mode, Model, Status};
use super::super::text::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let mut left = format!(
        "{} {}/{}",
        lang.pick("案", "case"),
        model.case_index + 1,
        model.cases.len()
    );
    if let Some(c) = model.case() {
        left.push(' ');
        left.push_str(&c.case_no);
    }
    if matches!(model.mode, Mode::Ledger(_)) {
        left = lang.pick("整改台账", "ledger").to_owned();
    } else if let Some(d) = &model.data {
        left.push_str(&format!(
            " │ {} {} {}",
            lang.pick("得分", "total"),
            d.score.total,
            d.score.grade
        ));
        if let Some(x) = &d.score.decision {
            left.push_str(&format!(" ({} {})", lang.pick("认定", "decided"), x.grade));
        }
    }
    let (word, colour) = match &model.status {
        Status::Idle => (String::new(), Color::Reset),
        Status::Saved(s) => (s.clone(), Color::Green),
        Status::Info(s) => (s.clone(), Color::Cyan),
        Status::Error(s) => (s.clone(), Color::Red),
    };
    let right = format!(
        "{}·{}  ? {}",
        model.opts.reviewer,
        model.opts.stage,
        lang.pick("帮助", "help")
    );
    let total = area.width as usize;
    let right = truncate(&right, total / 3);
    let left = truncate(&left, total.saturating_sub(width(&right) + 2));
    let room = total.saturating_sub(width(&left) + width(&right) + 4);
    let word = truncate(&word, room);
    let gap = total.saturating_sub(width(&left) + width(&word) + width(&right) + 3);
    let line = Line::from(vec![
        Span::styled(left, Style::default().add_modifier(Modifier::BOLD)),
        Span::raw(" │ "),
        Span::styled(word, Style::default().fg(colour)),
        Span::raw(" ".repeat(gap)),
        Span::styled(right, Style::default().fg(Color::DarkGray)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
