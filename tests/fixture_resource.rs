//! Adding a plain resource is adding a spec file: a copy of this crate with one more file in
//! `spec/` (`codegen/tests/fixtures/spec/trunk_credential_list.yaml`, a trunk's Credential Lists, SID
//! prefix `CL`, which exists nowhere else) builds with no other edit, and the new resource
//! works end to end on the embedded emulator: a handle reachable from its parent, builders for
//! exactly the declared operations, typed SIDs, client-side checks naming the wire parameter,
//! pagination, and emulator routes with parent scoping, 404/20404 and 400/20001.
//!
//! The copy is built by a nested `cargo test --offline` in a target directory of its own under
//! the outer one (`CARGO_TARGET_TMPDIR`, so `CARGO_TARGET_DIR` is honoured and the outer build's
//! lock and binaries are left alone). It needs no network because the outer build has fetched
//! every crate already, and it starts from the outer build's compiled dependencies (hard links,
//! small files copied with their times) built with the outer build's features, so only the
//! copy's own crates are compiled again.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// What the copy's own test asserts against the new resource.
const TEST: &str = r#"
use twilio_ip_access::{Error, RetryPolicy, mock::MockTwilio};

const CL: &str = "CLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

#[tokio::test]
async fn credential_lists_of_a_trunk() {
    let twilio = MockTwilio::start().await;
    let trunk = twilio.create_trunk();
    let other_trunk = twilio.create_trunk();
    let client = twilio.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    let lists = client.trunk(&trunk).credential_lists();

    // Create: the association's SID is the list's, and the parent SID comes from the path.
    let created = lists.create(CL).await.unwrap();
    assert_eq!(created.sid, CL);
    assert_eq!(created.trunk_sid, trunk);
    assert_eq!(created.account_sid, *twilio.account_sid());
    assert_eq!(
        created.url,
        format!("{}/v1/Trunks/{trunk}/CredentialLists/{CL}", twilio.base_url())
    );
    let sent = twilio.requests().pop().unwrap();
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("POST", &*format!("/v1/Trunks/{trunk}/CredentialLists")));
    assert_eq!(String::from_utf8(sent.body).unwrap(), format!("CredentialListSid={CL}"));

    // Fetch and list, in the v1 envelope.
    let fetched = lists.fetch(CL).await.unwrap();
    assert_eq!(fetched, created);
    let page = lists.list().page_size(1).send().await.unwrap();
    assert_eq!(page.items(), &[created.clone()]);
    assert!(page.next_cursor().is_none());

    // One association per pair: 400/20001.
    let err = lists.create(CL).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(400), Some(20001)), "{err}");

    // Parent scoping: another trunk does not see it; an unknown trunk is a 404.
    assert!(client.trunk(&other_trunk).credential_lists().list().collect().await.unwrap().is_empty());
    let err = client
        .trunk("TKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
        .credential_lists()
        .fetch(CL)
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)), "{err}");

    // Client-side checks name the wire parameter, and nothing is sent.
    let before = twilio.requests().len();
    let err = lists.create("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { parameter: "CredentialListSid", .. }), "{err}");
    let err = client.trunk("TK-bad").credential_lists().list().send().await.unwrap_err();
    assert_eq!(err.parameter(), Some("TrunkSid"));
    assert_eq!(twilio.requests().len(), before);

    // The emulator checks the schema too: a malformed SID sent raw is a 400/20001.
    let raw = reqwest::Client::new()
        .post(format!("{}/v1/Trunks/{trunk}/CredentialLists", twilio.base_url()))
        .basic_auth(twilio.account_sid().as_str(), Some(twilio.auth_token()))
        .form(&[("CredentialListSid", "CL-not-a-sid")])
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["code"], 20001);

    // No update is declared: the emulator answers 405, and the handle has no `update`.
    let raw = reqwest::Client::new()
        .post(format!("{}/v1/Trunks/{trunk}/CredentialLists/{CL}", twilio.base_url()))
        .basic_auth(twilio.account_sid().as_str(), Some(twilio.auth_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 405);

    // Delete, then it is gone.
    lists.delete(CL).await.unwrap();
    let err = lists.fetch(CL).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)), "{err}");
}
"#;

/// The crate's features this test was compiled with: the outer build compiled every dependency
/// for them. The nested build asks for the same set (plus `mock`, which the copy's test needs),
/// because a different set changes the hash of every crate whose features unify differently
/// (tokio, serde, clap, …) and cargo would compile them all again.
fn outer_features() -> Vec<&'static str> {
    let built = [
        ("rustls", cfg!(feature = "rustls")),
        ("mock", cfg!(feature = "mock")),
        ("schemars", cfg!(feature = "schemars")),
        ("allowlist", cfg!(feature = "allowlist")),
        ("cli", cfg!(feature = "cli")),
    ];
    // A feature added to Cargo.toml must be added above, or its builds would not be reused.
    let manifest = include_str!("../Cargo.toml");
    let declared: Vec<&str> = manifest
        .split("\n[features]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .into_iter()
        .flat_map(str::lines)
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .filter(|name| *name != "default" && !name.starts_with('#'))
        .collect();
    let mut known: Vec<&str> = built.iter().map(|(name, _)| *name).collect();
    let mut declared_sorted = declared.clone();
    known.sort_unstable();
    declared_sorted.sort_unstable();
    assert_eq!(known, declared_sorted, "the features of Cargo.toml");
    built
        .iter()
        .filter(|(name, on)| *on || *name == "mock")
        .map(|(name, _)| *name)
        .collect()
}

