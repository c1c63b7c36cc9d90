//! `[settings] prune_prefix` and pruning (`PlanOptions::prune`, `--prune`) on the emulator
//! (127.0.0.1 only): the lists named with the prefix that the file does not name are detached
//! and deleted, with exactly those requests; nothing else is touched, and nothing at all
//! without the flag; the removal guards count what a pruned list takes with it; a saved plan's
//! pruned deletion is verified, and a tampered one refused; and the command line.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use allowlist_support::{create_list, snapshot, writes};
use serde_json::Value;
use twilio_ip_access::{
    Client,
    allowlist::{
        self, ApplyOptions, Change, DeleteList, Desired, Error, ListBuilder, Plan, PlanOptions,
        Refusal,
    },
    mock::{Fault, MockTwilio},
    sid::{SipDomainSid, TrunkSid},
};

const FILE: &str = "allowlist.toml";
const PREFIX: &str = "managed: ";

/// The file: a named list with the prefix, a split list (two live parts), and `settings`.
fn file(settings: &str) -> String {
    format!(
        "{settings}\n\
         [lists.\"managed: office\"]\naddresses = [\"198.51.100.7\"]\ntrunks = [\"my trunk\"]\nsip_domains = []\n\n\
         [lists.\"managed: big\"]\nsplit = true\naddresses = [\"192.0.2.1\", \"192.0.2.2\"]\ntrunks = []\nsip_domains = []\n"
    )
}

fn with_prefix() -> Desired {
    Desired::from_toml(&file("[settings]\nprune_prefix = \"managed: \"\n"), FILE).unwrap()
}

struct World {
    mock: MockTwilio,
    client: Client,
    trunk: TrunkSid,
    domain: SipDomainSid,
    /// The SID of "managed: old", the stray: 2 addresses, on the trunk and the domain.
    old: String,
}

impl World {
    /// The account: the file's lists as it wants them, the stray "managed: old", and two lists
    /// the prefix does not cover ("other", "managed:tight").
    async fn new() -> World {
        let mock = MockTwilio::start().await;
        let trunk = mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
        let domain = mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
        let client = mock.client();
        let mut w = World {
            mock,
            client,
            trunk,
            domain,
            old: String::new(),
        };
        let office = w.list("managed: office", &["198.51.100.7"]).await;
        w.attach(&office).await;
        w.list("managed: big", &["192.0.2.1"]).await;
        w.list("managed: big (2)", &["192.0.2.2"]).await;
        w.list("other", &["203.0.113.1"]).await;
        w.list("managed:tight", &["203.0.113.2"]).await;
        w.old = w
            .list("managed: old", &["203.0.113.10", "203.0.113.11"])
            .await;
        w.attach(&w.old.clone()).await;
        w.client
            .sip_domain(&w.domain)
            .auth_calls_ip_access_control_list_mappings()
            .create(&w.old)
            .await
            .unwrap();
        w
    }

    /// A list of these /32s, each named by its address.
    async fn list(&self, name: &str, addresses: &[&str]) -> String {
        let addresses: Vec<(&str, u8, &str)> = addresses.iter().map(|a| (*a, 32, *a)).collect();
        create_list(&self.client, name, &addresses).await
    }

    async fn attach(&self, list: &str) {
        self.client
            .trunk(&self.trunk)
            .ip_access_control_lists()
            .create(list)
            .await
            .unwrap();
    }

    async fn plan(&self, desired: &Desired, prune: bool) -> Result<Plan, Error> {
        allowlist::plan_with(&self.client, desired, PlanOptions::default().prune(prune)).await
    }
}

