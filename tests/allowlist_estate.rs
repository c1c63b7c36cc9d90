//! `allowlist::estate` on two emulators standing for two regions (`us1` and `ie1`), with a
//! subaccount on the first: one plan for every account (grouped, totalled, saved as one
//! document and read back), apply per account, a failure in one account while another
//! completes, a 401 in one region, a stale saved plan in one account, a subset of the accounts.

#![cfg(all(feature = "allowlist", feature = "mock"))]

use std::collections::BTreeMap;

use serde_json::{Value, json};
use twilio_ip_access::{
    Client,
    allowlist::{
        Account, ApplyOptions, Desired, Error, EstateAccount, EstatePlan, ExportOptions, Interrupt,
        Plan, PlanOptions, ReadOptions, estate,
    },
    mock::{Fault, MockTwilio},
    sid::AccountSid,
};

/// Two regions, each its own emulator, and a subaccount of the first reached with its
/// parent's credentials.
struct Estate {
    us: MockTwilio,
    ie: MockTwilio,
    sub: AccountSid,
    /// `IE_API_KEY` and `IE_API_SECRET`: an API key made in ie.
    ie_key: (String, String),
    file: Desired,
}

impl Estate {
    async fn start() -> Estate {
        let us = MockTwilio::start().await;
        let ie = MockTwilio::start().await;
        us.create_trunk_named("edge trunk", "edge.pstn.twilio.com");
        ie.create_trunk_named("edge trunk", "edge-ie.pstn.twilio.com");
        let (sub, _) = us.add_subaccount();
        let (key, secret) = ie.add_api_key();
        let file = Desired::from_toml(
            &format!(
                r#"
[accounts.us]
account_sid = "{us_sid}"
auth_token_env = "US_AUTH_TOKEN"
region = "us1"
base_url = "{us_url}"

[accounts.ie]
account_sid = "{ie_sid}"
api_key_env = "IE_API_KEY"
api_secret_env = "IE_API_SECRET"
region = "ie1"
edge = "dublin"
base_url = "{ie_url}"

[accounts.customer-42]
account_sid = "{sub}"
parent = "us"

[lists."carrier"]
accounts = ["us"]
addresses = ["198.51.100.0/24", {{ ip = "203.0.113.10", name = "sbc us" }}]
trunks = ["edge trunk"]
sip_domains = []

[lists."carrier@ie"]
name = "carrier"
accounts = ["ie"]
addresses = ["198.51.100.0/24", "192.0.2.7"]
trunks = ["edge trunk"]
sip_domains = []

[lists."customer"]
accounts = ["customer-42"]
addresses = ["203.0.113.42"]
trunks = []
sip_domains = []
"#,
                us_sid = us.account_sid(),
                us_url = us.base_url(),
                ie_sid = ie.account_sid(),
                ie_url = ie.base_url(),
            ),
            "estate.toml",
        )
        .unwrap();
        Estate {
            us,
            ie,
            sub,
            ie_key: (key.to_string(), secret),
            file,
        }
    }

    fn account(&self, name: &str) -> Account {
        self.file.account(name).unwrap().clone()
    }

    /// The account's client, built from its `[accounts.NAME]` and a fake environment.
    fn client(&self, name: &str) -> Client {
        let env = |variable: &str| match variable {
            "US_AUTH_TOKEN" => Some(self.us.auth_token().to_owned()),
            "IE_API_KEY" => Some(self.ie_key.0.clone()),
            "IE_API_SECRET" => Some(self.ie_key.1.clone()),
            _ => None,
        };
        self.account(name)
            .client_builder(self.file.accounts(), env)
            .unwrap()
            .build()
            .unwrap()
    }

    fn clients(&self) -> BTreeMap<String, Client> {
        ACCOUNTS
            .iter()
            .map(|name| ((*name).to_owned(), self.client(name)))
            .collect()
    }

    fn estate_account(&self, name: &str) -> EstateAccount {
        EstateAccount::new(
            self.account(name),
            self.client(name),
            self.file.for_account(name),
        )
    }

    fn accounts(&self, names: &[&str]) -> Vec<EstateAccount> {
        names.iter().map(|name| self.estate_account(name)).collect()
    }

    /// Plans and applies what the file gives these accounts.
    async fn apply_the_file(&self, names: &[&str]) {
        let plan = estate::plan(self.accounts(names), PlanOptions::default()).await;
        let report = plan.apply(&self.clients(), ApplyOptions::default()).await;
        assert!(report.unwrap().is_complete());
    }
}

/// One list `carrier` attached to the `edge trunk`, with these addresses.
fn carrier(addresses: &str) -> Desired {
    let text = format!(
        "[lists.carrier]\naddresses = [{addresses}]\ntrunks = [\"edge trunk\"]\nsip_domains = []\n"
    );
    Desired::from_toml(&text, "estate.toml").unwrap()
}

const ACCOUNTS: [&str; 3] = ["us", "ie", "customer-42"];

/// The account an error names, and the error within.
#[track_caller]
fn in_account(error: &Error) -> (&str, &Error) {
    match error {
        Error::Account { account, error } => (account, error),
        other => panic!("not an account's error: {other:?}"),
    }
}

