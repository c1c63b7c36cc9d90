//! Retries and timeouts, driven by the emulator's fault injection: what is sent again, when, and
//! what the caller sees when it gives up. The emulator runs on a thread and runtime of its own
//! (`start_blocking`), so delays are measured on this test's paused tokio clock: the assertions
//! are exact and no test waits for real seconds.
#![cfg(feature = "mock")]

mod common;

use std::{collections::BTreeSet, future::IntoFuture, time::Duration};

use common::schema::SpecValidator;

use tokio::time::Instant;
use twilio_ip_access::{
    ClientBuilder, Error, RetryPolicy,
    mock::{Fault, MockTwilio},
    reqwest,
};

fn fixed_policy() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(false)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(5))
}

/// No timers of the client's own (connect, request or pool idle timeouts), so that the paused
/// clock only moves for retry delays.
fn client(twilio: &MockTwilio, policy: RetryPolicy) -> ClientBuilder {
    twilio
        .client_builder()
        .http_client(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .unwrap(),
        )
        .no_timeout()
        .retry_policy(policy)
}

fn posts(twilio: &MockTwilio, path: &str) -> usize {
    twilio
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .count()
}

#[tokio::test(start_paused = true)]
async fn rate_limited_create_is_retried_after_retry_after_and_created_once() {
    let twilio = MockTwilio::start_blocking();
    twilio.inject(
        Fault::on("POST", "/v1/IpRecords")
            .status(429)
            .retry_after(Duration::from_secs(2)),
    );
    let client = client(&twilio, fixed_policy()).build().unwrap();
    let started = Instant::now();
    let record = client.ip_records().create("203.0.113.10").await.unwrap();
    // Retry-After: 2 wins over the 100 ms backoff.
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert_eq!(posts(&twilio, "/v1/IpRecords"), 2);
    let all = client.ip_records().list().collect().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].sid, record.sid);
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_max_delay_ends_the_retries() {
    let twilio = MockTwilio::start_blocking();
    twilio.inject(
        Fault::on("POST", "/v1/IpRecords")
            .status(429)
            .retry_after(Duration::from_secs(60)),
    );
    let client = client(&twilio, fixed_policy()).build().unwrap();
    let err = client
        .ip_records()
        .create("203.0.113.10")
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(429), Some(20429)));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(posts(&twilio, "/v1/IpRecords"), 1);
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_on_get_with_exponential_delays() {
    let twilio = MockTwilio::start_blocking();
    let client = client(&twilio, fixed_policy()).build().unwrap();
    let sid = client
        .ip_records()
        .create("203.0.113.10")
        .await
        .unwrap()
        .sid;
    twilio.inject(Fault::on("GET", "/v1/IpRecords/").status(503).times(2));
    let started = Instant::now();
    let record = client.ip_records().fetch(&sid).await.unwrap();
    assert_eq!(record.sid, sid);
    assert_eq!(started.elapsed(), Duration::from_millis(100 + 200));
    let gets = twilio
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(gets, 3);
}

#[tokio::test(start_paused = true)]
async fn server_errors_on_create_are_not_retried() {
    let twilio = MockTwilio::start_blocking();
    let acl = twilio.create_ip_access_control_list("office");
    let path = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{acl}/IpAddresses.json",
        twilio.account_sid()
    );
    twilio.inject(Fault::on("POST", &path).status(503));
    let client = client(&twilio, fixed_policy()).build().unwrap();
    let addresses = client.sip_ip_access_control_list(&acl).ip_addresses();
    let err = addresses.create("desk", "198.51.100.7").await.unwrap_err();
    assert_eq!(
        (err.status(), err.code(), err.attempts()),
        (Some(503), Some(20503), Some(1))
    );
    assert_eq!(
        posts(&twilio, &path),
        1,
        "a create that may have reached Twilio is never sent twice"
    );
    assert!(addresses.list().collect().await.unwrap().is_empty());
}

