//! The rectification ledger (整改台账): the filters on one line, a table of entries coloured by
//! their deadline ([`Timeliness`]: red overdue, yellow due within `--due-days`, green closed on
//! time; an entry closed late or with nothing due soon keeps the plain colour), the selected
//! entry's detail and history, and the keys. The colour's meaning is also written in the 时效
//! column, so it reads without colour (and in snapshots). A note or deadline being typed is a
//! pop-up.

use super::super::keymap;
use super::super::model::{LedgerAsk, LedgerForm, LedgerView, Model, Status};
use super::super::text::{tail, truncate, width};
use super::{block, cut, dim, overlay, selected};
use crate::lang::Lang;
use crate::ledger::{Entry, State, Timeliness};
use crate::store::LedgerEvent;
use crate::store::clock::{Stamp, format_beijing};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Cells of the 期限 column (`YYYY-MM-DD`).
const DEADLINE_W: usize = 10;
/// Cells of the 时效 column.
const FLAG_W: usize = 10;
/// Cells of the 案号 column at most.
const CASE_W: usize = 21;
/// Cells of the 承办单位 column, when shown.
const UNIT_W: usize = 18;
/// The table shows 承办单位 from this many cells on.
const UNIT_FROM: usize = 96;
/// The table shows 整改措施 from this many cells on.
const MEASURES_FROM: usize = 150;

/// The colour of an entry's row: red overdue, yellow due soon, green closed on time.
fn colour(t: Timeliness) -> Option<Color> {
    match t {
        Timeliness::Overdue(_) => Some(Color::Red),
        Timeliness::DueSoon(_) => Some(Color::Yellow),
        Timeliness::ClosedOnTime => Some(Color::Green),
        Timeliness::Open | Timeliness::ClosedLate(_) => None,
    }
}

/// The 时效 column: the colour's meaning in words.
fn flag(t: Timeliness, lang: Lang) -> String {
    match (t, lang) {
        (Timeliness::Overdue(n), Lang::Zh) => format!("逾期{n}天"),
        (Timeliness::Overdue(n), Lang::En) => format!("{n}d late"),
        (Timeliness::DueSoon(0), _) => lang.pick("今日到期", "due today").to_owned(),
        (Timeliness::DueSoon(n), Lang::Zh) => format!("剩{n}天"),
        (Timeliness::DueSoon(n), Lang::En) => format!("{n}d left"),
        (Timeliness::ClosedOnTime, _) => lang.pick("按期销号", "on time").to_owned(),
        (Timeliness::ClosedLate(_), _) => lang.pick("超期销号", "done late").to_owned(),
        (Timeliness::Open, _) => String::new(),
    }
}

/// `text` cut and padded to exactly `w` cells.
fn pad(text: &str, w: usize) -> String {
    let text = truncate(text, w);
    let fill = w.saturating_sub(width(&text));
    format!("{text}{}", " ".repeat(fill))
}

/// Column widths for a table `w` cells wide (0: column not shown).
struct Widths {
    case: usize,
    unit: usize,
    problem: usize,
    measures: usize,
    state: usize,
}

fn widths(w: usize, lang: Lang) -> Widths {
    let state = State::ALL.iter().map(|s| width(s.label(lang))).max().unwrap_or(10);
    // The marker, then 期限, 时效 and 状态 with a space before each.
    let mut rest = w.saturating_sub(2 + 1 + DEADLINE_W + 1 + FLAG_W + 1 + state);
    let unit = if w >= UNIT_FROM { UNIT_W } else { 0 };
    rest = rest.saturating_sub(unit + usize::from(unit > 0));
    let case = CASE_W.min(rest / 2);
    rest = rest.saturating_sub(case + 1);
    let measures = if w >= MEASURES_FROM { rest * 2 / 5 } else { 0 };
    let problem = rest.saturating_sub(measures + usize::from(measures > 0));
    Widths {
        case,
        unit,
        problem,
        measures,
        state,
    }
}