#[tokio::test]
async fn prune_deletes_only_the_lists_the_file_owns_and_does_not_name() {
    let w = World::new().await;
    let before = snapshot(&w.client).await;
    let desired = with_prefix();
    assert_eq!(desired.prune_prefix(), Some(PREFIX));

    // Without pruning, a list the file does not name is never touched: nothing to do.
    let plan = w.plan(&desired, false).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    assert_eq!(plan.lists().len(), 3, "the file's lists only");

    // With it: "managed: old" detached from the trunk and the domain, then deleted. The named
    // list with the prefix, the split list's second part, "other" and "managed:tight" stay.
    let plan = w.plan(&desired, true).await.unwrap();
    let actions: Vec<(String, Option<&str>)> = plan
        .changes()
        .iter()
        .map(|c| (c.to_string(), c.list()))
        .collect();
    assert_eq!(
        actions,
        [
            (
                format!(
                    "- detach list \"managed: old\" from trunk \"my trunk\" ({})",
                    w.trunk
                ),
                Some("managed: old")
            ),
            (
                format!(
                    "- detach list \"managed: old\" from sip domain \"acme.sip.twilio.com\" ({})",
                    w.domain
                ),
                Some("managed: old")
            ),
            (
                "- delete list \"managed: old\" (pruned)".to_owned(),
                Some("managed: old")
            ),
        ]
    );
    assert_eq!(
        plan.changes()[2],
        Change::DeleteList(DeleteList {
            list: "managed: old".into(),
            pruned: Some(PREFIX.into()),
        })
    );
    assert_eq!(
        plan.summary().to_string(),
        "Plan: 0 to add, 0 to change, 3 to remove."
    );
    let text = plan.to_string();
    assert!(
        text.contains(&format!(
            "list \"managed: old\" ({})\n  - detach trunk \"my trunk\" ({})\n",
            w.old, w.trunk
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "- delete list \"managed: old\" (pruned: not in the file, named with its prune_prefix \"managed: \"; its addresses go with it)\n  - 203.0.113.10/32    \"203.0.113.10\" (goes with the list)\n  - 203.0.113.11/32    \"203.0.113.11\" (goes with the list)\n"
        ),
        "the addresses that go are shown: {text}"
    );
    let document: Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(document["format_version"], 4);
    assert_eq!(
        document["changes"][2],
        serde_json::json!({"action": "delete_list", "list": "managed: old", "pruned": PREFIX})
    );
    assert_eq!(document["lists"][3]["name"], "managed: old");
    assert_eq!(
        document["starting_state"]["lists"][3]["addresses"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Applied: exactly the three requests, detaches before the delete (Twilio, like the
    // emulator, refuses to delete a list still in use).
    w.mock.clear_requests();
    let report = plan
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    let account = w.mock.account_sid();
    let old = &w.old;
    assert_eq!(
        writes(&w.mock.requests()),
        [
            (
                "DELETE".to_owned(),
                format!("/v1/Trunks/{}/IpAccessControlLists/{old}", w.trunk)
            ),
            (
                "DELETE".to_owned(),
                format!(
                    "/2010-04-01/Accounts/{account}/SIP/Domains/{}/Auth/Calls/IpAccessControlListMappings/{old}.json",
                    w.domain
                )
            ),
            (
                "DELETE".to_owned(),
                format!("/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{old}.json")
            ),
        ]
    );
    let mut after = snapshot(&w.client).await;
    let mut expected = before.clone();
    expected.remove("managed: old");
    // The trunk no longer holds it; every other list is exactly as it was.
    assert_eq!(after.remove("managed: old"), None);
    assert_eq!(after, expected);
    // Converged: nothing more to prune.
    assert!(w.plan(&desired, true).await.unwrap().is_empty());
}

#[tokio::test]
async fn prune_without_the_setting_is_refused_naming_the_file_and_key() {
    let w = World::new().await;
    let desired = Desired::from_toml(&file(""), FILE).unwrap();
    assert_eq!(desired.prune_prefix(), None);
    w.mock.clear_requests();
    let err = w.plan(&desired, true).await.unwrap_err();
    let Error::Desired(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.file(), Some(FILE));
    let shown = err.to_string();
    assert!(shown.starts_with(FILE), "{shown}");
    assert!(
        shown.contains("no `prune_prefix` in `[settings]`"),
        "{shown}"
    );
    assert!(w.mock.requests().is_empty(), "refused before any request");
    // Without the flag the same file plans as always.
    assert!(w.plan(&desired, false).await.unwrap().is_empty());

    // A file narrowed to some of its lists (`--list`) cannot tell what it names: refused.
    let mut narrowed = with_prefix();
    narrowed.retain_lists(|l| l.name() == "managed: office");
    let err = w.plan(&narrowed, true).await.unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("`--list`"), "{err}");
}

#[tokio::test]
async fn a_failed_delete_leaves_the_list_detached_and_a_rerun_deletes_it() {
    let w = World::new().await;
    let desired = with_prefix();
    let account = w.mock.account_sid();
    let path = format!(
        "/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{}",
        w.old
    );
    w.mock
        .inject(Fault::on("DELETE", &path).status(500).times(3));
    let plan = w.plan(&desired, true).await.unwrap();
    let report = plan
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(!report.is_complete(), "{report}");
    // Detached, not deleted: its addresses are still there, and in use by no one.
    let state = snapshot(&w.client).await;
    let old = &state["managed: old"];
    assert_eq!(old.addresses.len(), 2);
    assert!(old.trunks.is_empty() && old.domains.is_empty(), "{old:?}");
    // Planned again: only the delete is left; applied, the list is gone.
    let plan = w.plan(&desired, true).await.unwrap();
    let actions: Vec<String> = plan.changes().iter().map(ToString::to_string).collect();
    assert_eq!(actions, ["- delete list \"managed: old\" (pruned)"]);
    let report = plan
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(!snapshot(&w.client).await.contains_key("managed: old"));
}

#[tokio::test]
async fn two_lists_of_a_pruned_name_are_refused() {
    let w = World::new().await;
    let first = w.list("managed: twin", &[]).await;
    let second = w.list("managed: twin", &[]).await;
    w.mock.clear_requests();
    let err = w.plan(&with_prefix(), true).await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains(&format!(
            "2 lists in the account are named \"managed: twin\" ({first}, {second}): its name starts with the prune_prefix, and the plan cannot tell which one to prune"
        )),
        "{shown}"
    );
    assert!(writes(&w.mock.requests()).is_empty());
    // Without pruning they are not the file's concern.
    assert!(w.plan(&with_prefix(), false).await.unwrap().is_empty());
}

#[test]
fn the_setting_is_checked_and_written_back() {
    let refused = |text: &str| Desired::from_toml(text, FILE).unwrap_err();
    let err = refused("[settings]\nprune_prefix = \"\"\n");
    assert_eq!((err.file(), err.line()), (Some(FILE), Some(2)), "{err}");
    assert!(err.to_string().contains("`prune_prefix` is empty"), "{err}");
    let err = refused("[settings]\nprune = \"managed: \"\n");
    assert!(err.to_string().contains("unknown field `prune`"), "{err}");
    // The builder says the same, and `to_toml` writes it back.
    assert!(Desired::builder().prune_prefix("").build().is_err());
    let built = Desired::builder()
        .prune_prefix(PREFIX)
        .list(ListBuilder::new("managed: a").address("192.0.2.1"))
        .build()
        .unwrap();
    let text = built.to_toml();
    assert!(
        text.contains("[settings]\nprune_prefix = \"managed: \"\n"),
        "{text}"
    );
    let again = Desired::from_toml(&text, FILE).unwrap();
    assert_eq!(again.lists(), built.lists());
    assert_eq!(again.prune_prefix(), Some(PREFIX));
}

#[tokio::test]
async fn each_address_a_pruned_list_takes_counts_toward_the_guards() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let ips: Vec<String> = (1..=25).map(|i| format!("198.51.100.{i}")).collect();
    let addresses: Vec<(&str, u8, &str)> =
        ips.iter().map(|a| (a.as_str(), 32, a.as_str())).collect();
    let list = create_list(&client, "managed: many", &addresses).await;
    let desired = Desired::from_toml(
        "[settings]\nprune_prefix = \"managed: \"\n\n[lists.\"managed: kept\"]\naddresses = []\ntrunks = []\nsip_domains = []\n",
        FILE,
    )
    .unwrap();
    let plan = allowlist::plan_with(&client, &desired, PlanOptions::default().prune(true))
        .await
        .unwrap();
    // One DELETE, but 26 removals: the list and its 25 addresses; and all of its entries.
    assert_eq!(plan.summary().remove, 1);
    mock.clear_requests();
    let err = plan
        .apply(&client, ApplyOptions::default())
        .await
        .unwrap_err();
    let Error::Guard { refusals } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        refusals[0],
        Refusal::MaxRemovals {
            removals: 26,
            limit: 20,
            by_action: [
                ("delete_list".to_owned(), 1),
                ("pruned_address".to_owned(), 25)
            ]
            .into_iter()
            .collect(),
        }
    );
    assert_eq!(
        refusals[1],
        Refusal::MaxRemovalPercent {
            list: "managed: many".into(),
            removals: 25,
            entries: 25,
            limit: 30,
        }
    );
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert!(
        writes(&mock.requests()).is_empty(),
        "nothing written when refused"
    );
    // Allowed as the refusals say: the one DELETE.
    let options = ApplyOptions::default()
        .max_removals(26)
        .max_removal_percent(100);
    let report = plan.apply(&client, options).await.unwrap();
    assert!(report.is_complete(), "{report}");
    let account = mock.account_sid();
    assert_eq!(
        writes(&mock.requests()),
        [
            (
                "POST".to_owned(),
                format!("/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists.json")
            ),
            (
                "DELETE".to_owned(),
                format!("/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{list}.json")
            )
        ]
    );
    let left = snapshot(&client).await;
    assert_eq!(left.keys().collect::<Vec<_>>(), ["managed: kept"]);
}

