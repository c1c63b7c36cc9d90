//! `twilio-allowlist` with a `[byoc]` table against the `twilio-mock` binary (`--seed`, on
//! 127.0.0.1): plan, its JSON document, apply, the empty plan after, export, a refusal with
//! its file position, and a saved plan refused (exit 3) when the IP Records changed.

#![cfg(all(feature = "cli", feature = "mock"))]

mod common;

use std::{
    path::PathBuf,
    process::{Command, Output, Stdio},
};

use common::process::TwilioMock;

const BIN: &str = env!("CARGO_BIN_EXE_twilio-allowlist");

struct Run {
    server: TwilioMock,
    dir: PathBuf,
}

impl Run {
    fn new() -> Run {
        let dir =
            std::env::temp_dir().join(format!("twilio-allowlist-byoc-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Run {
            server: TwilioMock::start(&["--seed"]),
            dir,
        }
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out: Output = Command::new(BIN)
            .args(["--base-url", &self.server.base_url])
            .args(args)
            .env_clear()
            .env("TWILIO_ACCOUNT_SID", &self.server.account_sid)
            .env("TWILIO_AUTH_TOKEN", &self.server.auth_token)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.code().expect("an exit code"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const FILE: &str = r#"[byoc]
ip_records = [
  { ip = "203.0.113.10", name = "sbc-fra-1", sip_domain = "seed.sip.twilio.com" },
  "192.0.2.44",
]
"#;

#[test]
fn byoc_records_plan_apply_export_and_a_stale_saved_plan() {
    let run = Run::new();
    let file = run.file("allowlist.toml", FILE);

    let (code, out, err) = run.run(&["plan", "-f", &file]);
    assert_eq!(code, 2, "changes pending: {out}{err}");
    assert!(
        out.starts_with(
            "byoc: IP Records and Source IP Mappings\n  \
             + 192.0.2.44/32      \"192.0.2.44\"\n  \
             + 203.0.113.10/32    \"sbc-fra-1\"\n  \
             + map 203.0.113.10/32 to sip domain \"seed.sip.twilio.com\" (SD"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("Plan: 3 to add, 0 to change, 0 to remove.\n"),
        "{out}"
    );

    let (code, json, _) = run.run(&["plan", "--json", "-f", &file]);
    assert_eq!(code, 2);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["format_version"], 4);
    let actions: Vec<&str> = document["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create_ip_record",
            "create_ip_record",
            "create_source_ip_mapping"
        ]
    );

    let (code, out, err) = run.run(&["apply", "--yes", "-f", &file]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("Apply complete: 3 added, 0 changed, 0 removed."),
        "{out}{err}"
    );
    let (code, out, _) = run.run(&["plan", "-f", &file]);
    assert_eq!(
        (code, out.as_str()),
        (0, "No changes. The allowlist matches the file.\n")
    );

    // Export writes the records back (beside the seeded list), and its plan is empty.
    let exported = run.dir.join("exported.toml").display().to_string();
    let (code, _, err) = run.run(&["export", "-o", &exported]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.contains("[byoc]\nip_records = [\n  \"192.0.2.44\",\n  { ip = \"203.0.113.10\", name = \"sbc-fra-1\", sip_domain = \"seed.sip.twilio.com\" },\n]\n"),
        "{text}"
    );
    let (code, out, _) = run.run(&["plan", "-f", &exported]);
    assert_eq!(code, 0, "{out}");

    // A rename, saved as a plan; then another writer (this file, without the rename) adds a
    // record: the saved plan is stale (exit 3) and writes nothing.
    let renamed = run.file(
        "renamed.toml",
        &FILE.replace(
            "\"192.0.2.44\"",
            "{ ip = \"192.0.2.44\", name = \"carrier-x\" }",
        ),
    );
    let saved = run.dir.join("plan.json").display().to_string();
    let (code, out, _) = run.run(&["plan", "-f", &renamed, "-o", &saved]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("~ 192.0.2.44/32      \"192.0.2.44\" -> \"carrier-x\""),
        "{out}"
    );
    let more = run.file(
        "more.toml",
        &FILE.replace(
            "  \"192.0.2.44\",",
            "  \"192.0.2.44\",\n  \"198.51.100.9\",",
        ),
    );
    assert_eq!(run.run(&["apply", "--yes", "-f", &more]).0, 0);
    let (code, out, err) = run.run(&["apply", "--yes", &saved]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains("the IP Records changed (2 then, 3 now)"),
        "{err}"
    );

    // A refusal names the file, line, column and entry; nothing is sent.
    let bad = run.file(
        "bad.toml",
        "[byoc]\nip_records = [\n  \"203.0.113.10/24\",\n]\n",
    );
    let (code, _, err) = run.run(&["plan", "-f", &bad]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "{bad}:3:3: [byoc] ip_records, entry \"203.0.113.10/24\": host bits are set"
        )),
        "{err}"
    );
}