/// One table line: the columns padded, each with a space before it.
fn table_line(marker: &str, cols: &Widths, cells: [&str; 7], total: usize) -> String {
    let [case, unit, problem, measures, deadline, flag, state] = cells;
    let mut text = pad(marker, 2);
    text.push_str(&pad(case, cols.case));
    for (cell, w) in [(unit, cols.unit), (problem, cols.problem), (measures, cols.measures)] {
        if w > 0 {
            text.push(' ');
            text.push_str(&pad(cell, w));
        }
    }
    for (cell, w) in [(deadline, DEADLINE_W), (flag, FLAG_W), (state, cols.state)] {
        text.push(' ');
        text.push_str(&pad(cell, w));
    }
    pad(&text, total)
}

/// Draws the ledger view over `area` (the screen above the status line).
pub(super) fn render(model: &Model, view: &LedgerView, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let rows = model.ledger_rows();
    let total = model.ledger.as_ref().map_or(0, Vec::len);
    let count = |want: fn(Timeliness) -> bool| {
        rows.iter()
            .filter(|e| want(e.timeliness(model.today, model.opts.due_days)))
            .count()
    };
    let overdue = count(|t| matches!(t, Timeliness::Overdue(_)));
    let due = count(|t| matches!(t, Timeliness::DueSoon(_)));
    let title = match lang {
        Lang::Zh => format!("整改台账 {}/{total} · 逾期 {overdue} · 临期 {due}", rows.len()),
        Lang::En => format!(
            "rectification ledger {}/{total} · overdue {overdue} · due {due}",
            rows.len()
        ),
    };
    let outer = block(&truncate(&title, area.width.saturating_sub(4) as usize));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let detail_h = if inner.height >= 12 {
        (inner.height / 3).max(5)
    } else {
        0
    };
    // The key line from the key table; a narrow English screen takes two.
    let key_lines = keymap::ledger_key_lines(lang, inner.width as usize);
    let [filters, table, detail, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail_h),
        Constraint::Length(key_lines.len().clamp(1, 2) as u16),
    ])
    .areas(inner);
    render_filters(model, view, frame, filters);
    let chosen = view.selected.min(rows.len().saturating_sub(1));
    render_table(model, &rows, chosen, frame, table);
    if let Some(entry) = rows.get(chosen) {
        render_detail(model, entry, frame, detail);
    }
    // A refusal gets the whole width of the keys line (the status line has less room).
    let foot: Vec<Line> = match &model.status {
        Status::Error(e) => vec![cut(e, keys.width, Style::default().fg(Color::Red))],
        _ => key_lines.iter().map(|l| cut(l, keys.width, dim())).collect(),
    };
    frame.render_widget(Paragraph::new(foot), keys);
    if let Some(form) = &view.form {
        render_form(model, form, frame, area);
    }
}

