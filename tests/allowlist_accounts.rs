//! Accounts in the desired-state file (`[accounts.NAME]`, `accounts = [...]` on lists, sets and
//! `[byoc]`): what is read, each account's projection, every refusal with its position (secrets
//! refused without being shown), the writer's round trip and the merge of exported accounts,
//! each account's client built from a fake environment, and a subaccount reached with its
//! parent's credentials on the embedded emulator (127.0.0.1 only).

#![cfg(all(feature = "allowlist", feature = "mock"))]

use twilio_ip_access::{
    Client, Error, RetryPolicy,
    allowlist::{
        Account, AccountBuilder, ByocBuilder, CredentialSource, Desired, DesiredError,
        IpRecordBuilder, ListBuilder, SetBuilder,
    },
    mock::MockTwilio,
    sid::AccountSid,
};

const FILE: &str = "estate.toml";
const US: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IE: &str = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const SUB: &str = "ACcccccccccccccccccccccccccccccccc";

/// The issue's example: two accounts in two regions and a subaccount of the first.
fn estate() -> String {
    format!(
        r#"[accounts.us]
account_sid = "{US}"
auth_token_env = "US_AUTH_TOKEN"
region = "us1"

[accounts.ie]
account_sid = "{IE}"
api_key_env = "IE_API_KEY"
api_secret_env = "IE_API_SECRET"
region = "ie1"
edge = "dublin"

[accounts.customer-42]
account_sid = "{SUB}"
parent = "us"

[sets.carrier-a]
accounts = ["us", "ie"]
addresses = ["198.51.100.0/24"]

[lists."carrier"]
accounts = ["us", "ie"]
addresses = [{{ set = "carrier-a" }}]
trunks = ["edge trunk"]
sip_domains = []

[lists.office]
accounts = ["us", "customer-42"]
addresses = ["203.0.113.10"]
trunks = []
sip_domains = ["acme.sip.twilio.com"]

[lists.ie-office]
name = "office"
accounts = ["ie"]
addresses = ["192.0.2.1"]
trunks = []
sip_domains = []

[byoc]
accounts = ["ie"]
ip_records = ["203.0.113.20"]
"#
    )
}

fn read(text: &str) -> Result<Desired, DesiredError> {
    Desired::from_toml(text, FILE)
}

#[test]
fn accounts_are_read_and_each_account_gets_what_the_file_gives_it() {
    let desired = read(&estate()).unwrap();
    let names: Vec<&str> = desired.accounts().iter().map(Account::name).collect();
    assert_eq!(names, ["us", "ie", "customer-42"]);
    let ie = desired.account("ie").unwrap();
    assert_eq!(ie.account_sid().as_str(), IE);
    assert_eq!(
        ie.credentials(),
        &CredentialSource::ApiKey {
            api_key_env: "IE_API_KEY".into(),
            api_secret_env: "IE_API_SECRET".into()
        }
    );
    assert_eq!(
        (ie.region(), ie.edge(), ie.base_url()),
        (Some("ie1"), Some("dublin"), None)
    );
    assert_eq!(desired.account("customer-42").unwrap().parent(), Some("us"));
    assert_eq!(
        desired.lists()[0].accounts(),
        Some(&["us".to_owned(), "ie".to_owned()][..])
    );
    assert_eq!(
        desired.lists()[1].accounts(),
        Some(&["us".to_owned(), "customer-42".to_owned()][..])
    );
    assert_eq!(desired.byoc_accounts(), Some(&["ie".to_owned()][..]));
    assert!(desired.warnings().is_empty(), "{:?}", desired.warnings());

    let lists = |account: &str| -> Vec<(String, Vec<String>)> {
        let projected = desired.for_account(account);
        assert!(projected.accounts().is_empty());
        projected
            .lists()
            .iter()
            .map(|l| {
                assert_eq!(l.accounts(), None);
                (
                    l.name().to_owned(),
                    l.addresses().iter().map(|a| a.cidr()).collect(),
                )
            })
            .collect()
    };
    let carrier = ("carrier".to_owned(), vec!["198.51.100.0/24".to_owned()]);
    let office = ("office".to_owned(), vec!["203.0.113.10/32".to_owned()]);
    let ie_office = ("office".to_owned(), vec!["192.0.2.1/32".to_owned()]);
    assert_eq!(lists("us"), [carrier.clone(), office.clone()]);
    // Same-name lists in two accounts: each account is its own namespace.
    assert_eq!(lists("ie"), [carrier, ie_office]);
    assert_eq!(lists("customer-42"), [office]);
    assert!(desired.for_account("us").byoc().is_none());
    let ie_byoc = desired.for_account("ie");
    assert_eq!(ie_byoc.byoc().unwrap()[0].cidr(), "203.0.113.20/32");
    assert_eq!(ie_byoc.byoc_accounts(), None);
    // A projection is a file of its own: written and read back, it is the same.
    for account in ["us", "ie", "customer-42"] {
        let projected = desired.for_account(account);
        let again = read(&projected.to_toml()).unwrap();
        assert_eq!(again.lists(), projected.lists(), "{account}");
        assert_eq!(again.byoc(), projected.byoc(), "{account}");
    }
}

