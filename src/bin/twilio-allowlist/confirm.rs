//! Asking before writing, on a terminal only.

use std::io::{self, BufRead, IsTerminal, Write};

use crate::{FAILED, Fail};

/// Asks for `yes` on the terminal; anything else, or no terminal, writes nothing.
pub(crate) fn ask() -> Result<(), Fail> {
    if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
        return Err(Fail(
            FAILED,
            "apply asks for confirmation, but standard input or standard error is not a terminal: pass --yes to apply without asking".into(),
        ));
    }
    eprint!("\nApply these changes? Only 'yes' is accepted: ");
    let _ = io::stderr().flush();
    let mut answer = String::new();
    if io::stdin().lock().read_line(&mut answer).is_err() || answer.trim() != "yes" {
        return Err(Fail(FAILED, "apply cancelled; nothing was written".into()));
    }
    Ok(())
}
