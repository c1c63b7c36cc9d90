//! Retries and timeouts: what is sent again, when, and what the caller sees when it gives up.
//! Delays are measured on tokio's paused clock (the server keeps real time on its own thread),
//! so the assertions are exact and the tests take no wall time waiting.
#![cfg(feature = "mock")]

mod support;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use support::{AC, Canned, Recorder, TOKEN};
use tokio::time::Instant;
use twilio_ip_access::{Client, Error, RetryPolicy, reqwest};

const IL: &str = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const RECORD: &str = r#"{"sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;

fn error_body(status: u16) -> String {
    let code = 20000 + u32::from(status);
    format!(
        r#"{{"code": {code}, "message": "status {status}", "more_info": "https://www.twilio.com/docs/errors/{code}", "status": {status}}}"#
    )
}

fn json(status: u16, body: &str) -> Canned {
    Canned {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.into(),
        delay: None,
    }
}

fn failing(status: u16, retry_after: Option<u64>) -> Canned {
    let mut canned = json(status, &error_body(status));
    if let Some(secs) = retry_after {
        canned.headers.push(("retry-after", secs.to_string()));
    }
    canned
}

/// No timers of the client's own (connect, request or pool idle timeouts) so that the paused
/// clock only moves for retry delays and the deadline.
fn client(server: &Recorder, policy: RetryPolicy) -> twilio_ip_access::ClientBuilder {
    Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .base_url(&server.base_url)
        .http_client(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .unwrap(),
        )
        .no_timeout()
        .retry_policy(policy)
}

fn fixed_policy() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(false)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(5))
}

#[tokio::test(start_paused = true)]
async fn rate_limited_create_is_retried_after_retry_after() {
    let server = Recorder::start_detached();
    server.push(failing(429, Some(2))).push(json(201, RECORD));
    let client = client(&server, fixed_policy()).build().unwrap();
    let started = Instant::now();
    let record = client.ip_records().create("10.0.0.1").await.unwrap();
    assert_eq!(record.sid.unwrap(), IL);
    // Retry-After: 2 wins over the 100 ms backoff.
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same create is sent again"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_max_delay_ends_the_retries() {
    let server = Recorder::start_detached();
    server.push(failing(429, Some(60))).push(json(201, RECORD));
    let client = client(&server, fixed_policy()).build().unwrap();
    let err = client.ip_records().create("10.0.0.1").await.unwrap_err();
    assert_eq!(err.code(), Some(20429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_on_get_with_exponential_delays() {
    let server = Recorder::start_detached();
    server
        .push(failing(503, None))
        .push(failing(500, None))
        .push(json(200, RECORD));
    let client = client(&server, fixed_policy()).build().unwrap();
    let started = Instant::now();
    client.ip_records().fetch(IL).await.unwrap();
    assert_eq!(started.elapsed(), Duration::from_millis(100 + 200));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn server_errors_on_create_are_not_retried() {
    let server = Recorder::start_detached();
    server.push(failing(503, None)).push(json(201, RECORD));
    let client = client(&server, fixed_policy()).build().unwrap();
    let err = client.ip_records().create("10.0.0.1").await.unwrap_err();
    assert_eq!((err.status(), err.attempts()), (Some(503), Some(1)));
    assert_eq!(
        server.requests().len(),
        1,
        "a create that may have reached Twilio is never sent twice"
    );
}

#[tokio::test(start_paused = true)]
async fn attempts_are_reported_when_all_fail_and_each_retry_is_traced() {
    let log = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || Writer(writer.clone()))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Recorder::start_detached();
    server
        .push(failing(503, None))
        .push(failing(503, None))
        .push(failing(503, None));
    let client = client(&server, fixed_policy().max_attempts(3))
        .build()
        .unwrap();
    let err = client
        .source_ip_mappings()
        .delete("IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        err.to_string(),
        "HTTP 503: Twilio error 20503: status 503 (see https://www.twilio.com/docs/errors/20503) (after 3 attempts)"
    );

    let log = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    let retries: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("retrying Twilio request"))
        .collect();
    assert_eq!(retries.len(), 2, "{log}");
    assert!(
        retries[0].contains("attempt=1")
            && retries[0].contains("status=503")
            && retries[0].contains("delay_ms=100"),
        "{log}"
    );
    assert!(
        retries[1].contains("attempt=2") && retries[1].contains("delay_ms=200"),
        "{log}"
    );
}

/// Real time: with the paused clock, the deadline's own timer would be the next one while a
/// request is in flight, and tokio would jump to it.
#[tokio::test]
async fn the_overall_deadline_stops_the_loop() {
    let server = Recorder::start_detached();
    for _ in 0..20 {
        server.push(failing(503, None));
    }
    let client = client(&server, fixed_policy().max_attempts(100))
        .deadline(Duration::from_millis(350))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.ip_records().list().send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(350) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    match err {
        Error::DeadlineExceeded { deadline, attempts } => {
            assert_eq!(deadline, Duration::from_millis(350));
            // Sent at about 0, 100 and 300 ms; the deadline falls in the 400 ms delay after.
            assert_eq!(attempts, 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 3);
}

/// Real time: a response that never comes in time. 300 ms per attempt; the server answers
/// after 1 s, so every attempt times out.
#[tokio::test]
async fn a_create_whose_response_is_lost_is_not_sent_again_but_a_fetch_is() {
    let server = Recorder::start_detached();
    let slow = |status, body: &str| Canned {
        delay: Some(Duration::from_secs(1)),
        ..json(status, body)
    };
    server.push(slow(201, RECORD));
    let client = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(300))
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(10))
                .max_attempts(3),
        )
        .build()
        .unwrap();
    let err = client.ip_records().create("10.0.0.1").await.unwrap_err();
    match &err {
        Error::Transport { source, attempts } => {
            assert!(source.is_timeout(), "{source:?}");
            assert_eq!(*attempts, 1);
        }
        other => panic!("{other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.requests().len(), 1, "the create was sent once");

    for _ in 0..3 {
        server.push(slow(200, RECORD));
    }
    let err = client.ip_records().fetch(IL).await.unwrap_err();
    assert_eq!(err.attempts(), Some(3));
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 4, "the fetch was sent three times");
}

#[tokio::test]
async fn a_create_that_could_not_connect_is_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .base_url(format!("http://{addr}"))
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_attempts(3),
        )
        .build()
        .unwrap();
    let err = client.ip_records().create("10.0.0.1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, attempts: 3 } if source.is_connect()),
        "{err:?}"
    );
}

struct Writer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
