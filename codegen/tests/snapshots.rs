//! What the generator emits for the fixture spec directory (`tests/fixtures/spec/`: a trunk and
//! its Credential Lists), held as snapshots in `tests/snapshots/`: a change of the generator is
//! reviewed as a diff of the generated code. After an intended change, run
//! `INSTA_UPDATE=always cargo test -p twilio-ip-access-codegen --test snapshots` (or
//! `cargo insta review`) and commit the updated snapshots with it.

use std::path::Path;

use twilio_ip_access_codegen::generate_dir;

#[test]
fn the_fixture_spec_generates_what_the_snapshots_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec");
    let out = generate_dir(&dir).unwrap_or_else(|p| panic!("{p:#?}"));
    let modules: Vec<&str> = out.bindings.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(modules, ["trunk", "trunk_credential_list"]);
    for (module, code) in &out.bindings {
        insta::assert_snapshot!(format!("bindings_{module}"), code);
    }
    insta::assert_snapshot!("modules", out.modules);
    insta::assert_snapshot!("facade", out.facade);
    insta::assert_snapshot!("sid_kinds", out.sid_kinds);
    insta::assert_snapshot!("emulator_tables", out.emulator);
}