/// The plan document with `change` (a JSON change) added, and its summary counting it.
fn with_change(document: &Value, change: Value) -> Value {
    let mut doc = document.clone();
    doc["changes"].as_array_mut().unwrap().push(change);
    let remove = doc["summary"]["remove"].as_u64().unwrap();
    doc["summary"]["remove"] = (remove + 1).into();
    doc
}

#[tokio::test]
async fn a_saved_pruned_deletion_is_verified_and_a_tampered_one_refused() {
    let w = World::new().await;
    let plan = w.plan(&with_prefix(), true).await.unwrap();
    let document: Value = serde_json::from_str(&plan.to_json()).unwrap();
    let refused = |doc: &Value| -> String {
        match Plan::from_json(&doc.to_string()) {
            Ok(_) => panic!("accepted: {doc:#}"),
            Err(e) => e.to_string(),
        }
    };

    // The deletion of a list the prefix does not cover ("managed: office" is named in the
    // file, but pruned under another prefix; "other" is not in the plan at all).
    let mut doc = document.clone();
    doc["changes"][2]["pruned"] = "other".into();
    let err = refused(&doc);
    assert!(
        err.contains("changes[2] (delete_list)")
            && err.contains("does not start with the prune_prefix \"other\""),
        "{err}"
    );
    let doc = with_change(
        &document,
        serde_json::json!({"action": "delete_list", "list": "other", "pruned": "o"}),
    );
    assert!(
        refused(&doc).contains("list \"other\" is not among the plan's `lists`"),
        "{doc:#}"
    );
    // A list the file names, said to be pruned: still attached to its trunk with no detach in
    // the plan, refused; and the stray deleted without `pruned` is refused as before.
    let doc = with_change(
        &document,
        serde_json::json!({"action": "delete_list", "list": "managed: office", "pruned": PREFIX}),
    );
    let err = refused(&doc);
    assert!(
        err.contains("list \"managed: office\" is attached to trunk")
            && err.contains("does not detach it first"),
        "{err}"
    );
    let mut doc = document.clone();
    doc["changes"][2].as_object_mut().unwrap().remove("pruned");
    assert!(
        refused(&doc).contains("is not a part of a split list the plan covers, nor pruned"),
        "{doc:#}"
    );
    // A detach left out: the list would still be in use.
    let mut doc = document.clone();
    doc["changes"].as_array_mut().unwrap().remove(1);
    doc["summary"]["remove"] = 2.into();
    let err = refused(&doc);
    assert!(
        err.contains("is attached to SIP domain") && err.contains("does not detach it first"),
        "{err}"
    );
    // Something else done to the pruned list.
    let doc = with_change(
        &document,
        serde_json::json!({"action": "create_list", "list": "managed: old"}),
    );
    let mut doc = doc;
    doc["summary"]["remove"] = 3.into();
    doc["summary"]["add"] = 1.into();
    assert!(
        refused(&doc).contains("changes[2] (delete_list)"),
        "{doc:#}"
    );
    // A version 3 document cannot say `pruned`.
    let mut doc = document.clone();
    doc["format_version"] = 3.into();
    assert!(
        refused(&doc).contains("format_version 3 cannot say this change (it came in version 4)"),
        "{doc:#}"
    );

    // The untampered document: verified against the live state, then applied.
    let saved = Plan::from_json(&document.to_string()).unwrap();
    assert!(saved.is_saved());
    let report = saved
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(!snapshot(&w.client).await.contains_key("managed: old"));
    // Applied again, it is stale: the list it prunes is gone.
    let err = saved
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Stale { .. }), "{err:?}");
}

