//! Emulators standing for regions (`tests/allowlist_support/regions.rs`), as the estate's tests
//! use them: each serves the account it was given and only that one, holds its own resources,
//! makes subaccounts, and an estate's accounts plan against them at once under one
//! `RequestLimit`. 127.0.0.1 only.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use allowlist_support::regions::{Regions, TWO};
use twilio_ip_access::{
    Client, RequestLimit, RetryPolicy,
    allowlist::{self, Desired, ListBuilder},
};

/// A client signing as `account_sid`/`auth_token`, sending every product to `base_url`.
fn client(base_url: &str, account_sid: &str, auth_token: &str) -> Client {
    Client::builder()
        .account_sid(account_sid)
        .auth_token(auth_token)
        .base_url(base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The error of listing `client`'s SIP IP access control lists, a 401.
async fn refused(client: Client) -> twilio_ip_access::Error {
    let error = client
        .sip_ip_access_control_lists()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    error
}

#[tokio::test]
async fn each_region_serves_its_own_account_and_refuses_the_other_s() {
    let regions = Regions::start(&TWO).await;
    let (us, ie) = (regions.get("us1"), regions.get("ie1"));
    assert_eq!(us.account_sid(), TWO[0].account_sid);
    assert_eq!(us.auth_token(), TWO[0].auth_token);
    assert_eq!(ie.account_sid(), TWO[1].account_sid);
    assert_ne!(us.base_url(), ie.base_url());

    // Resources are per region.
    us.client()
        .sip_ip_access_control_lists()
        .create("us only")
        .await
        .unwrap();
    let names = |client: Client| async move {
        allowlist_support::snapshot(&client)
            .await
            .into_keys()
            .collect::<Vec<_>>()
    };
    assert_eq!(names(us.client()).await, ["us only"]);
    assert!(names(ie.client()).await.is_empty());

    // us1's credentials at ie1: Twilio's 401.
    let error = refused(client(ie.base_url(), us.account_sid(), us.auth_token())).await;
    assert_eq!(error.code(), Some(20003));
    assert_eq!(error.message(), Some("Authenticate"));
    assert_eq!(
        error.more_info(),
        Some("https://www.twilio.com/docs/errors/20003")
    );

    // A subaccount of us1 signs with its own token there, and is unknown at ie1.
    let (sub, token) = us.subaccount();
    assert!(sub.as_str().starts_with("AC") && sub.as_str() != us.account_sid());
    assert!(
        names(client(us.base_url(), sub.as_str(), &token))
            .await
            .is_empty(),
        "a subaccount has resources of its own"
    );
    refused(client(ie.base_url(), sub.as_str(), &token)).await;
}

#[tokio::test]
async fn the_accounts_tables_and_environment_reach_each_region() {
    let regions = Regions::start(&TWO).await;
    let (us, ie) = (regions.get("us1"), regions.get("ie1"));
    assert_eq!(
        regions.accounts_toml(),
        format!(
            "[accounts.us1]\naccount_sid = \"AC11111111111111111111111111111111\"\nauth_token_env = \"US1_AUTH_TOKEN\"\nregion = \"us1\"\nbase_url = \"{}\"\n\n\
             [accounts.ie1]\naccount_sid = \"AC22222222222222222222222222222222\"\nauth_token_env = \"IE1_AUTH_TOKEN\"\nregion = \"ie1\"\nbase_url = \"{}\"\n\n",
            us.base_url(),
            ie.base_url()
        )
    );
    assert_eq!(
        regions.env(),
        [
            ("US1_AUTH_TOKEN".to_owned(), "us1-test-token".to_owned()),
            ("IE1_AUTH_TOKEN".to_owned(), "ie1-test-token".to_owned()),
        ]
    );
    // The tables parse as TOML, one per region.
    let tables: toml::Table = regions.accounts_toml().parse().unwrap();
    assert_eq!(
        tables["accounts"]["ie1"]["base_url"].as_str(),
        Some(ie.base_url())
    );
}

#[test]
fn regions_started_without_a_runtime_serve_until_dropped() {
    let regions = Regions::start_blocking(&TWO);
    let us = regions.get("us1");
    let url = us.base_url().to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let lists = runtime
        .block_on(us.client().sip_ip_access_control_lists().list().collect())
        .unwrap();
    assert!(lists.is_empty());
    drop(regions);
    let error = runtime
        .block_on(
            client(&url, TWO[0].account_sid, TWO[0].auth_token)
                .sip_ip_access_control_lists()
                .list()
                .send(),
        )
        .unwrap_err();
    assert_eq!(error.status(), None, "nothing listens any more: {error}");
}

#[tokio::test]
async fn two_regions_plan_at_once_under_one_limit() {
    let regions = Regions::start(&TWO).await;
    let limit = RequestLimit::new(1).unwrap();
    let desired = Desired::builder()
        .list(ListBuilder::new("office").address("198.51.100.7"))
        .build()
        .unwrap();
    let clients: Vec<Client> = regions
        .regions
        .iter()
        .map(|r| {
            r.mock
                .client_builder()
                .request_limit(limit.clone())
                .build()
                .unwrap()
        })
        .collect();
    let plans =
        futures_util::future::join_all(clients.iter().map(|c| allowlist::plan(c, &desired))).await;
    for (region, plan) in regions.regions.iter().zip(plans) {
        assert_eq!(plan.unwrap().summary().total(), 2, "create, add");
        assert!(!region.mock.requests().is_empty());
        assert_eq!(region.mock.peak_requests_in_flight(), 1);
    }
    assert_eq!(limit.available(), 1);
}