fn writes(mock: &MockTwilio) -> usize {
    mock.requests().iter().filter(|r| r.method != "GET").count()
}

#[tokio::test]
async fn one_plan_for_every_account_grouped_totalled_and_saved() {
    let e = Estate::start().await;
    let plan = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    assert_eq!(plan.failed().count(), 0, "{plan}");
    let names: Vec<&str> = plan.accounts().iter().map(|a| a.account().name()).collect();
    assert_eq!(names, ACCOUNTS, "in the order given");
    // us: a list, 2 addresses, 1 attach; ie the same; the subaccount: a list and 1 address.
    let per_account: Vec<usize> = plan.plans().map(|(_, p)| p.summary().add).collect();
    assert_eq!(per_account, [4, 4, 2]);
    assert_eq!(
        (
            plan.summary().add,
            plan.summary().change,
            plan.summary().remove
        ),
        (10, 0, 0)
    );
    assert!(!plan.is_empty() && !plan.is_saved());

    let shown = plan.to_string();
    let header = |name: &str, rest: &str| {
        let a = e.account(name);
        format!("Account {name:?} ({}, {rest})", a.account_sid())
    };
    let us = header("us", &format!("region us1, at {}", e.us.base_url()));
    let ie = header(
        "ie",
        &format!("region ie1, edge dublin, at {}", e.ie.base_url()),
    );
    let sub = header("customer-42", "subaccount of \"us\", routed as it");
    for h in [&us, &ie, &sub] {
        assert!(shown.contains(h.as_str()), "{h}\n{shown}");
    }
    assert!(shown.find(&us) < shown.find(&ie) && shown.find(&ie) < shown.find(&sub));
    // The same heading and total line, alone (as a pull-request comment shows them).
    assert_eq!(plan.account("us").unwrap().heading(), us);
    assert_eq!(plan.account("customer-42").unwrap().heading(), sub);
    assert_eq!(
        plan.total_line(),
        "Plan: 10 to add, 0 to change, 0 to remove across 3 accounts."
    );
    assert!(shown.ends_with(&format!("{}\n", plan.total_line())));
    assert!(
        shown.contains(&format!("{sub}\n  Note: reached with the credentials of \"us\", so its trunks are not read and its lists' trunk associations are left alone")),
        "{shown}"
    );
    // Read through its parent's credentials, the subaccount's trunks would be the parent's:
    // the one read of the trunks on that emulator is the parent's own.
    let trunk_reads =
        e.us.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == "/v1/Trunks")
            .count();
    assert_eq!(trunk_reads, 1);
    // Each account's plan as a single account shows it, indented under its header.
    let us_text = plan.account("us").unwrap().plan().unwrap().to_string();
    let indented: String = us_text
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("  {l}\n")
            }
        })
        .collect();
    assert!(shown.contains(&format!("{us}\n{indented}")), "{shown}");
    assert!(
        shown.ends_with("\nPlan: 10 to add, 0 to change, 0 to remove across 3 accounts.\n"),
        "{shown}"
    );

    // The document: version 5, each account with its v4 plan document; read back the same.
    let text = plan.to_json().unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["format_version"], 5);
    assert_eq!(document["accounts"][1]["account"]["name"], "ie");
    assert_eq!(
        document["accounts"][1]["account"]["api_key_env"],
        "IE_API_KEY"
    );
    assert_eq!(document["accounts"][1]["plan"]["format_version"], 4);
    assert_eq!(
        document["accounts"][1]["plan"]["starting_state"]["account_sid"],
        e.ie.account_sid().as_str()
    );
    assert!(!text.contains(e.us.auth_token()) && !text.contains(e.ie.auth_token()));
    let saved = EstatePlan::from_json(&text).unwrap();
    assert!(saved.is_saved());
    assert_eq!(saved.to_string(), shown);
    assert_eq!(saved.to_json().unwrap(), text);

    // Each reader refuses the other's document, naming the right one.
    let single = plan.account("us").unwrap().plan().unwrap().to_json();
    let refused = EstatePlan::from_json(&single).unwrap_err().to_string();
    assert!(
        refused.contains("format_version 4 is a single-account plan")
            && refused.contains("apply it with Plan::from_json"),
        "{refused}"
    );
    let refused = Plan::from_json(&text).unwrap_err().to_string();
    assert!(
        refused.contains("format_version 5 is a plan of several accounts")
            && refused.contains("EstatePlan::from_json"),
        "{refused}"
    );

    // Verified per account: a plan filed under another account, or a bad change, is named.
    let mut swapped = document.clone();
    swapped["accounts"][0]["plan"] = document["accounts"][1]["plan"].clone();
    let error = EstatePlan::from_json(&swapped.to_string()).unwrap_err();
    let (account, inner) = in_account(&error);
    assert_eq!(account, "us");
    assert!(
        inner.to_string().contains(&format!(
            "its plan was made for account {}, but the account is {}",
            e.ie.account_sid(),
            e.us.account_sid()
        )),
        "{inner}"
    );
    let mut bad = document.clone();
    bad["accounts"][2]["plan"]["changes"][1]["prefix"] = 0.into();
    let error = EstatePlan::from_json(&bad.to_string()).unwrap_err();
    let (account, inner) = in_account(&error);
    assert_eq!(account, "customer-42");
    assert!(
        matches!(inner, Error::PlanChange { index: 1, .. }),
        "{inner:?}"
    );
    let mut twice = document;
    twice["accounts"][2] = twice["accounts"][0].clone();
    let refused = EstatePlan::from_json(&twice.to_string()).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("the saved plan: [accounts.us]: the same account twice"),
        "{refused}"
    );
}

