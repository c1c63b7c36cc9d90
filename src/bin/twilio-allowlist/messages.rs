//! The library's errors in this command's words: its options (`--max-removals 30`), never the
//! library's names (`ApplyOptions::max_removals`), and a hint where the answer was not Twilio's.

use twilio_ip_access::allowlist::{GuardOption, Refusal};

/// The guards' refusals, in this command's words (its options, not the library's).
pub(crate) fn refused(refusals: &[Refusal]) -> String {
    let mut text = String::from("refused, nothing was written:");
    for refusal in refusals {
        let allow = match refusal.allowed_by() {
            (GuardOption::MaxRemovals, Some(n)) => format!("--max-removals {n}"),
            (GuardOption::MaxRemovalPercent, Some(n)) => format!("--max-removal-percent {n}"),
            _ => "--allow-empty".to_owned(),
        };
        text.push_str(&format!(
            "\n  {}; pass `{allow}` if that is what you want",
            refusal.reason()
        ));
    }
    text
}

/// Where the requests that failed were sent: what the hint at a foreign answer points to.
#[derive(Clone, Copy)]
pub(crate) enum SentTo {
    /// Twilio's URL, or `--base-url` (the one account of the environment).
    BaseUrlOption,
    /// The account's `base_url` in the file, or Twilio's URL without one (an estate).
    AccountTable,
}

/// A request's error, with a hint when the answer is not Twilio's.
pub(crate) fn request_failed(e: &twilio_ip_access::Error, to: SentTo) -> String {
    if !e.is_foreign_response() {
        return e.to_string();
    }
    let check = match to {
        SentTo::BaseUrlOption => "--base-url",
        SentTo::AccountTable => "the account's `base_url` in the file",
    };
    format!(
        "{e}\nThat is not an answer of Twilio's API: check {check} (it should be Twilio's, or an emulator's such as twilio-mock) and any proxy on the way"
    )
}
