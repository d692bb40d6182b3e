//! Pastes that arrive as key presses.
//!
//! A Windows console gives crossterm no paste event: pasted text arrives as one key press per
//! character. In the main view those would run as commands, and a newline in a form would act
//! as Enter. No one types several characters within a few milliseconds of each other, so such a
//! burst of text keys is taken for a paste and handed to [`update`](super::update) as
//! [`Event::Paste`], as a bracketed paste on Unix is.

use super::update::Event;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::time::{Duration, Instant};

/// Key presses at most this far apart belong to one burst. Typing, even key repeat, leaves
/// 30 ms or more between keys; a console delivers a paste's keys within microseconds.
pub const BURST_GAP: Duration = Duration::from_millis(5);

/// A burst of at least this many text keys is a paste. Fewer (two keys read together after a
/// slow redraw) stay key presses, so a fast typist's commands are never swallowed.
pub const MIN_PASTE: usize = 4;

/// A key press and when it was read.
pub type TimedKey = (KeyEvent, Instant);

/// Turns key presses read with their arrival times into the events the model gets: runs of at
/// least [`MIN_PASTE`] text keys, each within [`BURST_GAP`] of the one before, become one
/// [`Event::Paste`]; every other key stays an [`Event::Key`]. Key releases (Windows reports
/// them; the model ignores them) are dropped so that they do not break a run.
pub fn sort_keys(keys: &[TimedKey]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut run: Vec<(KeyEvent, char)> = Vec::new();
    let mut last: Option<Instant> = None;
    for &(key, at) in keys.iter().filter(|(k, _)| k.kind != KeyEventKind::Release) {
        let close = last.is_some_and(|l| at.saturating_duration_since(l) <= BURST_GAP);
        match text_of(&key) {
            Some(c) if close || run.is_empty() => run.push((key, c)),
            Some(c) => {
                flush(&mut run, &mut events);
                run.push((key, c));
            }
            None => {
                flush(&mut run, &mut events);
                events.push(Event::Key(key));
            }
        }
        last = Some(at);
    }
    flush(&mut run, &mut events);
    events
}

/// Ends a run: a paste if it is long enough, else its keys one by one.
fn flush(run: &mut Vec<(KeyEvent, char)>, events: &mut Vec<Event>) {
    if run.len() >= MIN_PASTE {
        events.push(Event::Paste(run.iter().map(|(_, c)| *c).collect()));
    } else {
        events.extend(run.iter().map(|(k, _)| Event::Key(*k)));
    }
    run.clear();
}

/// The character a key press puts into pasted text: a printable character (Shift allowed), a
/// newline for Enter, a tab for Tab; `None` for keys that text never contains.
fn text_of(key: &KeyEvent) -> Option<char> {
    if !(key.modifiers - KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key presses of `text` (`\n` as Enter), `gap_ms` apart, starting at `start`.
    fn typed(text: &str, start: Instant, gap: Duration) -> Vec<TimedKey> {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                let code = if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) };
                (KeyEvent::from(code), start + gap * i as u32)
            })
            .collect()
    }

    fn keys_of(events: &[Event]) -> String {
        events
            .iter()
            .map(|e| match e {
                Event::Key(KeyEvent {
                    code: KeyCode::Char(c), ..
                }) => c.to_string(),
                Event::Key(KeyEvent {
                    code: KeyCode::Enter, ..
                }) => "⏎".into(),
                Event::Key(k) => format!("<{:?}>", k.code),
                Event::Paste(t) => format!("[paste {t}]"),
                _ => "?".into(),
            })
            .collect()
    }

    const PASTED: Duration = Duration::from_micros(20);
    const TYPED: Duration = Duration::from_millis(80);

    #[test]
    fn a_paste_in_the_main_view_is_one_paste_not_commands() {
        // As key presses, these letters would run as commands in the main view.
        let now = Instant::now();
        let events = sort_keys(&typed("dq说理不充分\n第二行", now, PASTED));
        assert_eq!(keys_of(&events), "[paste dq说理不充分\n第二行]");
    }

    #[test]
    fn typing_stays_key_presses_even_fast_typing_and_key_repeat() {
        let now = Instant::now();
        assert_eq!(keys_of(&sort_keys(&typed("jjjjjjdq", now, TYPED))), "jjjjjjdq");
        let repeat = Duration::from_millis(30);
        assert_eq!(keys_of(&sort_keys(&typed("jjjjjj", now, repeat))), "jjjjjj");
    }

    #[test]
    fn a_few_keys_read_together_after_a_slow_redraw_stay_keys() {
        let now = Instant::now();
        let short = "x".repeat(MIN_PASTE - 1);
        assert_eq!(keys_of(&sort_keys(&typed(&short, now, PASTED))), short);
        let long = "x".repeat(MIN_PASTE);
        assert_eq!(
            keys_of(&sort_keys(&typed(&long, now, PASTED))),
            format!("[paste {long}]")
        );
    }

    #[test]
    fn the_gap_decides_where_a_burst_ends() {
        let now = Instant::now();
        let at_gap = sort_keys(&typed("abcd", now, BURST_GAP));
        assert_eq!(keys_of(&at_gap), "[paste abcd]");
        let beyond = sort_keys(&typed("abcd", now, BURST_GAP + Duration::from_micros(1)));
        assert_eq!(keys_of(&beyond), "abcd");
    }

    #[test]
    fn a_key_typed_before_a_paste_and_one_after_stay_keys() {
        let now = Instant::now();
        let mut keys = typed("a", now, TYPED);
        keys.extend(typed("粘贴的文字", now + TYPED, PASTED));
        keys.extend(typed("q", now + TYPED * 3, TYPED));
        assert_eq!(keys_of(&sort_keys(&keys)), "a[paste 粘贴的文字]q");
    }

    #[test]
    fn control_and_arrow_keys_are_never_pasted_and_split_a_burst() {
        let now = Instant::now();
        let mut keys = typed("abcd", now, PASTED);
        keys.push((KeyEvent::from(KeyCode::Down), now + PASTED * 4));
        keys.push((
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
            now + PASTED * 5,
        ));
        keys.extend(typed("efgh", now + PASTED * 6, PASTED));
        let events = sort_keys(&keys);
        assert_eq!(keys_of(&events[..2]), "[paste abcd]<Down>");
        assert!(matches!(events[2], Event::Key(k) if k.modifiers == KeyModifiers::CONTROL));
        assert_eq!(keys_of(&events[3..]), "[paste efgh]");
    }

    #[test]
    fn shifted_characters_and_releases_do_not_break_a_paste() {
        let now = Instant::now();
        let mut keys = Vec::new();
        for (i, c) in "AbC!".chars().enumerate() {
            let at = now + PASTED * (2 * i as u32);
            let shift = if c.is_ascii_lowercase() {
                KeyModifiers::NONE
            } else {
                KeyModifiers::SHIFT
            };
            keys.push((KeyEvent::new(KeyCode::Char(c), shift), at));
            let mut release = KeyEvent::new(KeyCode::Char(c), shift);
            release.kind = KeyEventKind::Release;
            keys.push((release, at + PASTED));
        }
        assert_eq!(keys_of(&sort_keys(&keys)), "[paste AbC!]");
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(sort_keys(&[]).is_empty());
    }
}
