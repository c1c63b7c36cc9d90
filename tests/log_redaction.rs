//! Logs carry what an operator needs (operation, method, host, path, status, elapsed time) and
//! never a secret or an IP address (PII for Twilio).
#![cfg(feature = "mock")]

mod support;

use std::sync::{Arc, Mutex};

use support::{Recorder, TOKEN};

fn assert_clean(text: &str) {
    for secret in [TOKEN, &support::AUTHORIZATION[6..]] {
        assert!(!text.contains(secret), "secret leaked into: {text}");
    }
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_spans_carry_request_facts_but_no_secrets_or_addresses() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The only test in this binary, with a global subscriber: a thread-local one races with
    // other tests over tracing's per-callsite interest cache.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = Recorder::start().await;
    let json = |id: &str| {
        vec![
            ("content-type", "application/json".to_owned()),
            ("twilio-request-id", id.to_owned()),
        ]
    };
    server.canned(
        201,
        json("RQ00000000000000000000000000000201"),
        r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "ip_access_control_list_sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "cidr_prefix_length": 32,
            "ip_address": "198.51.100.77", "friendly_name": "edge",
            "date_created": "Mon, 20 Jul 2015 17:27:10 +0000", "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
            "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"}"#,
    );
    server.canned(
        400,
        json("RQ00000000000000000000000000000400"),
        r#"{"code": 21201, "message": "Invalid IpAddress", "status": 400}"#,
    );
    // A proxy's page that is not JSON.
    server.canned(
        502,
        vec![
            ("content-type", "text/plain".into()),
            (
                "twilio-request-id",
                "RQ00000000000000000000000000000502".into(),
            ),
        ],
        "Bad Gateway",
    );
    let addresses = server
        .client()
        .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_addresses();
    addresses.create("edge", "198.51.100.77").await.unwrap();
    let err = addresses.create("edge", "198.51.100.78").await.unwrap_err();
    assert_eq!(err.request_id(), Some("RQ00000000000000000000000000000400"));
    let err = server
        .client()
        .sip_domain("SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_calls_ip_access_control_list_mappings()
        .delete("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some("RQ00000000000000000000000000000502"));

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("twilio_request"), "{log}");
    assert!(log.contains("operation=CreateSipIpAddress"), "{log}");
    assert!(log.contains("method=POST"), "{log}");
    assert!(log.contains("host=\"127.0.0.1\""), "{log}");
    assert!(log.contains(
        "path=\"/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json\""
    ), "{log}");
    assert!(log.contains("status=201"), "{log}");
    assert!(log.contains("status=400"), "{log}");
    assert!(log.contains("elapsed_ms="), "{log}");
    // Twilio's request id, on the span of the request it names (the line that closes it).
    for (status, id) in [
        (201, "RQ00000000000000000000000000000201"),
        (400, "RQ00000000000000000000000000000400"),
        (502, "RQ00000000000000000000000000000502"),
    ] {
        let closed = log
            .lines()
            .find(|l| l.contains("close") && l.contains(&format!("status={status}")))
            .unwrap_or_else(|| panic!("no span closed with status {status}: {log}"));
        assert!(closed.contains(&format!("request_id=\"{id}\"")), "{closed}");
    }
    assert!(
        log.contains("operation=DeleteAuthCallsIpAccessControlListMapping"),
        "{log}"
    );
    assert_clean(&log);
    for address in ["198.51.100.77", "198.51.100.78"] {
        assert!(
            !log.contains(address),
            "IP address leaked into the log: {log}"
        );
    }
}