/// Real time: with the paused clock, the deadline's own timer would be the next one while a
/// request is in flight, and tokio would jump to it.
#[tokio::test]
async fn the_overall_deadline_stops_the_loop_with_the_last_answer() {
    let twilio = MockTwilio::start_blocking();
    twilio.inject(Fault::on("GET", "/v1/IpRecords").status(503).times(20));
    let client = client(&twilio, fixed_policy().max_attempts(100))
        .deadline(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.ip_records().list().send().await.unwrap_err();
    let elapsed = started.elapsed();
    // Sent at about 0, 100 and 300 ms; the next delay (400 ms) would end past the deadline, so
    // the loop stops there with Twilio's answer instead of sleeping into a bare timeout. The
    // margins are 200 ms either way, so a loaded machine does not change the count.
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(500),
        "{elapsed:?}"
    );
    assert_eq!(
        (err.status(), err.code(), err.attempts()),
        (Some(503), Some(20503), Some(3))
    );
    assert_eq!(twilio.requests().len(), 3);
}

/// Real time: an attempt still in flight when the deadline passes.
#[tokio::test]
async fn the_overall_deadline_cuts_a_slow_attempt() {
    let twilio = MockTwilio::start_blocking();
    twilio.inject(Fault::on("GET", "/v1/IpRecords").delay(Duration::from_secs(2)));
    let client = client(&twilio, fixed_policy())
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.ip_records().list().send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    match err {
        Error::DeadlineExceeded { deadline, attempts } => {
            assert_eq!((deadline, attempts), (Duration::from_millis(300), 1));
        }
        other => panic!("{other:?}"),
    }
}

