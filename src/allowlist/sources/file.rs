//! `{ file = "carrier.txt" }`: one address or CIDR range per line, `#` starts a comment, blank
//! lines are skipped; the path is relative to the allowlist file's folder.

use super::{Item, Position, SourceError, SourceOptions};

/// The lines of the file that say something, with their line numbers.
pub(super) async fn read(path: &str, options: &SourceOptions) -> Result<Vec<Item>, SourceError> {
    let full = options.base_dir.join(path);
    let text = tokio::fs::read(&full)
        .await
        .map_err(|e| SourceError::Read {
            path: full.display().to_string(),
            reason: e.to_string(),
        })?;
    let text = String::from_utf8(text).map_err(|e| SourceError::Unparsable {
        from: format!("file {path:?}"),
        reason: format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
    })?;
    Ok(lines(&text))
}

/// The lines of a text that say something (comments and blanks left out), numbered from 1.
pub(super) fn lines(text: &str) -> Vec<Item> {
    // A byte-order mark is not part of the first line (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let value = line.split_once('#').map_or(line, |(value, _)| value).trim();
            (!value.is_empty()).then(|| Item {
                text: value.to_owned(),
                position: Position::Line(i + 1),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_left_out() {
        let items = lines("\u{feff}# carrier X\n198.51.100.0/24  # core\n\n  203.0.113.10\r\n#\n");
        let got: Vec<(&str, usize)> = items
            .iter()
            .map(|i| match i.position {
                Position::Line(n) => (i.text.as_str(), n),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(got, [("198.51.100.0/24", 2), ("203.0.113.10", 4)]);
    }
}