#[test]
fn a_file_without_accounts_is_one_account_as_before() {
    let text = "[settings]\nprune_prefix = \"managed: \"\n[lists.office]\naddresses = [\"203.0.113.10\"]\ntrunks = [\"t\"]\nsip_domains = []\n[byoc]\nip_records = []\n";
    let desired = read(text).unwrap();
    assert!(desired.accounts().is_empty());
    assert_eq!(desired.for_account("anything"), desired);
    assert!(!desired.to_toml().contains("accounts"));
    assert_eq!(read(&desired.to_toml()).unwrap(), desired);
}

#[test]
fn only_variable_names_are_held_to_the_secret_test() {
    // A long account name with digits, as a parent, is a name, not a secret.
    let parent = "customer-1234-eu-west9x";
    let text = format!(
        "[accounts.{parent}]\naccount_sid = \"{US}\"\nauth_token_env = \"T\"\n\n[accounts.sub]\naccount_sid = \"{SUB}\"\nparent = \"{parent}\"\n\n[lists.l]\n{LIST}"
    );
    let desired = read(&text).unwrap();
    assert_eq!(desired.account("sub").unwrap().parent(), Some(parent));
}

#[test]
fn prune_prefix_and_warnings_are_kept_for_each_account() {
    let text = format!(
        "[settings]\nprune_prefix = \"managed: \"\n[accounts.us]\naccount_sid = \"{US}\"\nauth_token_env = \"US_AUTH_TOKEN\"\n[accounts.ie]\naccount_sid = \"{IE}\"\nauth_token_env = \"IE_AUTH_TOKEN\"\n[sets.unused]\naddresses = []\n[lists.\"managed: a\"]\naccounts = [\"us\"]\naddresses = []\ntrunks = []\nsip_domains = []\n"
    );
    let desired = read(&text).unwrap();
    assert_eq!(
        desired.warnings(),
        [
            "set \"unused\" (line 9) is used by no list",
            "account \"ie\" is given no list and no [byoc]: a plan of it changes nothing"
        ]
    );
    let ie = desired.for_account("ie");
    assert_eq!(ie.prune_prefix(), Some("managed: "));
    assert!(ie.lists().is_empty());
    assert_eq!(ie.warnings(), desired.warnings());
}

/// (line, column, entry, what the reason says) of every problem of a file, in order.
fn problems(text: &str) -> Vec<(usize, usize, String, String)> {
    let err = read(text).unwrap_err();
    err.errors()
        .map(|e| {
            assert_eq!(e.file(), Some(FILE));
            (
                e.line().unwrap(),
                e.column().unwrap(),
                e.entry().unwrap_or("").to_owned(),
                e.to_string(),
            )
        })
        .collect()
}