/// Seeds `to` (a profile directory of the nested target) with the outer build's compiled
/// dependencies: `deps/`, `build/` and `.fingerprint/` of `from`, big files in `deps/` as hard
/// links (rustc replaces its outputs by renaming, never by writing in place), everything else
/// (fingerprints, dep-info, build scripts' `OUT_DIR`s, which build scripts rewrite in place) as
/// copies with their modification times. The workspace's own crates are left out: their hashes do not depend on where the
/// workspace lies, so the copy's crates would reuse (and rewrite) the outer build's files. Cargo reuses an artifact whose fingerprint and
/// hash match, which holds for every registry crate built with the same features and profile;
/// the copy's own crates have other hashes (their path differs) and are compiled. Where the
/// outer build has nothing (or a hard link fails) the nested build compiles it, as from cold.
fn seed(from: &Path, to: &Path) {
    const SMALL: u64 = 64 * 1024;
    for dir in ["deps", "build", ".fingerprint"] {
        let (from, to) = (from.join(dir), to.join(dir));
        if from.is_dir() {
            link_tree(
                &from,
                &to,
                if dir == "deps" { SMALL } else { u64::MAX },
                true,
            );
        }
    }
}

fn link_tree(from: &Path, to: &Path, small: u64, top: bool) {
    let _ = std::fs::create_dir_all(to);
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let name = entry.file_name().to_string_lossy().replace('_', "-");
        if top
            && name
                .trim_start_matches("lib")
                .starts_with("twilio-ip-access")
        {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            link_tree(&source, &target, small, false);
        } else if !target.exists()
            && (meta.len() < small || std::fs::hard_link(&source, &target).is_err())
        {
            copy_keeping_mtime(&source, &target, &meta);
        }
    }
}

/// Copies a file with its modification time: cargo compares the times of a unit's outputs with
/// its dependencies' (`StaleDependency`), so a copy dated now would make every crate that
/// depends on it look stale, and the nested build would compile them all again.
fn copy_keeping_mtime(source: &Path, target: &Path, meta: &std::fs::Metadata) {
    if std::fs::copy(source, target).is_ok()
        && let Ok(modified) = meta.modified()
    {
        let _ = std::fs::File::options()
            .write(true)
            .open(target)
            .and_then(|f| f.set_modified(modified));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, relative to it.
fn files(dir: &Path, prefix: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let relative = prefix.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            files(&entry.path(), &relative, out);
        } else {
            out.push(relative);
        }
    }
}

#[test]
fn a_spec_file_alone_makes_a_working_resource() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-resource");
    let copy = work.join("crate");
    let _ = std::fs::remove_dir_all(&work);
    // What the crate is made of; tests/ is left out, the copy gets only its own test.
    for dir in ["codegen", "spec", "src", "docs", "examples", "benches"] {
        copy_dir(&root.join(dir), &copy.join(dir));
    }
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ] {
        std::fs::copy(root.join(file), copy.join(file)).unwrap();
    }
    let mut before = Vec::new();
    files(&copy, Path::new(""), &mut before);

    // The whole change: one spec file (and the test that uses it).
    std::fs::copy(
        root.join("codegen/tests/fixtures/spec/trunk_credential_list.yaml"),
        copy.join("spec/trunk_credential_list.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(copy.join("tests")).unwrap();
    std::fs::write(copy.join("tests/credential_lists.rs"), TEST).unwrap();
    let mut after = Vec::new();
    files(&copy, Path::new(""), &mut after);
    after.retain(|f| !before.contains(f));
    after.sort();
    assert_eq!(
        after,
        [
            PathBuf::from("spec/trunk_credential_list.yaml"),
            PathBuf::from("tests/credential_lists.rs")
        ]
    );

    // This test's binary is `<target>/<profile>/deps/fixture_resource-<hash>`.
    let nested = work.join("target");
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(Path::parent);
    if let Some(profile) = profile {
        seed(profile, &nested.join("debug"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", &nested)
        // Plain `Compiling …` lines, which the check below reads.
        .env("CARGO_TERM_COLOR", "never")
        .args(["test", "--offline", "--no-default-features", "--features"])
        .arg(outer_features().join(","))
        .args(["--test", "credential_lists"])
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the copy with the fixture spec failed:\n{text}"
    );
    assert!(
        text.contains("test credential_lists_of_a_trunk ... ok"),
        "the copy's test did not run:\n{text}"
    );
    // Seeded from a build of the same profile, the copy's own crates are compiled and the
    // dependencies are the outer build's. A few of the generator's dependencies may be compiled
    // again: on a cold build the outer one has them only with the features its other targets
    // unify (seen: indexmap and yaml_serde). More than that means the seeding or the feature
    // set went wrong, which costs minutes and a gigabyte.
    if profile.is_some_and(|p| p.ends_with("debug")) {
        let mut compiled: Vec<&str> = text
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
            .filter_map(|rest| rest.split_whitespace().next())
            .collect();
        compiled.sort_unstable();
        assert!(
            compiled.contains(&"twilio-ip-access")
                && compiled.contains(&"twilio-ip-access-codegen"),
            "the copy's own crates were not compiled:\n{text}"
        );
        let again: Vec<&&str> = compiled
            .iter()
            .filter(|c| !c.starts_with("twilio-ip-access"))
            .collect();
        assert!(
            again.len() <= 4,
            "the nested build compiled {} dependencies again ({again:?}):\n{text}",
            again.len()
        );
    }
    // Kept on failure, to look into; on success only disk.
    let _ = std::fs::remove_dir_all(&work);
}