fn render_filters(model: &Model, view: &LedgerView, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let all = lang.pick("全部", "all");
    let active = Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD);
    let value = |on: bool, text: String| (text, if on { active } else { Style::default() });
    let unit = match view.unit.as_deref() {
        Some("") => lang.pick("（未填）", "(blank)").to_owned(),
        Some(u) => u.to_owned(),
        None => all.to_owned(),
    };
    let parts = [
        (lang.pick("承办单位 ", "unit ").to_owned(), dim()),
        value(view.unit.is_some(), unit),
        (lang.pick(" │ 状态 ", " │ state ").to_owned(), dim()),
        value(
            view.state.is_some(),
            view.state.map_or(all, |s| s.label(lang)).to_owned(),
        ),
        (lang.pick(" │ 仅逾期 ", " │ overdue only ").to_owned(), dim()),
        value(
            view.overdue,
            lang.pick(
                if view.overdue { "是" } else { "否" },
                if view.overdue { "yes" } else { "no" },
            )
            .to_owned(),
        ),
        (
            match lang {
                Lang::Zh => format!(" │ 今天 {} · 临期 {} 天内", model.today, model.opts.due_days),
                Lang::En => format!(" │ today {} · due within {} days", model.today, model.opts.due_days),
            },
            dim(),
        ),
    ];
    let mut room = area.width as usize;
    let mut spans = Vec::new();
    for (text, style) in parts {
        let text = truncate(&text, room);
        room = room.saturating_sub(width(&text));
        spans.push(Span::styled(text, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_table(model: &Model, rows: &[&Entry], chosen: usize, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let w = area.width as usize;
    let cols = widths(w, lang);
    let head = table_line(
        "",
        &cols,
        [
            lang.pick("案号", "case no."),
            lang.pick("承办单位", "unit"),
            lang.pick("问题", "problem"),
            lang.pick("整改措施", "measures"),
            lang.pick("期限", "deadline"),
            lang.pick("时效", "timing"),
            lang.pick("状态", "state"),
        ],
        w,
    );
    let mut lines = vec![Line::from(Span::styled(
        head,
        Style::default().add_modifier(Modifier::BOLD),
    ))];
    let empty = match &model.ledger {
        None => Some(lang.pick("载入中…", "loading…")),
        Some(all) if all.is_empty() => Some(lang.pick(
            "台账为空：按 S 将各案定稿评查表的问题加入台账（同 pingcha ledger sync）",
            "the ledger is empty: S adds the findings of each case's counting sheet (as pingcha ledger sync)",
        )),
        Some(_) if rows.is_empty() => Some(lang.pick(
            "没有符合筛选条件的整改问题（x 清除筛选）",
            "no entry passes the filters (x clears them)",
        )),
        Some(_) => None,
    };
    if let Some(text) = empty {
        lines.push(cut(text, area.width, dim()));
    }
    let room = (area.height as usize).saturating_sub(1);
    let start = chosen.saturating_sub(room.saturating_sub(1));
    for (i, e) in rows.iter().enumerate().skip(start).take(room) {
        let t = e.timeliness(model.today, model.opts.due_days);
        let text = table_line(
            if i == chosen { "▶" } else { "" },
            &cols,
            [
                &e.case_no,
                &e.row.unit,
                &e.wording(),
                &e.row.measures,
                &e.row.deadline.map_or_else(|| "—".to_owned(), |d| d.to_string()),
                &flag(t, lang),
                e.row.state.label(lang),
            ],
            w,
        );
        let style = match (colour(t), i == chosen) {
            (Some(c), true) => Style::default().fg(c).add_modifier(Modifier::REVERSED | Modifier::BOLD),
            (Some(c), false) => Style::default().fg(c),
            (None, true) => selected(),
            (None, false) => Style::default(),
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A history event: when (Beijing time), who, from → to, and the note.
fn event_line(e: &LedgerEvent, lang: Lang) -> String {
    let when = format_beijing(Stamp(e.hlc).millis());
    if e.note.is_empty() {
        format!("{when} {} {}→{}", e.who, e.from, e.to)
    } else {
        format!(
            "{when} {} {}→{}{}{}",
            e.who,
            e.from,
            e.to,
            lang.pick("：", ": "),
            e.note
        )
    }
}

fn render_detail(model: &Model, e: &Entry, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let lang = model.opts.lang;
    let id = e.row.id.short();
    let frame_block = Block::default().borders(Borders::TOP).title(Span::raw(truncate(
        &format!(" {} {id} ", lang.pick("详情", "entry")),
        area.width as usize,
    )));
    let inner = frame_block.inner(area);
    frame.render_widget(frame_block, area);
    let w = inner.width;
    let label = |zh: &str, en: &str, value: &str| {
        let label = format!("{} ", lang.pick(zh, en));
        let room = (w as usize).saturating_sub(width(&label));
        Line::from(vec![
            Span::styled(truncate(&label, w as usize), dim()),
            Span::raw(truncate(value, room)),
        ])
    };
    let t = e.timeliness(model.today, model.opts.due_days);
    let due = match (&e.row.deadline, t) {
        (None, _) => lang.pick("未定", "none").to_owned(),
        (Some(d), Timeliness::ClosedLate(n)) => match lang {
            Lang::Zh => format!("{d}（超期 {n} 天销号）"),
            Lang::En => format!("{d} (closed {n} days late)"),
        },
        (Some(d), t) if flag(t, lang).is_empty() => d.to_string(),
        (Some(d), t) => match lang {
            Lang::Zh => format!("{d}（{}）", flag(t, lang)),
            Lang::En => format!("{d} ({})", flag(t, lang)),
        },
    };
    let mut fields = vec![
        label(
            "案号",
            "case",
            &format!(
                "{} · {} · {} {}",
                e.case_no,
                e.row.unit,
                lang.pick("承办人", "handler"),
                e.row.handler
            ),
        ),
        label("问题", "problem", &e.wording()),
    ];
    if e.row.problem_code.is_some() && !e.row.note.is_empty() && e.row.note != e.row.problem {
        fields.push(label("描述", "note", &e.row.note));
    }
    fields.push(label(
        "期限",
        "deadline",
        &format!("{due} · {} {}", lang.pick("状态", "state"), e.row.state.label(lang)),
    ));
    if !e.row.measures.is_empty() {
        fields.push(label("整改措施", "measures", &e.row.measures));
    }
    if !e.row.evidence.is_empty() {
        fields.push(label("佐证材料", "evidence", &e.row.evidence));
    }
    if !e.row.verifier.is_empty() {
        let on = e.row.verified_on.map(|d| d.to_string()).unwrap_or_default();
        fields.push(label("核查", "checked", &format!("{} {on}", e.row.verifier)));
    }
    let history: Vec<Line> = match &model.ledger_history {
        Some((id, events)) if *id == e.row.id => events
            .iter()
            .map(|ev| label("历程", "history", &event_line(ev, lang)))
            .collect(),
        _ => Vec::new(),
    };
    // The newest state changes get at least two lines; the fields the rest.
    let h = inner.height as usize;
    let history_room = h.saturating_sub(fields.len()).max(history.len().min(2)).min(h);
    fields.truncate(h - history_room);
    let skip = history.len().saturating_sub(history_room);
    if skip > 0 && history_room > 1 {
        // Say that older changes are left out, in place of one more of them.
        let hidden = skip + 1;
        let text = match lang {
            Lang::Zh => format!("⋯ 更早的 {hidden} 条历程未显示（窗口放大可见）"),
            Lang::En => format!("⋯ {hidden} earlier changes not shown (a taller window shows them)"),
        };
        fields.push(cut(&text, inner.width, dim()));
        fields.extend(history.into_iter().skip(hidden));
    } else {
        fields.extend(history.into_iter().skip(skip));
    }
    frame.render_widget(Paragraph::new(fields), inner);
}

fn render_form(model: &Model, form: &LedgerForm, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let entry = model.ledger.iter().flatten().find(|e| e.row.id == form.entry_id);
    let case_no = entry.map_or("", |e| e.case_no.as_str());
    let (title, about, prompt) = match form.ask {
        LedgerAsk::Note(action) => {
            let from = entry.map(|e| e.row.state);
            let to = from.and_then(|s| crate::ledger::transition(s, action).ok());
            let step = match (from, to) {
                (Some(f), Some(t)) => format!("{} → {}", f.label(lang), t.label(lang)),
                _ => String::new(),
            };
            (
                format!("{} {case_no}", lang.pick(action.name(), action.key())),
                step,
                lang.pick("说明（必填）：", "note (required): "),
            )
        }
        LedgerAsk::Deadline => (
            format!("{} {case_no}", lang.pick("整改期限", "deadline")),
            lang.pick("格式 YYYY-MM-DD", "as YYYY-MM-DD").to_owned(),
            lang.pick("期限：", "deadline: "),
        ),
        LedgerAsk::Measures => (
            format!("{} {case_no}", lang.pick("整改措施", "measures")),
            lang.pick("留空则清除", "empty clears them").to_owned(),
            lang.pick("措施：", "measures: "),
        ),
        LedgerAsk::Evidence => (
            format!("{} {case_no}", lang.pick("佐证材料", "evidence")),
            lang.pick("留空则清除", "empty clears them").to_owned(),
            lang.pick("材料：", "evidence: "),
        ),
    };
    let inner = overlay::popup(frame, area, 72, 6, &title);
    let room = (inner.width as usize).saturating_sub(width(prompt) + 1);
    let x = inner.x + (width(prompt) + width(&tail(form.text.before_cursor(), room))) as u16;
    if x < inner.right() && inner.height > 1 {
        frame.set_cursor_position(Position::new(x, inner.y + 1));
    }
    let mut lines = vec![
        cut(&about, inner.width, dim()),
        Line::from(vec![
            Span::styled(
                truncate(prompt, inner.width as usize),
                Style::default().fg(Color::Yellow),
            ),
            Span::raw(tail(form.text.text(), room)),
        ]),
    ];
    match &form.error {
        Some(e) => lines.push(cut(e, inner.width, Style::default().fg(Color::Red))),
        None => lines.push(Line::default()),
    }
    lines.push(cut(
        lang.pick("Enter 保存  Esc 取消", "Enter saves  Esc cancels"),
        inner.width,
        dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