#[track_caller]
fn assert_problems(text: &str, expected: &[(usize, usize, &str, &str)]) {
    let found = problems(text);
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((line, column, entry, shown), (el, ec, ee, says)) in found.iter().zip(expected) {
        assert_eq!((line, column, entry.as_str()), (el, ec, *ee), "{shown}");
        assert!(shown.contains(says), "{shown}\nshould say: {says}");
        assert!(
            shown.starts_with(&format!("{FILE}:{line}:{column}: ")),
            "{shown}"
        );
    }
}

const LIST: &str = "addresses = []\ntrunks = []\nsip_domains = []\n";

#[test]
fn every_problem_of_the_accounts_is_refused_at_once_with_its_position() {
    let text = format!(
        r#"[accounts.us]
account_sid = "{US}"
auth_token_env = "US_AUTH_TOKEN"
[accounts.ie]
account_sid = "ACnothex"
api_key_env = "IE_API_KEY"
[accounts.sub]
account_sid = "{SUB}"
parent = "nobody"
[accounts.self]
account_sid = "ACdddddddddddddddddddddddddddddddd"
parent = "self"
[accounts.both]
account_sid = "ACeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
auth_token_env = "BOTH_AUTH_TOKEN"
parent = "us"
[accounts.twin]
account_sid = "{US}"
auth_token_env = "TWIN-TOKEN"
region = "US 1"
base_url = "ftp://127.0.0.1"
colour = "blue"
[accounts.none]
account_sid = "ACffffffffffffffffffffffffffffffff"
[accounts."bad name"]
account_sid = "AC00000000000000000000000000000000"
auth_token_env = "X"
"#
    );
    assert_problems(
        &text,
        &[
            (
                4,
                11,
                "",
                "[accounts.ie]: `api_key_env` needs `api_secret_env`",
            ),
            (
                5,
                1,
                "account_sid",
                "not an account SID (`AC` and 32 hexadecimal digits; the value is not shown)",
            ),
            (
                9,
                1,
                "parent",
                "`parent` names no account of the file: \"nobody\"",
            ),
            (12, 1, "parent", "`parent` names the account itself"),
            (
                13,
                11,
                "",
                "give exactly one of `auth_token_env`, `api_key_env` with `api_secret_env`, or `parent`; this account has `auth_token_env`, `parent`",
            ),
            (
                19,
                1,
                "auth_token_env",
                "\"TWIN-TOKEN\" is not a variable name",
            ),
            (
                20,
                1,
                "region",
                "region `US 1` is not a lowercase DNS label",
            ),
            (
                21,
                1,
                "base_url",
                "`base_url` must be an http(s) URL with a host and no query",
            ),
            (
                22,
                1,
                "colour",
                "unknown key `colour` (an account has `account_sid`, `auth_token_env`",
            ),
            (
                23,
                11,
                "",
                "[accounts.none]: no credentials: write `auth_token_env = \"NONE_AUTH_TOKEN\"`",
            ),
            (
                25,
                11,
                "",
                "the account name \"bad name\" is not 1 to 64 letters",
            ),
        ],
    );
    // The same account SID in the same region, once the rest is right (`us1` is the default).
    let text = format!(
        "[accounts.us]\naccount_sid = \"{US}\"\nauth_token_env = \"A\"\n[accounts.again]\naccount_sid = \"{US}\"\nauth_token_env = \"B\"\nregion = \"us1\"\n[accounts.other-region]\naccount_sid = \"{US}\"\nauth_token_env = \"C\"\nregion = \"ie1\"\n"
    );
    assert_problems(
        &text,
        &[(
            5,
            1,
            "account_sid",
            "[accounts.again], entry account_sid: the same account SID in the same region as [accounts.us]",
        )],
    );
    // A parent that is itself a subaccount.
    let text = format!(
        "[accounts.us]\naccount_sid = \"{US}\"\nauth_token_env = \"A\"\n[accounts.sub]\naccount_sid = \"{SUB}\"\nparent = \"us\"\n[accounts.subsub]\naccount_sid = \"{IE}\"\nparent = \"sub\"\n"
    );
    assert_problems(
        &text,
        &[(9, 1, "parent", "the parent \"sub\" is itself a subaccount")],
    );
}