#[tokio::test]
async fn applying_writes_each_account_and_converges() {
    let e = Estate::start().await;
    let plan = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    // Saved and read back: every account is verified, then written.
    let saved = EstatePlan::from_json(&plan.to_json().unwrap()).unwrap();
    let finished = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = finished.clone();
    let options = ApplyOptions::default().on_progress(move |_, n, total| {
        seen.lock().unwrap().push((n, total));
    });
    let report = saved.apply(&e.clients(), options).await.unwrap();
    assert!(report.is_complete(), "{report}");
    assert_eq!((report.done.add, report.done.remove), (10, 0));
    let per_account: Vec<(&str, usize)> = report
        .accounts
        .iter()
        .map(|a| (a.account.name(), a.report.done.add))
        .collect();
    assert_eq!(per_account, [("us", 4), ("ie", 4), ("customer-42", 2)]);
    // Progress counts every account's changes together.
    let mut counted = finished.lock().unwrap().clone();
    counted.sort();
    assert_eq!(counted, (1..=10).map(|n| (n, 10)).collect::<Vec<_>>());
    let shown = report.to_string();
    assert!(
        shown.ends_with("\nApply complete across 3 accounts: 10 added, 0 changed, 0 removed.\n"),
        "{shown}"
    );
    assert!(
        shown.contains("  Apply complete: 4 added, 0 changed, 0 removed."),
        "{shown}"
    );
    let json: Value = serde_json::to_value(&report).unwrap();
    assert_eq!(json["accounts"][2]["account"]["name"], "customer-42");
    assert_eq!(json["accounts"][2]["report"]["done"]["add"], 2);
    assert_eq!(
        json["accounts"][2]["report"]["outcomes"][0]["status"],
        "done"
    );
    assert_eq!(json["done"]["add"], 10);

    // Writes went where each account lives: the subaccount's through its own 2010 paths.
    let sub_path = format!("/2010-04-01/Accounts/{}/", e.sub);
    let us_posts: Vec<String> =
        e.us.requests()
            .into_iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.path)
            .collect();
    assert_eq!(us_posts.len(), 6, "{us_posts:#?}");
    assert_eq!(
        us_posts.iter().filter(|p| p.starts_with(&sub_path)).count(),
        2
    );
    assert_eq!(writes(&e.ie), 4);

    let again = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    assert!(again.is_empty() && again.failed().count() == 0, "{again}");
    assert!(
        again
            .to_string()
            .ends_with("Plan: 0 to add, 0 to change, 0 to remove across 3 accounts.\n")
    );
}

#[tokio::test]
async fn a_failed_change_in_one_account_does_not_stop_another() {
    let e = Estate::start().await;
    let plan = estate::plan(e.accounts(&["us", "ie"]), PlanOptions::default()).await;
    // Every address added in ie is refused (400: not retried).
    let addresses = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/",
        e.ie.account_sid()
    );
    e.ie.inject(Fault::on("POST", &addresses).status(400).times(10));
    let report = plan
        .apply(&e.clients(), ApplyOptions::default())
        .await
        .unwrap();
    assert!(!report.is_complete());
    let us = report.account("us").unwrap();
    assert!(us.report.is_complete(), "{}", us.report);
    assert_eq!(us.report.done.add, 4);
    let ie = report.account("ie").unwrap();
    assert_eq!(ie.report.failed().count(), 2, "{}", ie.report);
    // Its attach came after the failed step: not attempted, so the list is not attached empty.
    assert_eq!(ie.report.not_attempted().count(), 1, "{}", ie.report);
    let incomplete: Vec<&str> = report.incomplete().map(|a| a.account.name()).collect();
    assert_eq!(incomplete, ["ie"]);
    let shown = report.to_string();
    assert!(
        shown.ends_with("converges.\n\nApply incomplete in 1 of 2 accounts (ie): 5 added, 0 changed, 0 removed.\n"),
        "{shown}"
    );
    // The next plan has only ie's rest to do.
    let again = estate::plan(e.accounts(&["us", "ie"]), PlanOptions::default()).await;
    let left: Vec<usize> = again.plans().map(|(_, p)| p.summary().add).collect();
    assert_eq!(left, [0, 3]);
}