#[cfg(feature = "cli")]
mod cli {
    use super::allowlist_support::cli::{Cli, code, stderr, stdout};

    #[test]
    fn prune_on_the_command_line() {
        let cli = Cli::new("prune");
        let client = cli.mock.client();
        let old = cli.block_on(async {
            let list = client
                .sip_ip_access_control_lists()
                .create("managed: old")
                .await
                .unwrap();
            client
                .sip_ip_access_control_list(&list.sid)
                .ip_addresses()
                .create("x", "203.0.113.10")
                .await
                .unwrap();
            client
                .sip_ip_access_control_lists()
                .create("other")
                .await
                .unwrap();
            list.sid.to_string()
        });
        let list = "[lists.\"managed: office\"]\naddresses = [\"198.51.100.7\"]\ntrunks = []\nsip_domains = []\n\n\
                    [lists.branch]\naddresses = []\ntrunks = []\nsip_domains = []\n";
        let bare = cli.file("bare.toml", list);
        let owned = cli.file(
            "owned.toml",
            &format!("[settings]\nprune_prefix = \"managed: \"\n\n{list}"),
        );
        let at = |args: &[&str]| cli.at(args);

        // --prune without the setting: exit 1, naming the file and the key; nothing written.
        let out = at(&["plan", "-f", &bare, "--prune"]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&bare) && stderr(&out).contains("prune_prefix"),
            "{}",
            stderr(&out)
        );
        // The setting without --prune: only the named list is created.
        let out = at(&["plan", "-f", &owned]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(!stdout(&out).contains("managed: old"), "{}", stdout(&out));
        // Both: the pruned list is shown, in text and markdown.
        let out = at(&["plan", "-f", &owned, "--prune"]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(
            stdout(&out).contains(&format!("list \"managed: old\" ({old})\n- delete list \"managed: old\" (pruned: not in the file")),
            "{}",
            stdout(&out)
        );
        let out = at(&["plan", "-f", &owned, "--prune", "--format", "markdown"]);
        assert!(
            stdout(&out).contains("-   203.0.113.10/32    \"x\" (goes with the list)"),
            "{}",
            stdout(&out)
        );
        // --list with --prune: refused.
        let out = at(&["plan", "-f", &owned, "--prune", "--list", "managed: office"]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(stderr(&out).contains("`--list`"), "{}", stderr(&out));
        assert!(cli.lists().contains_key("managed: old"));
        // A saved plan says what it prunes: --prune needs a file.
        let out = at(&["apply", "saved.json", "--prune", "--yes"]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(
            stderr(&out).contains("--prune needs -f FILE"),
            "{}",
            stderr(&out)
        );
        // Applied with --yes: created, and the stray deleted; "other" untouched.
        let out = at(&["apply", "-f", &owned, "--prune", "--yes", "--json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let pruned: Vec<&serde_json::Value> = doc["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["action"] == "delete_list")
            .collect();
        assert_eq!(
            pruned,
            [
                &serde_json::json!({"action": "delete_list", "list": "managed: old", "pruned": "managed: "})
            ]
        );
        let lists = cli.lists();
        assert_eq!(
            lists.keys().collect::<Vec<_>>(),
            ["branch", "managed: office", "other"]
        );
    }
}