#[test]
fn secrets_are_refused_without_being_shown() {
    let token = "0123456789abcdef0123456789abcdef";
    let key = "SK0123456789abcdef0123456789abcdef";
    let random = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==";
    let text = format!(
        r#"[accounts.us]
account_sid = "{US}"
auth_token_env = "{token}"
[accounts.ie]
account_sid = "{IE}"
api_key_env = "{key}"
api_secret_env = "{random}"
[accounts.raw]
account_sid = "{SUB}"
auth_token = "{token}"
[accounts.raw2]
account_sid = "ACdddddddddddddddddddddddddddddddd"
api_secret = "{random}"
[accounts.wrong-key]
account_sid = "{token}"
auth_token_env = "OK_TOKEN"
"#
    );
    let shown = read(&text).unwrap_err().to_string();
    for secret in [token, key, random] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert_problems(
        &text,
        &[
            (
                3,
                1,
                "auth_token_env",
                "[accounts.us], entry auth_token_env: `auth_token_env` holds what looks like an auth token (32 hexadecimal digits), which never lives in the file (the value is not shown): put it in an environment variable, such as US_AUTH_TOKEN, and write `auth_token_env = \"US_AUTH_TOKEN\"`",
            ),
            (
                6,
                1,
                "api_key_env",
                "looks like an API key SID (`SK` and 32 hexadecimal digits)",
            ),
            (
                7,
                1,
                "api_secret_env",
                "looks like a secret (long and random-looking), which never lives in the file (the value is not shown): put it in an environment variable, such as IE_API_SECRET, and write `api_secret_env = \"IE_API_SECRET\"`",
            ),
            (
                10,
                1,
                "auth_token",
                "`auth_token` would put a secret in the file, which is refused (its value is not shown): put it in an environment variable, such as RAW_AUTH_TOKEN, and write `auth_token_env = \"RAW_AUTH_TOKEN\"`",
            ),
            (
                13,
                1,
                "api_secret",
                "such as RAW2_API_SECRET, and write `api_secret_env = \"RAW2_API_SECRET\"`",
            ),
            (15, 1, "account_sid", "not an account SID"),
        ],
    );
    // Nor are a base URL's credentials.
    let text = format!(
        "[accounts.us]\naccount_sid = \"{US}\"\nauth_token_env = \"A\"\nbase_url = \"http://user:hunter2@127.0.0.1:4010\"\n"
    );
    let shown = read(&text).unwrap_err().to_string();
    assert_eq!(
        shown,
        "estate.toml:4:1: [accounts.us], entry base_url: `base_url` must not carry credentials (user:password@): they go in the account's variables"
    );
}