#[tokio::test]
async fn refused_credentials_in_one_region_name_the_account_region_and_host() {
    let e = Estate::start().await;
    // ie's key is wrong, and the file gives ie1 without an edge and no base URL: as on Twilio.
    let ie: Account = serde_json::from_value(json!({
        "name": "ie", "account_sid": e.ie.account_sid().as_str(),
        "api_key_env": "IE_API_KEY", "api_secret_env": "IE_API_SECRET", "region": "ie1",
    }))
    .unwrap();
    let wrong =
        e.ie.client_builder()
            .auth_token("not the token")
            .build()
            .unwrap();
    let accounts = vec![
        e.estate_account("us"),
        EstateAccount::new(ie, wrong, e.file.for_account("ie")),
    ];
    let plan = estate::plan(accounts, PlanOptions::default()).await;
    let failed: Vec<&str> = plan.failed().map(|a| a.account().name()).collect();
    assert_eq!(failed, ["ie"]);
    assert_eq!(plan.account("us").unwrap().plan().unwrap().summary().add, 4);
    let error = plan.account("ie").unwrap().error().unwrap();
    let (account, inner) = in_account(error);
    assert_eq!(account, "ie");
    let Error::Credentials {
        account_sid,
        region,
        host,
        status,
        causes,
    } = inner
    else {
        panic!("{inner:?}")
    };
    assert_eq!(
        (account_sid, region.as_deref(), host.as_str(), *status),
        (e.ie.account_sid(), Some("ie1"), e.ie.base_url(), 401)
    );
    assert_eq!(causes.len(), 2, "{causes:#?}");
    assert!(
        causes[0]
            .contains("`IE_API_KEY` and `IE_API_SECRET` hold an API key made in another region"),
        "{causes:#?}"
    );
    assert!(
        causes[1].contains("api.ie1.twilio.com) stopped working on 2026-04-28; set `edge`"),
        "{causes:#?}"
    );
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "account \"ie\": Twilio refused the credentials (HTTP 401) of account {} in region ie1 at {}; the usual causes: ",
            e.ie.account_sid(),
            e.ie.base_url()
        )),
        "{shown}"
    );
    // One cheap read, then nothing more in that account.
    let reads = e.ie.requests();
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert_eq!(reads[0].method, "GET");
    assert!(reads[0].path.ends_with("/SIP/IpAccessControlLists.json"));
    assert_eq!(reads[0].query.as_deref(), Some("PageSize=1"));
    // Shown under its header; the plan cannot be saved nor applied, and nothing is written.
    let text = plan.to_string();
    assert!(
        text.contains("  Error: Twilio refused the credentials (HTTP 401)"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "Plan: 4 to add, 0 to change, 0 to remove across 1 account; 1 account failed (ie): nothing can be applied until every account plans.\n"
        ),
        "{text}"
    );
    assert!(matches!(plan.to_json(), Err(Error::Refused { .. })));
    // Serialized (`plan --json`), the failed account carries its error in place of a plan; such
    // a document is refused for applying, naming the account.
    let shown = serde_json::to_value(&plan).unwrap();
    assert_eq!(shown["accounts"][0]["plan"]["summary"]["add"], 4);
    assert!(shown["accounts"][1].get("plan").is_none());
    let message = shown["accounts"][1]["error"].as_str().unwrap();
    assert!(
        message.starts_with("Twilio refused the credentials (HTTP 401)"),
        "{message}"
    );
    let error = EstatePlan::from_json(&shown.to_string()).unwrap_err();
    assert_eq!(in_account(&error).0, "ie");
    assert!(
        error
            .to_string()
            .contains("it had no plan when the document was written"),
        "{error}"
    );
    let refused = plan
        .apply(&e.clients(), ApplyOptions::default())
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("an account failed to plan (ie): nothing is applied to any account"),
        "{refused}"
    );
    assert_eq!(writes(&e.us), 0);
}