/// Real time, but nothing waits: the Retry-After does not fit in what is left of the deadline,
/// so the client gives up at once with what Twilio said rather than sleeping into a bare
/// DeadlineExceeded.
#[tokio::test]
async fn a_retry_after_past_the_deadline_returns_twilio_s_answer() {
    let twilio = MockTwilio::start_blocking();
    twilio.inject(
        Fault::on("GET", "/v1/IpRecords")
            .status(429)
            .retry_after(Duration::from_secs(2)),
    );
    let client = client(&twilio, fixed_policy())
        .deadline(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.ip_records().list().send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(
        (err.status(), err.code(), err.attempts()),
        (Some(429), Some(20429), Some(1))
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
}

/// Real time: the emulator answers after 1 s and each attempt may take 300 ms, so every
/// attempt times out.
#[tokio::test]
async fn a_create_whose_response_is_lost_is_not_sent_again_but_a_fetch_is() {
    let twilio = MockTwilio::start_blocking();
    let client = twilio
        .client_builder()
        .timeout(Duration::from_millis(300))
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(10))
                .max_attempts(3),
        )
        .build()
        .unwrap();
    twilio.inject(Fault::on("POST", "/v1/IpRecords").delay(Duration::from_secs(1)));
    let err = client
        .ip_records()
        .create("203.0.113.10")
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, attempts } => {
            assert!(source.is_timeout(), "{source:?}");
            assert_eq!(*attempts, 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        posts(&twilio, "/v1/IpRecords"),
        1,
        "the create was sent once"
    );

    twilio.inject(
        Fault::on("GET", "/v1/IpRecords/")
            .delay(Duration::from_secs(1))
            .times(3),
    );
    let err = client
        .ip_records()
        .fetch("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(3));
    assert!(err.is_retryable());
    let gets = twilio
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(gets, 3, "the fetch was sent three times");
}

#[tokio::test]
async fn a_create_that_could_not_connect_is_retried() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = twilio_ip_access::Client::builder()
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("token")
        .base_url(format!("http://{closed}"))
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_attempts(3),
        )
        .build()
        .unwrap();
    let err = client
        .ip_records()
        .create("203.0.113.10")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, attempts: 3 } if source.is_connect()),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_default_policy_rides_out_a_burst_of_429s() {
    let twilio = MockTwilio::start().await;
    twilio.inject(Fault::on("GET", "/v1/IpRecords").status(429).times(2));
    let client = twilio
        .client_builder()
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap();
    let page = client.ip_records().list().send().await.unwrap();
    assert!(page.items().is_empty());
    assert_eq!(twilio.requests().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Every operation of every resource: which are sent again after a 5xx

/// How many `method` requests to exactly `path` the emulator received since the log was last
/// cleared.
fn sent(twilio: &MockTwilio, method: &str, path: &str) -> usize {
    twilio
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// The operations exercised, by operationId, to compare with the spec's.
#[derive(Default)]
struct Exercised(BTreeSet<&'static str>);

impl Exercised {
    /// A `POST` (create or update) answered 500 is not sent again: one request reaches the
    /// emulator, the caller gets the 500 at once (no delay on the paused clock).
    async fn post_is_not_retried<T>(
        &mut self,
        twilio: &MockTwilio,
        operation: &'static str,
        path: &str,
        request: impl IntoFuture<Output = twilio_ip_access::Result<T>>,
    ) {
        assert!(self.0.insert(operation), "{operation} twice");
        twilio.clear_requests();
        twilio.inject(Fault::on("POST", path).status(500));
        let started = Instant::now();
        let Err(err) = request.await else {
            panic!("{operation}: POST {path} succeeded despite the injected 500");
        };
        assert_eq!(
            (err.status(), err.code(), err.attempts()),
            (Some(500), Some(20500), Some(1)),
            "{operation}: {err}"
        );
        assert_eq!(started.elapsed(), Duration::ZERO, "{operation}: no backoff");
        assert_eq!(
            sent(twilio, "POST", path),
            1,
            "{operation}: a POST that may have reached Twilio is sent once"
        );
        assert_eq!(
            twilio.requests().len(),
            1,
            "{operation}: nothing else was sent"
        );
    }

    /// A `GET` or `DELETE` answered 500 twice is sent a third time, after 100 and 200 ms, and
    /// succeeds.
    async fn is_retried<T>(
        &mut self,
        twilio: &MockTwilio,
        operation: &'static str,
        method: &str,
        path: &str,
        request: impl IntoFuture<Output = twilio_ip_access::Result<T>>,
    ) -> T {
        assert!(self.0.insert(operation), "{operation} twice");
        twilio.clear_requests();
        twilio.inject(Fault::on(method, path).status(500).times(2));
        let started = Instant::now();
        let value = match request.await {
            Ok(value) => value,
            Err(err) => panic!("{operation}: {method} {path} failed after its retries: {err}"),
        };
        assert_eq!(
            started.elapsed(),
            Duration::from_millis(100 + 200),
            "{operation}: the policy's delays"
        );
        assert_eq!(
            sent(twilio, method, path),
            3,
            "{operation}: {method} {path}"
        );
        assert_eq!(
            twilio.requests().len(),
            3,
            "{operation}: nothing else was sent"
        );
        value
    }
}

/// Every create and update (all `POST`s) of every resource, one by one: a 500 is answered once
/// and not retried. Every fetch and list (`GET`) and every delete (`DELETE`) is retried per the
/// policy. The operations are listed by hand from the handle table (`src/resources.rs`) and
/// checked against `spec/`: 10 POSTs (6 creates, 4 updates), 16 GETs and 6 DELETEs.
#[tokio::test(start_paused = true)]
async fn every_write_is_sent_once_after_a_5xx_and_every_read_and_delete_is_retried() {
    let twilio = MockTwilio::start_blocking();
    let client = client(&twilio, fixed_policy()).build().unwrap();
    let account = twilio.account_sid().to_string();
    let sip = |rest: &str| format!("/2010-04-01/Accounts/{account}/SIP/{rest}");

    // What the operations act on, created without faults.
    let record = client
        .ip_records()
        .create("203.0.113.10")
        .await
        .unwrap()
        .sid;
    let domain = twilio.create_sip_domain();
    let other_domain = twilio.create_sip_domain();
    let mapping = client
        .source_ip_mappings()
        .create(&record, &domain)
        .await
        .unwrap()
        .sid;
    let trunk = twilio.create_trunk();
    let list = client
        .sip_ip_access_control_lists()
        .create("office")
        .await
        .unwrap()
        .sid;
    let spare = twilio.create_ip_access_control_list("spare");
    let addresses = client.sip_ip_access_control_list(&list).ip_addresses();
    let address = addresses.create("desk", "192.0.2.1").await.unwrap().sid;
    let trunk_lists = client.trunk(&trunk).ip_access_control_lists();
    trunk_lists.create(&list).await.unwrap();
    let mappings = client
        .sip_domain(&domain)
        .auth_calls_ip_access_control_list_mappings();
    mappings.create(&list).await.unwrap();

    let ip_records = "/v1/IpRecords".to_owned();
    let ip_record = format!("/v1/IpRecords/{record}");
    let source_ip_mappings = "/v1/SourceIpMappings".to_owned();
    let source_ip_mapping = format!("/v1/SourceIpMappings/{mapping}");
    let trunks = "/v1/Trunks".to_owned();
    let trunk_path = format!("/v1/Trunks/{trunk}");
    let trunk_lists_path = format!("/v1/Trunks/{trunk}/IpAccessControlLists");
    let trunk_list_path = format!("{trunk_lists_path}/{list}");
    let sip_lists = sip("IpAccessControlLists.json");
    let sip_list = sip(&format!("IpAccessControlLists/{list}.json"));
    let addresses_path = sip(&format!("IpAccessControlLists/{list}/IpAddresses.json"));
    let address_path = sip(&format!(
        "IpAccessControlLists/{list}/IpAddresses/{address}.json"
    ));
    let domains = sip("Domains.json");
    let domain_path = sip(&format!("Domains/{domain}.json"));
    let mappings_path = sip(&format!(
        "Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"
    ));
    let mapping_path = sip(&format!(
        "Domains/{domain}/Auth/Calls/IpAccessControlListMappings/{list}.json"
    ));

    let mut ops = Exercised::default();

    // ---- POST: the 6 creates and the 4 updates.
    ops.post_is_not_retried(
        &twilio,
        "CreateIpRecord",
        &ip_records,
        client.ip_records().create("203.0.113.11"),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "UpdateIpRecord",
        &ip_record,
        client.ip_records().update(&record).friendly_name("sbc"),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "CreateSourceIpMapping",
        &source_ip_mappings,
        client.source_ip_mappings().create(&record, &other_domain),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "UpdateSourceIpMapping",
        &source_ip_mapping,
        client.source_ip_mappings().update(&mapping, &other_domain),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "CreateTrunkIpAccessControlList",
        &trunk_lists_path,
        trunk_lists.create(&spare),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "CreateSipIpAccessControlList",
        &sip_lists,
        client.sip_ip_access_control_lists().create("lab"),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "UpdateSipIpAccessControlList",
        &sip_list,
        client
            .sip_ip_access_control_lists()
            .update(&list, "head office"),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "CreateSipIpAddress",
        &addresses_path,
        addresses.create("desk 2", "192.0.2.2"),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "UpdateSipIpAddress",
        &address_path,
        addresses.update(&address).friendly_name("front desk"),
    )
    .await;
    ops.post_is_not_retried(
        &twilio,
        "CreateAuthCallsIpAccessControlListMapping",
        &mappings_path,
        mappings.create(&spare),
    )
    .await;
    // None of the refused writes happened.
    assert_eq!(client.ip_records().list().collect().await.unwrap().len(), 1);
    assert_eq!(
        client
            .ip_records()
            .fetch(&record)
            .await
            .unwrap()
            .friendly_name,
        None
    );
    assert_eq!(
        client
            .sip_ip_access_control_lists()
            .fetch(&list)
            .await
            .unwrap()
            .friendly_name
            .as_deref(),
        Some("office")
    );
    assert_eq!(trunk_lists.list().collect().await.unwrap().len(), 1);
    assert_eq!(mappings.list().collect().await.unwrap().len(), 1);
    assert_eq!(addresses.list().collect().await.unwrap().len(), 1);

    // ---- GET: every fetch and list.
    ops.is_retried(
        &twilio,
        "ListIpRecord",
        "GET",
        &ip_records,
        client.ip_records().list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchIpRecord",
        "GET",
        &ip_record,
        client.ip_records().fetch(&record),
    )
    .await;
    ops.is_retried(
        &twilio,
        "ListSourceIpMapping",
        "GET",
        &source_ip_mappings,
        client.source_ip_mappings().list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchSourceIpMapping",
        "GET",
        &source_ip_mapping,
        client.source_ip_mappings().fetch(&mapping),
    )
    .await;
    ops.is_retried(&twilio, "ListTrunk", "GET", &trunks, client.trunks().list())
        .await;
    ops.is_retried(
        &twilio,
        "FetchTrunk",
        "GET",
        &trunk_path,
        client.trunks().fetch(&trunk),
    )
    .await;
    ops.is_retried(
        &twilio,
        "ListTrunkIpAccessControlList",
        "GET",
        &trunk_lists_path,
        trunk_lists.list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchTrunkIpAccessControlList",
        "GET",
        &trunk_list_path,
        trunk_lists.fetch(&list),
    )
    .await;
    ops.is_retried(
        &twilio,
        "ListSipIpAccessControlList",
        "GET",
        &sip_lists,
        client.sip_ip_access_control_lists().list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchSipIpAccessControlList",
        "GET",
        &sip_list,
        client.sip_ip_access_control_lists().fetch(&list),
    )
    .await;
    ops.is_retried(
        &twilio,
        "ListSipIpAddress",
        "GET",
        &addresses_path,
        addresses.list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchSipIpAddress",
        "GET",
        &address_path,
        addresses.fetch(&address),
    )
    .await;
    ops.is_retried(
        &twilio,
        "ListSipDomain",
        "GET",
        &domains,
        client.sip_domains().list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchSipDomain",
        "GET",
        &domain_path,
        client.sip_domains().fetch(&domain),
    )
    .await;
    ops.is_retried(
        &twilio,
        "ListAuthCallsIpAccessControlListMapping",
        "GET",
        &mappings_path,
        mappings.list(),
    )
    .await;
    ops.is_retried(
        &twilio,
        "FetchAuthCallsIpAccessControlListMapping",
        "GET",
        &mapping_path,
        mappings.fetch(&list),
    )
    .await;

    // ---- DELETE: every delete, in an order the rules between resources allow.
    ops.is_retried(
        &twilio,
        "DeleteSipIpAddress",
        "DELETE",
        &address_path,
        addresses.delete(&address),
    )
    .await;
    ops.is_retried(
        &twilio,
        "DeleteAuthCallsIpAccessControlListMapping",
        "DELETE",
        &mapping_path,
        mappings.delete(&list),
    )
    .await;
    ops.is_retried(
        &twilio,
        "DeleteTrunkIpAccessControlList",
        "DELETE",
        &trunk_list_path,
        trunk_lists.delete(&list),
    )
    .await;
    ops.is_retried(
        &twilio,
        "DeleteSipIpAccessControlList",
        "DELETE",
        &sip_list,
        client.sip_ip_access_control_lists().delete(&list),
    )
    .await;
    ops.is_retried(
        &twilio,
        "DeleteSourceIpMapping",
        "DELETE",
        &source_ip_mapping,
        client.source_ip_mappings().delete(&mapping),
    )
    .await;
    ops.is_retried(
        &twilio,
        "DeleteIpRecord",
        "DELETE",
        &ip_record,
        client.ip_records().delete(&record),
    )
    .await;

    // Complete: exactly the operations the spec declares, by method.
    let spec = SpecValidator::load();
    let declared: BTreeSet<(&str, &str)> = spec
        .operations()
        .iter()
        .map(|op| (op.method, op.operation_id.expect("an operationId")))
        .collect();
    let by_method = |method: &str| -> BTreeSet<&str> {
        declared
            .iter()
            .filter(|(m, _)| *m == method)
            .map(|(_, id)| *id)
            .collect()
    };
    let exercised = |prefixes: &[&str]| -> BTreeSet<&str> {
        ops.0
            .iter()
            .copied()
            .filter(|id| prefixes.iter().any(|p| id.starts_with(p)))
            .collect()
    };
    assert_eq!(exercised(&["Create", "Update"]), by_method("post"));
    assert_eq!(exercised(&["Fetch", "List"]), by_method("get"));
    assert_eq!(exercised(&["Delete"]), by_method("delete"));
    assert_eq!(
        (
            by_method("post").len(),
            by_method("get").len(),
            by_method("delete").len()
        ),
        (10, 16, 6)
    );
    assert_eq!(ops.0.len(), declared.len());
}