#[test]
fn every_problem_of_accounts_on_lists_sets_and_byoc_is_refused_with_its_position() {
    let accounts = format!(
        "[accounts.us]\naccount_sid = \"{US}\"\nauth_token_env = \"US_AUTH_TOKEN\"\n[accounts.ie]\naccount_sid = \"{IE}\"\nauth_token_env = \"IE_AUTH_TOKEN\"\n[accounts.sub]\naccount_sid = \"{SUB}\"\nparent = \"us\"\n"
    );
    // Lines 1 to 9 are the accounts.
    let text = format!(
        r#"{accounts}[sets.us-only]
accounts = ["us"]
addresses = ["10.0.0.1"]
[lists.a]
accounts = []
{LIST}[lists.b]
accounts = ["us", "mars", "us"]
{LIST}[lists.c]
accounts = ["ie"]
addresses = [{{ set = "us-only" }}]
trunks = []
sip_domains = []
[lists.d]
addresses = []
trunks = ["edge trunk"]
sip_domains = []
[lists.e]
accounts = ["us", "ie"]
{LIST}[lists.e2]
name = "e"
accounts = ["ie"]
{LIST}[byoc]
accounts = ["sub"]
ip_records = []
"#
    );
    assert_problems(
        &text,
        &[
            (
                14,
                12,
                "[]",
                "list \"a\", entry []: `accounts = []` gives it to no account; omit it for every account of the file",
            ),
            (
                19,
                19,
                "\"mars\"",
                "there is no account named \"mars\" (the file's accounts: us, ie, sub)",
            ),
            (19, 27, "\"us\"", "the same account twice"),
            (
                25,
                14,
                "{ set = \"us-only\" }",
                "set \"us-only\" is given to the accounts us only, not to ie (which this is given to)",
            ),
            (
                30,
                11,
                "\"edge trunk\"",
                "list \"d\", entry \"edge trunk\": the list names trunks and is given to the subaccount \"sub\" (parent \"us\") reached with its parent's credentials; Twilio's Trunking and Voice APIs act on the account whose credentials sign",
            ),
            (
                37,
                8,
                "e2",
                "list \"e\", entry e2: the same list twice in the account ie (also at line 32); give each list its own `accounts`",
            ),
            (
                43,
                1,
                "[byoc]",
                "estate.toml:43:1: entry [byoc]: the table is given to the subaccount \"sub\" (parent \"us\")",
            ),
        ],
    );
    // `accounts` in a file without [accounts].
    let text = format!(
        "[lists.a]\naccounts = [\"us\"]\n{LIST}[byoc]\naccounts = [\"us\"]\nip_records = []\n[sets.s]\naccounts = [\"us\"]\naddresses = []\n"
    );
    let found = problems(&text);
    assert_eq!(
        found.iter().map(|(l, c, ..)| (*l, *c)).collect::<Vec<_>>(),
        [(2, 12), (7, 12), (10, 12)],
        "{found:#?}"
    );
    for (.., shown) in &found {
        assert!(
            shown.contains("the file has no `[accounts.NAME]` table"),
            "{shown}"
        );
    }
}

#[test]
fn a_file_round_trips_through_the_writer() {
    let desired = read(&estate()).unwrap();
    let written = desired.to_toml();
    assert!(written.contains("[accounts.customer-42]\naccount_sid = \"ACcccccccccccccccccccccccccccccccc\"\nparent = \"us\"\n"), "{written}");
    assert!(
        written.contains("[lists.ie-office]\nname = \"office\"\naccounts = [\"ie\"]\n"),
        "{written}"
    );
    assert!(
        written.contains("[byoc]\naccounts = [\"ie\"]\n"),
        "{written}"
    );
    let again = read(&written).unwrap();
    assert_eq!(again, desired, "{written}");
    assert_eq!(again.accounts(), desired.accounts());
    assert_eq!(again.to_toml(), written);
}

#[test]
fn exported_accounts_merge_into_one_file_that_gives_each_its_own() {
    let us_part = Desired::builder()
        .list(
            ListBuilder::new("office")
                .address("203.0.113.10")
                .trunk("t1"),
        )
        .list(ListBuilder::new("only us").address("203.0.113.11"))
        .list(
            ListBuilder::new("shared")
                .address("203.0.113.12")
                .trunk("edge"),
        )
        .build()
        .unwrap();
    let ie_part = Desired::builder()
        .list(
            ListBuilder::new("shared")
                .address("203.0.113.12")
                .trunk("edge"),
        )
        .list(ListBuilder::new("office").address("192.0.2.1"))
        .byoc(ByocBuilder::new().ip_record(IpRecordBuilder::new("192.0.2.7")))
        .build()
        .unwrap();
    let us = Account::placeholder("us", AccountSid::new(US).unwrap());
    let ie = Account::placeholder("ie", AccountSid::new(IE).unwrap())
        .with_region("ie1")
        .with_edge("dublin");
    let merged = Desired::merge_accounts(vec![(us, us_part.clone()), (ie, ie_part.clone())]);
    let written = merged.to_toml();
    // Variable names derived from the account's name, for the user to set: never a secret.
    assert!(written.contains("[accounts.us]\naccount_sid = \"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\nauth_token_env = \"US_AUTH_TOKEN\"\n"), "{written}");
    assert!(
        written
            .contains("auth_token_env = \"IE_AUTH_TOKEN\"\nregion = \"ie1\"\nedge = \"dublin\"\n"),
        "{written}"
    );
    assert!(
        written.contains("[lists.\"office@us\"]\nname = \"office\"\naccounts = [\"us\"]\n"),
        "{written}"
    );
    assert!(
        written.contains("[lists.\"only us\"]\naccounts = [\"us\"]\n"),
        "{written}"
    );
    // A list the same in both accounts is one table given to both.
    assert!(
        written.contains("[lists.shared]\naccounts = [\"us\", \"ie\"]\n"),
        "{written}"
    );
    assert!(
        written.contains("[lists.\"office@ie\"]\nname = \"office\"\n"),
        "{written}"
    );
    let read_back = read(&written).unwrap();
    for (name, part) in [("us", &us_part), ("ie", &ie_part)] {
        let projected = read_back.for_account(name);
        assert_eq!(projected.lists(), part.lists(), "{name}\n{written}");
        assert_eq!(projected.byoc(), part.byoc(), "{name}\n{written}");
    }
}