#[tokio::test]
async fn a_stale_saved_plan_in_one_account_writes_nothing_anywhere() {
    let e = Estate::start().await;
    e.apply_the_file(&["us", "ie"]).await;
    // A change in each account, saved; then someone else edits ie's list.
    let mut changed = e.accounts(&["us", "ie"]);
    for a in &mut changed {
        a.desired = carrier("\"198.51.100.0/24\"");
    }
    let plan = estate::plan(changed, PlanOptions::default()).await;
    assert_eq!(plan.summary().remove, 2, "{plan}");
    let saved = EstatePlan::from_json(&plan.to_json().unwrap()).unwrap();
    let ie = e.client("ie");
    let list = ie
        .sip_ip_access_control_lists()
        .list()
        .collect()
        .await
        .unwrap()
        .remove(0);
    ie.sip_ip_access_control_list(list.sid.as_ref())
        .ip_addresses()
        .create("another", "192.0.2.99")
        .await
        .unwrap();
    let (us_writes, ie_writes) = (writes(&e.us), writes(&e.ie));
    let error = saved
        .apply(&e.clients(), ApplyOptions::default())
        .await
        .unwrap_err();
    let (account, inner) = in_account(&error);
    assert_eq!(account, "ie");
    assert!(matches!(inner, Error::Stale { .. }), "{inner:?}");
    assert!(
        error
            .to_string()
            .contains("account \"ie\": the live state no longer matches the saved plan (the addresses of list \"carrier\" changed (1 added"),
        "{error}"
    );
    assert_eq!((writes(&e.us), writes(&e.ie)), (us_writes, ie_writes));
    // The fresh plan, checked again after a confirmation (as the command line does), too.
    let error = plan
        .verify(&e.clients(), ReadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(in_account(&error).0, "ie");
    assert!(matches!(in_account(&error).1, Error::Stale { .. }));
    // verify() says the same, without applying.
    let verified = saved
        .verify(&e.clients(), ReadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(in_account(&verified).0, "ie");
}

#[tokio::test]
async fn a_subset_of_the_accounts_is_planned_saved_and_applied_alone() {
    let e = Estate::start().await;
    // Planning only some accounts (`--account us --account customer-42`) reads nothing in ie.
    let plan = estate::plan(e.accounts(&["us", "customer-42"]), PlanOptions::default()).await;
    let names: Vec<&str> = plan.accounts().iter().map(|a| a.account().name()).collect();
    assert_eq!(names, ["us", "customer-42"]);
    assert!(e.ie.requests().is_empty());
    // An account given twice is planned once; its second entry is refused, and so the plan.
    let twice = estate::plan(e.accounts(&["us", "us"]), PlanOptions::default()).await;
    assert!(twice.accounts()[0].plan().is_ok());
    let error = twice.accounts()[1].error().unwrap().to_string();
    assert_eq!(
        error,
        "account \"us\": refused: the estate names this account twice"
    );
    let error = estate::export(
        vec![
            (e.account("us"), e.client("us")),
            (e.account("us"), e.client("us")),
        ],
        ExportOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(
        error.to_string().contains("account \"us\" is given twice"),
        "{error}"
    );
    // A saved plan narrowed to one account applies that one; an unknown name is refused.
    let mut saved = EstatePlan::from_json(&plan.to_json().unwrap()).unwrap();
    let refused = saved.retain_accounts(&["ie"]).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("no account named \"ie\" (it has us, customer-42)"),
        "{refused}"
    );
    saved.retain_accounts::<&str>(&[]).unwrap();
    assert_eq!(saved.accounts().len(), 2, "no names keep every account");
    saved.retain_accounts(&["customer-42"]).unwrap();
    // Only the clients of the accounts applied are needed; a missing one is refused, named.
    let mut clients = BTreeMap::new();
    let error = saved
        .apply(&clients, ApplyOptions::default())
        .await
        .unwrap_err();
    assert_eq!(in_account(&error).0, "customer-42");
    assert!(
        error.to_string().contains("no client was given for it"),
        "{error}"
    );
    // A client acting on another account is refused too.
    clients.insert("customer-42".to_owned(), e.client("us"));
    let error = saved
        .apply(&clients, ApplyOptions::default())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("but its client acts on"),
        "{error}"
    );
    assert_eq!(writes(&e.us), 0);
    clients.insert("customer-42".to_owned(), e.client("customer-42"));
    let report = saved
        .apply(&clients, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete());
    assert_eq!(report.accounts.len(), 1);
    assert_eq!(report.done.add, 2);
    assert_eq!(writes(&e.us), 2, "us itself was not applied");
}

#[tokio::test]
async fn a_guard_in_one_account_refuses_the_whole_apply() {
    let e = Estate::start().await;
    e.apply_the_file(&["us", "ie"]).await;
    // ie's list would be left empty while attached; us only gains an address.
    let mut accounts = e.accounts(&["us", "ie"]);
    accounts[0].desired = carrier(r#""198.51.100.0/24", "203.0.113.10", "192.0.2.1""#);
    accounts[1].desired = carrier("");
    let plan = estate::plan(accounts, PlanOptions::default()).await;
    let (us_writes, ie_writes) = (writes(&e.us), writes(&e.ie));
    let error = plan
        .apply(&e.clients(), ApplyOptions::default())
        .await
        .unwrap_err();
    let (account, inner) = in_account(&error);
    assert_eq!(account, "ie");
    assert!(matches!(inner, Error::Guard { .. }), "{inner:?}");
    assert_eq!((writes(&e.us), writes(&e.ie)), (us_writes, ie_writes));
}

#[tokio::test]
async fn each_account_may_have_its_own_options_and_the_whole_file() {
    let e = Estate::start().await;
    // The whole file given to each account: its part is taken.
    let accounts = ACCOUNTS
        .iter()
        .map(|name| EstateAccount::new(e.account(name), e.client(name), e.file.clone()))
        .collect();
    let plan = estate::plan(accounts, PlanOptions::default()).await;
    let projected = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    assert_eq!(plan.to_string(), projected.to_string());
    // A file whose accounts do not include it is refused for that account.
    let renamed = e
        .file
        .to_toml()
        .replace("[accounts.ie]", "[accounts.eu]")
        .replace("\"ie\"", "\"eu\"");
    let other = Desired::from_toml(&renamed, "other.toml").unwrap();
    let stranger = EstateAccount::new(e.account("ie"), e.client("ie"), other);
    let refused = estate::plan(vec![stranger], PlanOptions::default()).await;
    let error = refused.accounts()[0].error().unwrap().to_string();
    assert!(
        error.contains("its desired state has `[accounts]` tables, none named \"ie\""),
        "{error}"
    );

    // Each account's own options: a progress callback that knows its account.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let report = plan
        .apply_each(&e.clients(), |account| {
            let (seen, name) = (seen.clone(), account.name().to_owned());
            ApplyOptions::default().on_progress(move |_, n, total| {
                seen.lock().unwrap().push((name.clone(), n, total));
            })
        })
        .await
        .unwrap();
    assert!(report.is_complete());
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    let last: Vec<(String, usize, usize)> = seen
        .iter()
        .filter(|(_, n, total)| n == total)
        .cloned()
        .collect();
    assert_eq!(
        last,
        [
            ("customer-42".to_owned(), 2, 2),
            ("ie".to_owned(), 4, 4),
            ("us".to_owned(), 4, 4)
        ]
    );
}

#[tokio::test]
async fn one_interrupt_stops_every_account() {
    let e = Estate::start().await;
    let plan = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    let interrupt = Interrupt::new();
    interrupt.stop();
    let report = plan
        .apply(&e.clients(), ApplyOptions::default().interrupt(interrupt))
        .await
        .unwrap();
    assert!(!report.is_complete());
    for a in &report.accounts {
        assert_eq!(
            a.report.not_attempted().count(),
            a.report.outcomes.len(),
            "{}",
            a.report
        );
    }
    assert_eq!((writes(&e.us), writes(&e.ie)), (0, 0));
}

#[tokio::test]
async fn a_subaccount_signed_by_its_parent_cannot_have_trunks_or_byoc() {
    let e = Estate::start().await;
    let with = |text: &str| {
        let mut a = e.estate_account("customer-42");
        a.desired = Desired::from_toml(text, "estate.toml").unwrap();
        a
    };
    let trunks = with(
        "[lists.customer]\naddresses = [\"203.0.113.42\"]\ntrunks = [\"edge trunk\"]\nsip_domains = []\n",
    );
    let byoc = with("[byoc]\nip_records = [\"203.0.113.20\"]\n");
    let sub = format!("/2010-04-01/Accounts/{}/", e.sub);
    let plan = estate::plan(vec![trunks], PlanOptions::default()).await;
    let error = plan.accounts()[0].error().unwrap().to_string();
    assert!(
        error.starts_with(&format!("account \"customer-42\": refused: account {} is a subaccount reached with its parent's credentials, and its trunks cannot be reached that way", e.sub))
            && error.contains("give the account its own credentials (`auth_token_env`, or `api_key_env` and `api_secret_env` of an API key made in the subaccount)"),
        "{error}"
    );
    let plan = estate::plan(vec![byoc], PlanOptions::default()).await;
    let error = plan.accounts()[0].error().unwrap().to_string();
    assert!(
        error.contains("and its `[byoc]` IP Records cannot be reached that way"),
        "{error}"
    );
    // Both refused before any request at all (a read of the IP Records through the parent's
    // credentials would have gone to /v1/IpRecords, the parent's).
    assert!(e.us.requests().is_empty(), "{:?}", e.us.requests());
    // Beside another account, that one is planned.
    let plan = estate::plan(
        vec![with("[byoc]\nip_records = []\n"), e.estate_account("us")],
        PlanOptions::default(),
    )
    .await;
    assert!(plan.accounts()[0].error().is_some());
    assert!(
        plan.accounts()[1].plan().is_ok(),
        "the other account is planned"
    );
    assert!(
        !e.us
            .requests()
            .iter()
            .any(|r| r.path.starts_with(&sub) || r.path.starts_with("/v1/IpRecords"))
    );

    // The same holds without the estate: a client made with `subaccount` plans neither, and a
    // saved plan whose starting state has IP Records is not verified through it (it would
    // read and change the parent's).
    let through_parent = e.client("customer-42");
    assert!(through_parent.acts_through_parent() && !e.client("us").acts_through_parent());
    let desired = Desired::from_toml("[byoc]\nip_records = []\n", "byoc.toml").unwrap();
    let error = twilio_ip_access::allowlist::plan(&through_parent, &desired)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("its `[byoc]` IP Records cannot be reached that way"),
        "{error}"
    );
    let parents = twilio_ip_access::allowlist::plan(&e.client("us"), &desired)
        .await
        .unwrap();
    let saved = Plan::from_json(&parents.to_json()).unwrap();
    let before = e.us.requests().len();
    let error = saved.verify(&through_parent).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("its `[byoc]` IP Records cannot be reached that way"),
        "{error}"
    );
    assert_eq!(e.us.requests().len(), before, "refused before any request");
}

