//! What the command prints and how: quiet or not, colour or not, the plan as markdown, and
//! `apply --json`'s one document.

use std::io::{self, IsTerminal};

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use twilio_ip_access::allowlist::{EstatePlan, Plan, Report};

/// How to print, decided once from the flags, the environment and the terminals.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ui {
    /// `-q`: errors only.
    pub(crate) quiet: bool,
    colour_stdout: bool,
    colour_stderr: bool,
}

/// Where a text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

impl Ui {
    pub(crate) fn new(quiet: bool, no_color: bool) -> Self {
        // https://no-color.org: set and not empty. A dumb terminal shows escapes as text.
        let colour = !no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        Self {
            quiet,
            colour_stdout: colour && io::stdout().is_terminal(),
            colour_stderr: colour && io::stderr().is_terminal(),
        }
    }

    /// Whether standard error gets colour.
    pub(crate) fn colour_on_stderr(&self) -> bool {
        self.colour_stderr
    }

    fn colour(&self, stream: Stream) -> bool {
        match stream {
            Stream::Stdout => self.colour_stdout,
            Stream::Stderr => self.colour_stderr,
        }
    }

    /// Prints `text` as it is.
    pub(crate) fn print(&self, stream: Stream, text: &str) {
        match stream {
            Stream::Stdout => out(text),
            Stream::Stderr => eprint!("{text}"),
        }
    }

    /// Prints a plan's or report's text, its `+ ~ -` lines in colour where colour is on.
    pub(crate) fn print_changes(&self, stream: Stream, text: &str) {
        if self.colour(stream) {
            self.print(stream, &paint(text));
        } else {
            self.print(stream, text);
        }
    }

    /// A remark on standard error (a warning, a note, a hint), unless `-q`.
    pub(crate) fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// The error line on standard error, `Error:` in red where colour is on.
    pub(crate) fn error(&self, message: &str) {
        if self.colour_stderr {
            let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
            eprintln!("{red}Error:{red:#} {message}");
        } else {
            eprintln!("Error: {message}");
        }
    }
}

/// The line's change symbol (`+`, `~`, `-`) after its indentation, if it has one.
fn symbol(line: &str) -> Option<char> {
    let mut chars = line.trim_start().chars();
    match (chars.next(), chars.next()) {
        (Some(c @ ('+' | '~' | '-')), Some(' ')) => Some(c),
        _ => None,
    }
}

/// `text` with its `+` lines green, `~` lines yellow and `-` lines red.
fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let colour = match symbol(line) {
            Some('+') => AnsiColor::Green,
            Some('~') => AnsiColor::Yellow,
            Some('-') => AnsiColor::Red,
            _ => {
                out.push_str(line);
                continue;
            }
        };
        let style = Style::new().fg_color(Some(colour.into()));
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&format!("{style}{body}{style:#}{end}"));
    }
    out
}

/// The plan for a pull-request comment: the summary line first, then the changes in a `diff`
/// block (so `+` and `-` show in colour) inside a collapsed `<details>`.
pub(crate) fn markdown(plan: &Plan) -> String {
    if plan.is_empty() {
        return "**No changes.** The allowlist matches the file.\n".into();
    }
    let summary = plan.summary().to_string();
    let text = plan.to_string();
    let mut body = String::new();
    let mut lists = 0;
    for line in text.lines() {
        if line == summary {
            break;
        }
        // The change symbol in the first column, where a diff block looks for it.
        match symbol(line) {
            Some(c) => {
                let rest = line.trim_start()[1..].trim_start();
                let indent = line.len() - line.trim_start().len();
                body.push(c);
                body.push_str(&" ".repeat(indent + 1));
                body.push_str(rest);
            }
            None => body.push_str(line),
        }
        body.push('\n');
        lists += usize::from(!line.is_empty() && !line.starts_with(' '));
    }
    let body = body.trim_end();
    // A fence longer than any run of backticks in the text (names are free text).
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let changes = plan.changes().len();
    format!(
        "**{summary}**\n\n<details><summary>{changes} change{} in {lists} list{}</summary>\n\n{fence}diff\n{body}\n{fence}\n\n</details>\n",
        plural(changes),
        plural(lists),
    )
}

/// An estate's plan for a pull-request comment: its summary line (the totals) first, then
/// each account under a heading, its header as the text plan words it (SID, subaccount,
/// region, edge, base URL), with its plan as [`markdown`] shows one account's, or its error
/// quoted (every line of it).
pub(crate) fn estate_markdown(plan: &EstatePlan) -> String {
    let mut out = format!("**{}**\n", plan.total_line());
    for account in plan.accounts() {
        out.push_str(&format!("\n#### {}\n\n", account.heading()));
        match account.plan() {
            Ok(plan) => out.push_str(&markdown(plan)),
            Err(error) => {
                let message = crate::Fail::in_account(error).1;
                for (n, line) in message.lines().enumerate() {
                    let line = if n == 0 {
                        format!("> **Error:** {line}")
                    } else {
                        format!("> {line}")
                    };
                    out.push_str(line.trim_end());
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// `"a", "b"`: names as messages quote them.
pub(crate) fn quoted<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `apply --json`'s one document, printed whatever happens: the plan document's keys in their
/// order (`format_version` alone when there is no plan), then `report` and `error`. For an
/// estate, the plan is the estate plan document (version 5) and the report is grouped by
/// account.
#[derive(Serialize)]
pub(crate) struct ApplyDocument<'a, P = &'a Plan, R = &'a Report> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) format_version: Option<u32>,
    #[serde(flatten)]
    pub(crate) plan: Option<P>,
    /// `null` when nothing was attempted.
    pub(crate) report: Option<R>,
    pub(crate) error: Option<Failure<'a>>,
}

/// Why `apply` did not end with exit code 0.
#[derive(Serialize)]
pub(crate) struct Failure<'a> {
    pub(crate) message: &'a str,
    pub(crate) exit_code: u8,
}

impl<P: Serialize, R: Serialize> ApplyDocument<'_, P, R> {
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // These plain types always serialize; keep any failure visible.
            format!("{{\"error\": {{\"message\": {:?}}}}}", e.to_string())
        })
    }
}

/// Writes `text` to standard output. A reader that went away (`plan --json | head`) is not
/// an error of the command: the rest of the output is dropped, and the command goes on to its
/// own exit code (`print!` would panic).
pub(crate) fn out(text: impl std::fmt::Display) {
    use std::io::Write;
    let _ = write!(io::stdout().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_change_lines_are_painted() {
        let text = "list \"a\" (AL…)\n  + 192.0.2.1/32 \"x\"\n  ~ 192.0.2.2/32 \"y\" -> \"z\"\n  - detach trunk \"t\"\n\nPlan: 1 to add, 1 to change, 1 to remove.\n";
        let painted = paint(text);
        assert_eq!(
            painted,
            "list \"a\" (AL…)\n\u{1b}[32m  + 192.0.2.1/32 \"x\"\u{1b}[0m\n\u{1b}[33m  ~ 192.0.2.2/32 \"y\" -> \"z\"\u{1b}[0m\n\u{1b}[31m  - detach trunk \"t\"\u{1b}[0m\n\nPlan: 1 to add, 1 to change, 1 to remove.\n"
        );
    }
}