#[test]
fn the_builder_checks_accounts_as_the_file_does() {
    let desired = Desired::builder()
        .account(AccountBuilder::new("us", US).auth_token_env("US_AUTH_TOKEN"))
        .account(AccountBuilder::new("sub", SUB).parent("us"))
        .set(SetBuilder::new("s").address("10.0.0.1").accounts(["us"]))
        .list(ListBuilder::new("a").set("s").accounts(["us"]))
        .byoc(ByocBuilder::new().accounts(["us"]))
        .build()
        .unwrap();
    assert_eq!(desired.for_account("us").lists().len(), 1);
    assert!(desired.for_account("sub").byoc().is_none());
    assert_eq!(
        read(&desired.to_toml()).unwrap().accounts(),
        desired.accounts()
    );
    let err = Desired::builder()
        .account(AccountBuilder::new("us", US).auth_token_env("0123456789abcdef0123456789abcdef"))
        .account(AccountBuilder::new("sub", SUB).parent("us"))
        .list(ListBuilder::new("a").trunk("t").accounts(["sub", "nope"]))
        .build()
        .unwrap_err();
    let all: Vec<String> = err.errors().map(ToString::to_string).collect();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.iter().any(|e| e.contains("[accounts.us], entry auth_token_env: `auth_token_env` holds what looks like an auth token")), "{all:#?}");
    assert!(
        all.iter()
            .any(|e| e.contains("list \"a\", entry \"nope\": there is no account named \"nope\"")),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|e| e.contains(
            "list \"a\", entry \"t\": the list names trunks and is given to the subaccount \"sub\""
        )),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .all(|e| !e.contains("0123456789abcdef0123456789abcdef"))
    );
}

/// A fake environment.
fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn each_account_builds_its_client_from_the_variables_it_names() {
    let desired = read(&estate()).unwrap();
    let accounts = desired.accounts();
    let vars = env(&[
        ("US_AUTH_TOKEN", "us-token"),
        ("IE_API_KEY", "SK0123456789abcdef0123456789abcdef"),
        ("IE_API_SECRET", "ie-secret"),
    ]);
    let us = desired
        .account("us")
        .unwrap()
        .client_builder(accounts, &vars)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(us.account_sid().as_str(), US);
    assert_eq!(us.base_url("api"), Some("https://api.us1.twilio.com"));
    let ie = desired
        .account("ie")
        .unwrap()
        .client_builder(accounts, &vars)
        .unwrap();
    assert!(!format!("{ie:?}").contains("ie-secret"));
    let ie = ie.build().unwrap();
    assert_eq!(ie.account_sid().as_str(), IE);
    assert_eq!(
        ie.base_url("trunking"),
        Some("https://trunking.dublin.ie1.twilio.com")
    );
    // The subaccount: the parent's credentials (and region), the subaccount's SID.
    let sub = desired
        .account("customer-42")
        .unwrap()
        .client_builder(accounts, &vars)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(sub.account_sid().as_str(), SUB);
    assert_eq!(sub.base_url("voice"), Some("https://voice.us1.twilio.com"));

    let error = |account: &str, vars: &'static [(&'static str, &'static str)]| {
        let err = desired
            .account(account)
            .unwrap()
            .client_builder(accounts, env(vars))
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        err.to_string()
    };
    assert_eq!(
        error("us", &[("US_AUTH_TOKEN", "")]),
        "invalid configuration: account \"us\": the environment variable US_AUTH_TOKEN is not set or is empty; set it to the account's auth token"
    );
    assert!(
        error("customer-42", &[])
            .contains("account \"us\": the environment variable US_AUTH_TOKEN is not set")
    );
    assert!(
        error(
            "ie",
            &[("IE_API_KEY", "SK0123456789abcdef0123456789abcdef")]
        )
        .contains("account \"ie\": the environment variable IE_API_SECRET is not set")
    );
    let shown = error(
        "ie",
        &[
            ("IE_API_KEY", "not-a-key-but-maybe-a-secret"),
            ("IE_API_SECRET", "s"),
        ],
    );
    assert!(
        shown.contains(
            "account \"ie\": the environment variable IE_API_KEY does not hold an API key SID"
        ),
        "{shown}"
    );
    assert!(!shown.contains("not-a-key-but-maybe-a-secret"), "{shown}");
    // A parent not among the accounts given.
    let err = desired
        .account("customer-42")
        .unwrap()
        .client_builder(&[], &vars)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("account \"customer-42\": its parent \"us\" is not among the accounts given"),
        "{err}"
    );
}