#[tokio::test]
async fn a_saved_plan_of_a_subaccount_carries_its_parent() {
    let e = Estate::start().await;
    let alone = estate::plan(e.accounts(&["customer-42"]), PlanOptions::default()).await;
    assert!(alone.accounts()[0].plan().is_ok(), "{alone}");
    let error = alone.to_json().unwrap_err().to_string();
    assert!(
        error.contains("account \"customer-42\" is reached with the credentials of its parent \"us\", which is left out: take \"us\" too (`--account us`)"),
        "{error}"
    );
    let both = estate::plan(e.accounts(&["us", "customer-42"]), PlanOptions::default()).await;
    let saved = EstatePlan::from_json(&both.to_json().unwrap()).unwrap();
    // Its accounts reach every account: the clients are built from the document alone.
    let accounts: Vec<Account> = saved
        .accounts()
        .iter()
        .map(|a| a.account().clone())
        .collect();
    let env = |variable: &str| (variable == "US_AUTH_TOKEN").then(|| e.us.auth_token().to_owned());
    let clients: BTreeMap<String, Client> = accounts
        .iter()
        .map(|a| {
            (
                a.name().to_owned(),
                a.client_builder(&accounts, env).unwrap().build().unwrap(),
            )
        })
        .collect();
    let report = saved
        .apply(&clients, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete());
}

