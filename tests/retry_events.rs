//! Each retry is a tracing event with the attempt, status and delay, and the final error says
//! how many attempts were made.
#![cfg(feature = "mock")]

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use twilio_ip_access::{
    RetryPolicy,
    mock::{Fault, MockTwilio},
    reqwest,
};

#[tokio::test(start_paused = true)]
async fn attempts_are_reported_when_all_fail_and_each_retry_is_traced() {
    let log_buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = log_buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || Writer(writer.clone()))
        .finish();
    // The only test in this binary, with a global subscriber: a thread-local one races with
    // other tests over tracing's per-callsite interest cache.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let twilio = MockTwilio::start_blocking();
    twilio.inject(
        Fault::on("DELETE", "/v1/SourceIpMappings/")
            .status(503)
            .times(3),
    );
    // No timers but the retry delays, so the paused clock only moves for them.
    let client = twilio
        .client_builder()
        .http_client(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .unwrap(),
        )
        .no_timeout()
        .retry_policy(
            RetryPolicy::default()
                .jitter(false)
                .base_delay(Duration::from_millis(100))
                .max_attempts(3),
        )
        .build()
        .unwrap();
    let err = client
        .source_ip_mappings()
        .delete("IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(twilio.requests().len(), 3);
    assert_eq!(
        err.to_string(),
        "HTTP 503: Twilio error 20503: Service unavailable (see https://www.twilio.com/docs/errors/20503) (after 3 attempts)"
    );

    let log = String::from_utf8(log_buffer.lock().unwrap().clone()).unwrap();
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

    // A 503 on a POST is not retried: the create may have reached Twilio. The decision is made
    // from the request the builder actually sent (a 2010 create here).
    let logged = log.len();
    twilio.inject(
        Fault::on("POST", "/2010-04-01/Accounts/")
            .status(503)
            .times(3),
    );
    let err = client
        .sip_ip_access_control_lists()
        .create("office")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(twilio.requests().len(), 4);

    // A 503 on a GET of a trunking list is retried once, then succeeds.
    twilio.inject(Fault::on("GET", "/v1/Trunks").status(503).times(1));
    let page = client.trunks().list().send().await.unwrap();
    assert!(page.items().is_empty());
    assert_eq!(twilio.requests().len(), 6);

    let log = String::from_utf8(log_buffer.lock().unwrap().clone()).unwrap();
    let retries: Vec<&str> = log[logged..]
        .lines()
        .filter(|l| l.contains("retrying Twilio request"))
        .collect();
    assert_eq!(retries.len(), 1, "{log}");
    assert!(
        retries[0].contains("attempt=1")
            && retries[0].contains("status=503")
            && retries[0].contains("delay_ms=100"),
        "{log}"
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
