//! Property test of `Policy::UpsertOnly` on the emulator (127.0.0.1 only): for random live
//! lists (addresses, trunk attachments) and random desired states, applying the plan the policy
//! restricts never removes anything (no DELETE is sent; every list, address and attachment live
//! before is live after), yet adds everything desired; planning again under the policy is empty.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use allowlist_support::snapshot;
use proptest::prelude::*;
use twilio_ip_access::{
    allowlist::{self, ApplyOptions, Desired, Policy},
    mock::MockTwilio,
};

const POOL: &[&str] = &[
    "192.0.2.1",
    "192.0.2.2",
    "192.0.2.0/28",
    "198.51.100.0/24",
    "10.0.0.0/8",
];
const LISTS: &[&str] = &["office", "branch"];

/// A list: which addresses of [`POOL`] it holds, whether it is attached to the trunk.
#[derive(Debug, Clone)]
struct State {
    exists: bool,
    addresses: Vec<usize>,
    trunk: bool,
}

fn state() -> impl Strategy<Value = State> {
    (
        any::<bool>(),
        prop::collection::btree_set(0..POOL.len(), 0..POOL.len()),
        any::<bool>(),
    )
        .prop_map(|(exists, addresses, trunk)| State {
            exists,
            addresses: addresses.into_iter().collect(),
            trunk,
        })
}

fn run(live: Vec<State>, want: Vec<State>) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mock = MockTwilio::start().await;
        let trunk = mock.create_trunk_named("t0", "t0.pstn.twilio.com");
        let client = mock.client();
        for (name, list) in LISTS.iter().zip(&live) {
            if !list.exists {
                continue;
            }
            let acl = mock.create_ip_access_control_list(name);
            for &i in &list.addresses {
                let (ip, prefix) = POOL[i].split_once('/').unwrap_or((POOL[i], "32"));
                client
                    .sip_ip_access_control_list(&acl)
                    .ip_addresses()
                    .create(POOL[i], ip)
                    .cidr_prefix_length(prefix.parse::<u8>().unwrap())
                    .await
                    .unwrap();
            }
            if list.trunk {
                client
                    .trunk(&trunk)
                    .ip_access_control_lists()
                    .create(&acl)
                    .await
                    .unwrap();
            }
        }
        let mut text = String::new();
        for (name, list) in LISTS.iter().zip(&want) {
            if !list.exists {
                continue;
            }
            let addresses: Vec<String> = list
                .addresses
                .iter()
                .map(|&i| format!("{:?}", POOL[i]))
                .collect();
            let trunks = if list.trunk { "[\"t0\"]" } else { "[]" };
            text.push_str(&format!(
                "[lists.{name}]\naddresses = [{}]\ntrunks = {trunks}\nsip_domains = []\n",
                addresses.join(", ")
            ));
        }
        let desired = Desired::from_toml(&text, "allowlist.toml").unwrap();
        let before = snapshot(&client).await;
        mock.clear_requests();

        let plan = Policy::UpsertOnly.restrict(allowlist::plan(&client, &desired).await.unwrap());
        prop_assert_eq!(plan.summary().remove, 0);
        prop_assert!(plan.changes().iter().all(|c| !c.is_removal()));
        let options = ApplyOptions::default().allow_empty(true).max_removals(0);
        let report = plan.apply(&client, options.clone()).await.unwrap();
        prop_assert!(report.is_complete(), "{}", report);

        prop_assert!(mock.requests().iter().all(|r| r.method != "DELETE"));
        let after = snapshot(&client).await;
        for (name, list) in &before {
            let now = &after[name];
            prop_assert_eq!(&now.sid, &list.sid);
            for (ip, prefix, _) in &list.addresses {
                prop_assert!(now.addresses.iter().any(|(i, p, _)| (i, p) == (ip, prefix)));
            }
            prop_assert!(now.trunks.is_superset(&list.trunks));
        }
        for (name, list) in LISTS.iter().zip(&want) {
            if !list.exists {
                continue;
            }
            let now = &after[*name];
            for &i in &list.addresses {
                let (ip, prefix) = POOL[i].split_once('/').unwrap_or((POOL[i], "32"));
                prop_assert!(
                    now.addresses
                        .iter()
                        .any(|(a, p, _)| (a.to_string().as_str(), p.to_string().as_str())
                            == (ip, prefix)),
                    "{} missing from {}",
                    POOL[i],
                    name
                );
            }
            prop_assert_eq!(
                now.trunks.contains(trunk.as_str()),
                list.trunk
                    || before
                        .get(*name)
                        .is_some_and(|b| b.trunks.contains(trunk.as_str()))
            );
        }
        // Converged as far as the policy goes: the next restricted plan is empty.
        let again = Policy::UpsertOnly.restrict(allowlist::plan(&client, &desired).await.unwrap());
        prop_assert!(again.is_empty(), "{}", again);
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn under_upsert_only_nothing_is_ever_removed(
        live in prop::collection::vec(state(), LISTS.len()),
        want in prop::collection::vec(state(), LISTS.len()),
    ) {
        run(live, want)?;
    }
}