/// The account's client with the us token wrong (a subaccount's too: it signs with it).
fn with_a_wrong_us_token(e: &Estate, name: &str) -> Client {
    let env = |variable: &str| (variable == "US_AUTH_TOKEN").then(|| "not the token".to_owned());
    e.account(name)
        .client_builder(e.file.accounts(), env)
        .unwrap()
        .build()
        .unwrap()
}

#[tokio::test]
async fn refused_credentials_of_a_saved_plan_and_of_a_subaccount_are_named() {
    let e = Estate::start().await;
    // A subaccount routed as its parent is named with the parent's region.
    let sub = EstateAccount::new(
        e.account("customer-42"),
        with_a_wrong_us_token(&e, "customer-42"),
        e.file.for_account("customer-42"),
    );
    let plan = estate::plan(vec![e.estate_account("us"), sub], PlanOptions::default()).await;
    let error = plan.account("customer-42").unwrap().error().unwrap();
    let Error::Credentials { region, .. } = in_account(error).1 else {
        panic!("{error:?}")
    };
    assert_eq!(region.as_deref(), Some("us1"), "its parent's region");

    // A saved plan applied with a wrong token: the same error, before any other read.
    let plan = estate::plan(e.accounts(&["us", "ie"]), PlanOptions::default()).await;
    let saved = EstatePlan::from_json(&plan.to_json().unwrap()).unwrap();
    let mut clients = e.clients();
    clients.insert("us".to_owned(), with_a_wrong_us_token(&e, "us"));
    e.us.clear_requests();
    let error = saved
        .apply(&clients, ApplyOptions::default())
        .await
        .unwrap_err();
    let (account, inner) = in_account(&error);
    assert_eq!(account, "us");
    assert!(
        matches!(inner, Error::Credentials { status: 401, .. }),
        "{inner:?}"
    );
    let reads = e.us.requests();
    assert_eq!(reads.len(), 1, "one cheap read: {reads:#?}");
    assert_eq!(reads[0].query.as_deref(), Some("PageSize=1"));
    assert_eq!((writes(&e.us), writes(&e.ie)), (0, 0));
}

