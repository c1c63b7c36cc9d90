//! One [`RequestLimit`] shared by several clients: what the emulator sees of their requests in
//! flight (counted on the server side, from arrival to answer). 127.0.0.1 only.

#![cfg(feature = "mock")]

use std::time::Duration;

use futures_util::future::join_all;
use twilio_ip_access::{
    Client, ClientBuilder, Error, RequestLimit, RetryPolicy,
    mock::{Fault, MockConfig, MockTwilio},
};

/// An emulator answering every request 50 ms late, so that requests sent together overlap.
async fn slow_emulator() -> MockTwilio {
    MockTwilio::start_with(MockConfig {
        latency: Duration::from_millis(50),
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

/// Builders for a client of the main account and one of a subaccount, each signing with its
/// own token.
fn two_accounts(mock: &MockTwilio) -> [ClientBuilder; 2] {
    let (sub, token) = mock.add_subaccount();
    let subaccount = Client::builder()
        .account_sid(sub.as_str())
        .auth_token(token)
        .base_url(mock.base_url());
    [mock.client_builder(), subaccount]
}

/// The two clients, given `limit` when there is one.
fn two_clients(mock: &MockTwilio, limit: Option<&RequestLimit>) -> [Client; 2] {
    two_accounts(mock).map(|builder| match limit {
        Some(limit) => builder.request_limit(limit.clone()).build().unwrap(),
        None => builder.build().unwrap(),
    })
}

/// Eight list requests from each client, all at once; every one must succeed.
async fn sixteen_at_once(clients: &[Client; 2]) {
    let requests = clients.iter().flat_map(|client| {
        (0..8).map(move |i| async move {
            if i % 2 == 0 {
                client.ip_records().list().send().await.map(|_| ())
            } else {
                client
                    .sip_ip_access_control_lists()
                    .list()
                    .send()
                    .await
                    .map(|_| ())
            }
        })
    });
    for result in join_all(requests).await {
        result.unwrap();
    }
}

#[tokio::test]
async fn clients_sharing_a_limit_of_two_never_have_more_than_two_requests_in_flight() {
    let mock = slow_emulator().await;
    let limit = RequestLimit::new(2).unwrap();
    let clients = two_clients(&mock, Some(&limit));
    assert!(
        format!("{:?}", clients[1]).contains("RequestLimit { bound: 2, available: 2 }"),
        "{:?}",
        clients[1]
    );
    sixteen_at_once(&clients).await;
    assert_eq!(mock.requests().len(), 16);
    assert_eq!(mock.peak_requests_in_flight(), 2);
    // Every permit came back.
    assert_eq!(limit.available(), 2);

    // The same requests without the limit overlap far more: the bound above is the limit's.
    let mock = slow_emulator().await;
    sixteen_at_once(&two_clients(&mock, None)).await;
    assert!(
        mock.peak_requests_in_flight() > 2,
        "{}",
        mock.peak_requests_in_flight()
    );
}

#[tokio::test]
async fn a_request_waiting_to_be_retried_holds_no_permit() {
    let mock = MockTwilio::start().await;
    let limit = RequestLimit::new(1).unwrap();
    // The main account's first list of IP records gets a 503; it would be retried after 60 s.
    mock.inject(Fault::on("GET", "/v1/IpRecords").status(503));
    let [main, sub] = two_accounts(&mock);
    let retrying = main
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .base_delay(Duration::from_secs(60))
                .max_delay(Duration::from_secs(60))
                .jitter(false),
        )
        .request_limit(limit.clone())
        .build()
        .unwrap();
    let other = sub.request_limit(limit.clone()).build().unwrap();
    let first = tokio::spawn(async move { retrying.ip_records().list().send().await });
    // Once the first attempt has arrived, the other client asks; it must not wait out the
    // first one's delay.
    while mock.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::timeout(
        Duration::from_secs(20),
        other.sip_ip_access_control_lists().list().send(),
    )
    .await
    .expect("the other client waited for the first one's retry")
    .unwrap();
    // The first client is asleep before its retry, holding nothing.
    assert!(!first.is_finished());
    assert_eq!(limit.available(), 1);
    let log: Vec<(Option<u16>, String)> = mock
        .requests()
        .iter()
        .map(|r| (r.handled, r.path.clone()))
        .collect();
    let sip = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists.json",
        other.account_sid()
    );
    assert_eq!(log, [(None, "/v1/IpRecords".to_owned()), (Some(200), sip)]);
    first.abort();
}

#[tokio::test]
async fn a_deadline_passing_while_waiting_for_a_permit_sent_nothing() {
    let mock = MockTwilio::start().await;
    let limit = RequestLimit::new(1).unwrap();
    // The main account's list of IP records is answered 2 s late, holding the only permit.
    mock.inject(Fault::on("GET", "/v1/IpRecords").delay(Duration::from_secs(2)));
    let [main, sub] = two_accounts(&mock);
    let slow = main.request_limit(limit.clone()).build().unwrap();
    let hurried = sub
        .request_limit(limit.clone())
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let first = tokio::spawn(async move { slow.ip_records().list().send().await });
    while mock.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let error = hurried
        .sip_ip_access_control_lists()
        .create("never sent")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::DeadlineExceeded { attempts: 0, .. }),
        "{error:?}"
    );
    // Nothing left the process: a create known not to have been made.
    assert!(!error.outcome_unknown());
    assert_eq!(
        error.to_string(),
        "no response within the overall deadline of 300ms (not sent: it waited for a \
         RequestLimit permit all along)"
    );
    assert_eq!(mock.requests().len(), 1, "only the slow request arrived");
    first.await.unwrap().unwrap();
    assert_eq!(limit.available(), 1);
}
