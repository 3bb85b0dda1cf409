//! Whether to colour what we print, decided once per stream at start: never with `--no-color`
//! or a non-empty `NO_COLOR` (no-color.org), always with a non-empty `CLICOLOR_FORCE` other
//! than `0`, else only on a terminal whose `TERM` is not `dumb`. Colour only ever marks what
//! the text already says (headers, errors, time left), so plain output loses nothing.

use anstyle::{AnsiColor, Style};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);

/// Where the text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The decision for one stream, from the flag, a variable lookup and whether it is a terminal.
pub fn decide(no_color_flag: bool, var: impl Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |n: &str| var(n).is_some_and(|v| !v.is_empty());
    if no_color_flag || set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && var("CLICOLOR_FORCE").as_deref() != Some("0") {
        return true;
    }
    terminal && var("TERM").as_deref() != Some("dumb")
}

/// Decides for stdout and stderr; call once, after parsing the command line.
pub fn init(no_color_flag: bool) {
    let var = |n: &str| std::env::var(n).ok();
    STDOUT.store(
        decide(no_color_flag, var, std::io::stdout().is_terminal()),
        Ordering::Relaxed,
    );
    STDERR.store(
        decide(no_color_flag, var, std::io::stderr().is_terminal()),
        Ordering::Relaxed,
    );
}

/// Whether `stream` gets colour.
pub fn enabled(stream: Stream) -> bool {
    match stream {
        Stream::Stdout => STDOUT.load(Ordering::Relaxed),
        Stream::Stderr => STDERR.load(Ordering::Relaxed),
    }
}

/// `text` in `style` when the stream gets colour, else `text` as it is.
pub fn paint(stream: Stream, style: Style, text: &str) -> String {
    if enabled(stream) {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// A table header.
pub fn header(stream: Stream, text: &str) -> String {
    paint(stream, Style::new().bold().underline(), text)
}

/// Time left on a session (`59m 12s`): green, yellow under 15 minutes, red when expired.
pub fn time_left(stream: Stream, seconds: i64) -> String {
    let text = crate::duration::format_seconds(seconds);
    let color = match seconds {
        s if s <= 0 => AnsiColor::Red,
        s if s < 15 * 60 => AnsiColor::Yellow,
        _ => AnsiColor::Green,
    };
    paint(stream, color.on_default(), &text)
}

#[cfg(test)]
mod tests {
    use super::decide;

    fn vars<'a>(set: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |n| {
            set.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_terminal_gets_colour_and_a_pipe_does_not() {
        assert!(decide(false, vars(&[("TERM", "xterm")]), true));
        assert!(!decide(false, vars(&[("TERM", "xterm")]), false));
        assert!(!decide(false, vars(&[("TERM", "dumb")]), true));
    }

    #[test]
    fn no_color_flag_and_variable_win_over_everything() {
        assert!(!decide(true, vars(&[]), true));
        assert!(!decide(true, vars(&[("CLICOLOR_FORCE", "1")]), true));
        assert!(!decide(false, vars(&[("NO_COLOR", "1")]), true));
        assert!(!decide(
            false,
            vars(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            true
        ));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(decide(false, vars(&[("NO_COLOR", "")]), true));
    }

    #[test]
    fn clicolor_force_colours_a_pipe_unless_it_is_zero() {
        assert!(decide(false, vars(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!decide(false, vars(&[("CLICOLOR_FORCE", "0")]), false));
    }
}
