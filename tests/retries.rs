//! Retries and timeouts, driven by the emulator's fault injection: what is sent again, when, and
//! what the caller sees when it gives up. The emulator runs on a thread and runtime of its own
//! (`start_blocking`), so delays are measured on this test's paused tokio clock: the assertions
//! are exact and no test waits for real seconds.
#![cfg(feature = "mock")]

use std::time::Duration;

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
