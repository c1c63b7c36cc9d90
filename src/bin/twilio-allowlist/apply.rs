//! `apply`: show the plan, ask, write with a progress display, report.

use std::io::{self, BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use twilio_ip_access::{
    Client,
    allowlist::{self, ApplyOptions, ChangeResult, Plan},
};

use crate::{FAILED, Fail, OK};

pub(crate) async fn apply(
    client: &Client,
    plan: Plan,
    yes: bool,
    options: ApplyOptions,
    json: bool,
) -> Result<u8, Fail> {
    // With --json, standard output carries only the JSON document.
    let show = |text: &str| {
        if json {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    };
    show(&plan.to_string());
    if plan.is_empty() {
        if json {
            println!("{}", document(&plan, None));
        }
        return Ok(OK);
    }
    plan.check(&options)?;
    if !yes {
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
    }
    let total = plan.changes().len() as u64;
    let bar = io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        bar
    });
    let progress = bar.clone();
    let options = options.on_progress(move |outcome, finished, total| match &progress {
        Some(bar) => {
            if outcome.result != ChangeResult::Done {
                bar.println(outcome.to_string());
            }
            bar.set_message(outcome.change.to_string());
            bar.inc(1);
        }
        None => eprintln!("[{finished}/{total}] {outcome}"),
    });
    let applied = plan.apply(client, options).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = applied?;
    if json {
        println!("{}", document(&plan, Some(&report)));
    } else {
        print!("\n{report}");
    }
    Ok(if report.is_complete() { OK } else { FAILED })
}

/// `{"format_version": 2, "plan": …, "report": …}`.
fn document(plan: &Plan, report: Option<&allowlist::Report>) -> String {
    let value = serde_json::json!({
        "format_version": allowlist::FORMAT_VERSION,
        "plan": plan,
        "report": report,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