#[tokio::test]
async fn a_subaccount_is_exported_only_with_its_parent() {
    let e = Estate::start().await;
    let error = estate::export(
        vec![(e.account("customer-42"), e.client("customer-42"))],
        ExportOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(
        error.to_string().contains("account \"customer-42\" is reached with the credentials of its parent \"us\", which is left out: take \"us\" too (`--account us`)"),
        "{error}"
    );
    assert!(e.us.requests().is_empty(), "refused before any request");
    let both = estate::export(
        vec![
            (e.account("us"), e.client("us")),
            (e.account("customer-42"), e.client("customer-42")),
        ],
        ExportOptions::default(),
    )
    .await
    .unwrap();
    let again = Desired::from_toml(&both.to_toml(), "exported.toml").unwrap();
    assert_eq!(again.accounts().len(), 2);
}

#[tokio::test]
async fn a_tampered_saved_plan_is_held_to_the_rules_of_accounts() {
    let e = Estate::start().await;
    let plan = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    let text = plan.to_json().unwrap();
    let tampered = |edit: &dyn Fn(&mut Value)| {
        let mut document: Value = serde_json::from_str(&text).unwrap();
        edit(&mut document);
        EstatePlan::from_json(&document.to_string())
            .map(|_| ())
            .unwrap_err()
    };
    let token = "0123456789abcdef0123456789abcdef";
    for (edit, expected) in [
        (
            Box::new(|d: &mut Value| {
                d["accounts"][0]["account"]["auth_token_env"] = token.into();
            }) as Box<dyn Fn(&mut Value)>,
            "`auth_token_env` holds what looks like an auth token",
        ),
        (
            Box::new(|d: &mut Value| {
                d["accounts"][0]["account"]["base_url"] = "http://user:pass@127.0.0.1:9".into();
            }),
            "`base_url` must not carry credentials",
        ),
        (
            Box::new(|d: &mut Value| {
                d["accounts"][2]["account"]["parent"] = "elsewhere".into();
            }),
            "elsewhere",
        ),
        (
            Box::new(|d: &mut Value| {
                let us = d["accounts"][0]["account"].clone();
                d["accounts"][1]["account"] = json!({
                    "name": "ie", "account_sid": us["account_sid"], "auth_token_env": "IE_TOKEN",
                    "region": "us1", "base_url": us["base_url"],
                });
            }),
            "the same account SID in the same region as [accounts.us]",
        ),
    ] {
        let error = tampered(&*edit);
        assert!(matches!(error, Error::Desired(_)), "{error:?}");
        let shown = error.to_string();
        assert!(
            shown.contains("the saved plan") && shown.contains(expected),
            "{shown}"
        );
        assert!(
            !shown.contains(token) && !shown.contains("pass@"),
            "{shown}"
        );
    }
    assert!(e.us.requests().iter().all(|r| r.method == "GET"));
}

#[tokio::test]
async fn an_export_of_every_account_plans_empty() {
    let e = Estate::start().await;
    e.apply_the_file(&ACCOUNTS).await;
    // An IP Record in the us account, which its subaccount's export must not take as its own.
    e.client("us")
        .ip_records()
        .create("203.0.113.20")
        .friendly_name("sbc us")
        .await
        .unwrap();
    let accounts = ACCOUNTS
        .iter()
        .map(|name| (e.account(name), e.client(name)))
        .collect();
    let exported = estate::export(accounts, ExportOptions::default())
        .await
        .unwrap();
    let names: Vec<&str> = exported.accounts().iter().map(Account::name).collect();
    assert_eq!(names, ACCOUNTS);
    assert!(
        exported
            .notes()
            .iter()
            .any(|n| n.starts_with("customer-42: its IP Records are not written: it is reached with the credentials of \"us\"")),
        "{:?}",
        exported.notes()
    );
    let text = exported.to_toml();
    assert!(text.contains("api_key_env = \"IE_API_KEY\""), "{text}");
    assert!(!text.contains(e.us.auth_token()) && !text.contains(&e.ie_key.1));
    // Written, read back and planned: nothing to do in any account.
    let file = Desired::from_toml(&text, "exported.toml").unwrap();
    let again: Vec<EstateAccount> = ACCOUNTS
        .iter()
        .map(|name| EstateAccount::new(e.account(name), e.client(name), file.for_account(name)))
        .collect();
    let plan = estate::plan(again, PlanOptions::default()).await;
    assert!(
        plan.is_empty() && plan.failed().count() == 0,
        "{plan}\n{text}"
    );
    assert_eq!(
        file.for_account("us").byoc().map(<[_]>::len),
        Some(1),
        "{text}"
    );
    assert_eq!(
        file.for_account("customer-42").lists()[0].name(),
        "customer"
    );

    // A region whose credentials are refused fails the whole export, naming it.
    let wrong =
        e.ie.client_builder()
            .auth_token("not the token")
            .build()
            .unwrap();
    let error = estate::export(
        vec![(e.account("us"), e.client("us")), (e.account("ie"), wrong)],
        ExportOptions::default(),
    )
    .await
    .unwrap_err();
    let (account, inner) = in_account(&error);
    assert_eq!(account, "ie");
    assert!(
        matches!(inner, Error::Credentials { status: 401, .. }),
        "{inner:?}"
    );
}

#[cfg(feature = "schemars")]
#[test]
fn the_committed_estate_plan_schema_is_what_the_types_generate() {
    let generated =
        serde_json::to_string_pretty(estate::estate_plan_schema().as_value()).unwrap() + "\n";
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/estate-plan.schema.json"
    );
    if std::env::var_os("REGENERATE_SCHEMAS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/estate-plan.schema.json differs from what the types generate; if the format change is intended, regenerate it:\n  REGENERATE_SCHEMAS=1 cargo test --all-features --test allowlist_estate committed"
    );
}

#[cfg(feature = "schemars")]
#[tokio::test]
async fn a_saved_estate_plan_validates_against_its_schema() {
    let e = Estate::start().await;
    let plan = estate::plan(e.accounts(&ACCOUNTS), PlanOptions::default()).await;
    let document: Value = serde_json::from_str(&plan.to_json().unwrap()).unwrap();
    let validator = jsonschema::validator_for(estate::estate_plan_schema().as_value()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut single = document.clone();
    single["format_version"] = 4.into();
    assert!(!validator.is_valid(&single));
    let mut unknown = document;
    unknown["accounts"][0]["extra"] = true.into();
    assert!(!validator.is_valid(&unknown));
}

/// The futures run on any runtime, `tokio::spawn` included: they are `Send`.
#[test]
fn the_estate_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let (plan, clients) = (EstatePlan::from_json("{}"), BTreeMap::new());
    if let Ok(plan) = &plan {
        send(&plan.apply(&clients, ApplyOptions::default()));
        send(&plan.apply_each(&clients, |_| ApplyOptions::default()));
        send(&plan.verify(&clients, Default::default()));
    }
    send(&estate::plan(Vec::new(), PlanOptions::default()));
    send(&estate::export(Vec::new(), ExportOptions::default()));
}