#[tokio::test]
async fn a_subaccount_through_its_parent_owns_its_lists_and_sees_the_parents_trunks() {
    let mock = MockTwilio::start().await;
    let (sub, sub_token) = mock.add_subaccount();
    let parent_trunk = mock.create_trunk_named("parent trunk", "parent.pstn.twilio.com");
    let text = format!(
        "[accounts.main]\naccount_sid = \"{}\"\nauth_token_env = \"MAIN_TOKEN\"\nbase_url = \"{}\"\n[accounts.sub]\naccount_sid = \"{sub}\"\nparent = \"main\"\n[lists.office]\n{LIST}",
        mock.account_sid(),
        mock.base_url()
    );
    let desired = read(&text).unwrap();
    let token = mock.auth_token().to_owned();
    let vars = move |name: &str| (name == "MAIN_TOKEN").then(|| token.clone());
    let through_parent: Client = desired
        .account("sub")
        .unwrap()
        .client_builder(desired.accounts(), vars)
        .unwrap()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(through_parent.account_sid(), &sub);
    mock.clear_requests();
    let created = through_parent
        .sip_ip_access_control_lists()
        .create("office")
        .await
        .unwrap();
    // Signed by the parent, the subaccount in the 2010 path.
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path,
        format!("/2010-04-01/Accounts/{sub}/SIP/IpAccessControlLists.json")
    );
    // (The client holds the parent's token only: the emulator accepted its signature.)
    // The list belongs to the subaccount: its own credentials see it, the parent's list does not hold it.
    let sub_own = mock
        .client_builder()
        .account_sid(sub.as_str())
        .auth_token(sub_token)
        .build()
        .unwrap();
    let sub_lists = sub_own
        .sip_ip_access_control_lists()
        .list()
        .collect()
        .await
        .unwrap();
    assert_eq!(
        sub_lists.iter().map(|l| &l.sid).collect::<Vec<_>>(),
        [&created.sid]
    );
    assert!(
        mock.client()
            .sip_ip_access_control_lists()
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    // Trunking acts on the account whose credentials sign: the parent's trunks.
    let trunks = through_parent.trunks().list().collect().await.unwrap();
    assert_eq!(
        trunks.iter().map(|t| &t.sid).collect::<Vec<_>>(),
        [&parent_trunk]
    );
    assert!(sub_own.trunks().list().collect().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_file_with_accounts_reads_its_sources_and_checks_its_accounts_first() {
    let dir =
        std::env::temp_dir().join(format!("twilio-allowlist-accounts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("carrier.txt"), "198.51.100.0/24\n").unwrap();
    let options = twilio_ip_access::allowlist::SourceOptions::default().base_dir(&dir);
    let text = format!(
        "[accounts.us]\naccount_sid = \"{US}\"\nauth_token_env = \"US_AUTH_TOKEN\"\n[accounts.ie]\naccount_sid = \"{IE}\"\nauth_token_env = \"IE_AUTH_TOKEN\"\n\
         [sets.carrier]\naccounts = [\"ie\"]\naddresses = [{{ file = \"carrier.txt\" }}]\n\
         [lists.carrier]\naccounts = [\"ie\"]\naddresses = [{{ set = \"carrier\" }}]\ntrunks = []\nsip_domains = []\n"
    );
    let desired = Desired::from_toml_with_sources(&text, FILE, &options)
        .await
        .unwrap();
    let ie = desired.for_account("ie");
    let address = &ie.lists()[0].addresses()[0];
    assert_eq!(address.cidr(), "198.51.100.0/24");
    assert_eq!(address.set(), Some("carrier"));
    assert!(desired.for_account("us").lists().is_empty());
    // A problem of the accounts refuses the file before its sources are read.
    let bad = text.replace("auth_token_env = \"US_AUTH_TOKEN\"", "auth_token = \"x\"");
    std::fs::remove_file(dir.join("carrier.txt")).unwrap();
    let err = Desired::from_toml_with_sources(&bad, FILE, &options)
        .await
        .unwrap_err();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(err.errors().count(), 1, "{err}");
    assert_eq!((err.line(), err.account()), (Some(3), Some("us")));
    assert!(err.source_error().is_none(), "{err}");
}

#[test]
fn an_empty_accounts_table_is_refused_with_its_position() {
    let hint = "`[accounts]` names no account: add `[accounts.NAME]` tables, or remove it for the one account of the environment";
    // The header alone, and the inline form: both name no account.
    assert_problems(
        &format!("[lists.l]\n{LIST}\n[accounts]\n"),
        &[(6, 1, "[accounts]", hint)],
    );
    assert_problems(
        &format!("accounts = {{}}\n[lists.l]\n{LIST}"),
        &[(1, 12, "{}", hint)],
    );
    // Refused before a source is read, and by the reader of accounts alone too.
    let text = "[accounts]\n[lists.l]\naddresses = [{ url = \"https://feed.example/ips\" }]\ntrunks = []\nsip_domains = []\n";
    let err = Desired::accounts_from_toml(text, FILE).unwrap_err();
    assert!(
        err.to_string().starts_with(&format!("{FILE}:1:1: ")),
        "{err}"
    );
    assert!(err.to_string().contains(hint), "{err}");
}

#[test]
fn accounts_are_read_without_reading_the_sources() {
    // A feed, a DNS name and a file that does not exist: none is read, none is refused.
    let text = estate().replace(
        "addresses = [\"203.0.113.10\"]",
        "addresses = [\"203.0.113.10\", { url = \"https://feed.example/ips\" }, { dns = \"sbc.example\" }, { file = \"/nonexistent/ips.txt\" }]",
    );
    assert!(read(&text).is_err(), "from_toml refuses sources");
    let accounts = Desired::accounts_from_toml(&text, FILE).unwrap();
    assert_eq!(accounts, read(&estate()).unwrap().accounts());
    // A file of the one account of the environment has none.
    let one = "[lists.l]\naddresses = [{ dns = \"sbc.example\" }]\ntrunks = []\nsip_domains = []\n";
    assert!(Desired::accounts_from_toml(one, FILE).unwrap().is_empty());
    // The rest of the file is still checked, each problem with its position.
    let bad = text.replace(
        "trunks = [\"edge trunk\"]",
        "trunks = [\"edge trunk\"]\ncolour = 1",
    );
    let err = Desired::accounts_from_toml(&bad, FILE).unwrap_err();
    assert!(err.to_string().contains("unknown field `colour`"), "{err}");
    let bad = text.replace("parent = \"us\"", "parent = \"nobody\"");
    let err = Desired::accounts_from_toml(&bad, FILE).unwrap_err();
    assert_eq!(err.account(), Some("customer-42"), "{err}");
    assert!(
        err.to_string().contains("`parent` names no account"),
        "{err}"
    );
}
