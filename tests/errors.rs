//! How responses that are not success become `Error`s.
#![cfg(feature = "mock")]

mod support;

use support::Recorder;
use twilio_ip_access::Error;

const IL: &str = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AL: &str = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const RQ: &str = "RQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A complete IpRecord with `changes` applied (`null` removes a property).
fn ip_record(changes: serde_json::Value) -> String {
    let mut record = serde_json::json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sid": IL,
        "friendly_name": "friendly_name",
        "ip_address": "10.2.3.4",
        "cidr_prefix_length": 30,
        "date_created": "2020-03-18T23:31:36Z",
        "date_updated": "2020-03-18T23:31:37Z",
        "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    });
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            record.as_object_mut().unwrap().remove(key);
        } else {
            record[key] = value.clone();
        }
    }
    record.to_string()
}

#[tokio::test]
async fn twilio_json_error_keeps_everything_twilio_said() {
    let server = Recorder::start().await;
    server.json(
        404,
        r#"{"code": 20404, "message": "The requested resource /IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa was not found",
            "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404, "details": {"hint": "check the SID"}}"#,
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some(20404));
    assert_eq!(
        err.message(),
        Some("The requested resource /IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa was not found")
    );
    assert_eq!(
        err.more_info(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert!(err.is_not_found());
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), Some(1));
    // Without a `Twilio-Request-Id` header there is no id.
    assert_eq!(err.request_id(), None);
    assert_eq!(
        err.to_string(),
        "HTTP 404: Twilio error 20404: The requested resource /IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa was not found \
         (see https://www.twilio.com/docs/errors/20404); details: {\"hint\":\"check the SID\"}"
    );
    match err {
        Error::Api { error, .. } => {
            assert_eq!(error.body.details.unwrap()["hint"], "check the SID");
            assert_eq!(error.body.status, Some(404));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rate_limit_is_retryable_and_keeps_retry_after() {
    let server = Recorder::start().await;
    server.canned(
        429,
        vec![("content-type", "application/json".into()), ("retry-after", "3".into())],
        r#"{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}"#,
    );
    let err = server
        .client()
        .ip_records()
        .create("10.0.0.1")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(20429));
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(3)));
}

#[tokio::test]
async fn non_json_4xx_keeps_its_status() {
    let server = Recorder::start().await;
    server.canned(
        403,
        vec![("content-type", "text/html".into())],
        "<html><body>Forbidden by proxy</body></html>",
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    match &err {
        Error::Http { status, body, .. } => {
            assert_eq!(*status, 403);
            assert_eq!(body, "<html><body>Forbidden by proxy</body></html>");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), None);
    // The URL that answered, so that a wrong base URL shows.
    let url = format!("{}/v1/IpRecords/{IL}", server.base_url);
    assert_eq!(err.url(), Some(url.as_str()));
    assert!(err.is_foreign_response());
    assert_eq!(
        err.to_string(),
        format!("HTTP 403 with a non-JSON body (44 bytes) from {url}")
    );
}

#[tokio::test]
async fn non_json_5xx_keeps_its_status() {
    let server = Recorder::start().await;
    server.canned(
        502,
        vec![("content-type", "text/plain".into())],
        "Bad Gateway",
    );
    let err = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 502, body, .. } if body == "Bad Gateway"),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn json_5xx_is_a_twilio_error() {
    let server = Recorder::start().await;
    server.json(
        500,
        r#"{"code": 20500, "message": "Internal Server Error", "status": 500}"#,
    );
    let err = server
        .client()
        .source_ip_mappings()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code(), err.message()),
        (Some(500), Some(20500), Some("Internal Server Error"))
    );
}

#[tokio::test]
async fn empty_4xx_body_keeps_its_status() {
    let server = Recorder::start().await;
    server.canned(401, vec![], "");
    let err = server.client().ip_records().delete(IL).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 401, .. }), "{err:?}");
}

#[tokio::test]
async fn malformed_success_body_is_a_decode_error_without_the_data() {
    let server = Recorder::start().await;
    server.json(
        200,
        &ip_record(serde_json::json!({"cidr_prefix_length": "10.9.8.7"})),
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    match &err {
        Error::Decode { status, reason, .. } => {
            assert_eq!(*status, 200);
            assert!(reason.contains("invalid type"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("10.9.8.7"), "PII in {err}");

    let server = Recorder::start().await;
    server.json(200, "not json");
    assert!(matches!(
        server.client().ip_records().fetch(IL).await,
        Err(Error::Decode { status: 200, .. })
    ));
}

#[tokio::test]
async fn undeclared_success_status_is_reported() {
    let server = Recorder::start().await;
    // Create answers 201; a 200 is not what the API documents.
    server.json(200, "{}");
    let err = server
        .client()
        .ip_records()
        .create("10.0.0.1")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode the HTTP 200 response from {}/v1/IpRecords: HTTP 200 is not a status this operation answers with",
            server.base_url
        )
    );
}

#[tokio::test]
async fn wrong_kind_of_sid_in_a_response_is_a_decode_error() {
    let server = Recorder::start().await;
    server.json(
        200,
        &ip_record(serde_json::json!({"sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})),
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { reason, .. } if reason.contains("starts with `IL`")),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_fields_are_tolerated() {
    let server = Recorder::start().await;
    server.json(
        201,
        &ip_record(serde_json::json!({"brand_new_field": {"x": [1, 2]}, "ip_address": null})),
    );
    let record = server
        .client()
        .ip_records()
        .create("10.0.0.1")
        .await
        .unwrap();
    assert_eq!(record.sid, IL);
    assert_eq!(record.ip_address, None);
    assert_eq!(record.cidr_prefix_length, Some(30));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_with_its_source() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = twilio_ip_access::Client::builder()
        .account_sid(support::AC)
        .auth_token(support::TOKEN)
        .base_url(format!("http://{addr}"))
        .retry_policy(twilio_ip_access::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.ip_records().fetch(IL).await.unwrap_err();
    match &err {
        Error::Transport { source, attempts } => {
            assert!(source.is_connect(), "{source:?}");
            assert_eq!(*attempts, 1);
        }
        other => panic!("{other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.is_retryable());
    // `Display` says why, as `Debug` does: reqwest's own message stops at "error sending request".
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "request failed: error sending request for url (http://{addr}/v1/IpRecords/{IL}): "
        )) && text.contains("Connection refused"),
        "{text}"
    );
    assert!(!err.is_foreign_response());
}

#[tokio::test]
async fn an_html_page_where_json_is_expected_names_the_url() {
    let server = Recorder::start().await;
    server.canned(
        200,
        vec![("content-type", "text/html".into())],
        "<html><body>Welcome to nginx!</body></html>",
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    let url = format!("{}/v1/IpRecords/{IL}", server.base_url);
    assert!(
        matches!(&err, Error::Decode { status: 200, url: Some(u), .. } if *u == url),
        "{err:?}"
    );
    assert!(err.is_foreign_response());
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode the HTTP 200 response from {url}: expected value at line 1 column 1"
        )
    );
}

#[tokio::test]
async fn non_json_429_keeps_retry_after_and_a_long_one_is_not_retried() {
    let server = Recorder::start().await;
    server.canned(
        429,
        vec![
            ("content-type", "text/html".into()),
            ("retry-after", "60".into()),
        ],
        "<html>slow down</html>",
    );
    // The default policy (max delay 3 s) gives up on a 60 s Retry-After.
    let client = twilio_ip_access::Client::builder()
        .account_sid(support::AC)
        .auth_token(support::TOKEN)
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let err = client.ip_records().list().send().await.unwrap_err();
    assert!(matches!(&err, Error::Http { status: 429, .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(60)));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn http_error_bodies_are_not_printed_by_debug() {
    let server = Recorder::start().await;
    server.canned(
        400,
        vec![("content-type", "text/plain".into())],
        "echo: Authorization: Basic c2VjcmV0",
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("c2VjcmV0"), "{shown}");
    match err {
        // The text is still there for whoever asks for it.
        Error::Http { body, .. } => {
            assert_eq!(body.as_str(), "echo: Authorization: Basic c2VjcmV0")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_property_twilio_always_returns_is_required() {
    let server = Recorder::start().await;
    server.json(200, &ip_record(serde_json::json!({"account_sid": null})));
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, reason, .. } if reason.contains("missing field `account_sid`")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_twilio_request_id_of_a_json_error_is_kept() {
    let server = Recorder::start().await;
    server.canned(
        404,
        vec![
            ("content-type", "application/json".into()),
            ("twilio-request-id", RQ.into()),
        ],
        r#"{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#,
    );
    let err = server
        .client()
        .sip_ip_access_control_lists()
        .fetch(AL)
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some(RQ));
    assert_eq!(err.code(), Some(20404));
    match err {
        Error::Api { error, .. } => assert_eq!(error.request_id.as_deref(), Some(RQ)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_twilio_request_id_of_a_non_json_error_is_kept() {
    let server = Recorder::start().await;
    server.canned(
        502,
        vec![
            ("content-type", "text/html".into()),
            ("Twilio-Request-Id", RQ.into()),
        ],
        "<html>Bad Gateway</html>",
    );
    let err = server
        .client()
        .sip_domain("SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_calls_ip_access_control_list_mappings()
        .delete(AL)
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some(RQ));
    match &err {
        Error::Http {
            status, request_id, ..
        } => {
            assert_eq!(*status, 502);
            assert_eq!(request_id.as_deref(), Some(RQ));
        }
        other => panic!("{other:?}"),
    }
    // A declared error status (4xx) whose body is not JSON keeps it too.
    let server = Recorder::start().await;
    server.canned(
        400,
        vec![
            ("content-type", "application/json".into()),
            ("twilio-request-id", RQ.into()),
        ],
        "not json",
    );
    let err = server
        .client()
        .trunks()
        .fetch("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Http { status: 400, .. }), "{err:?}");
    assert_eq!(err.request_id(), Some(RQ));
}

#[tokio::test]
async fn the_twilio_request_id_of_an_undecodable_success_is_kept() {
    let server = Recorder::start().await;
    server.canned(
        200,
        vec![
            ("content-type", "application/json".into()),
            ("twilio-request-id", RQ.into()),
        ],
        "not json",
    );
    let err = server.client().ip_records().fetch(IL).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, request_id: Some(id), .. } if id == RQ),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some(RQ));
}

#[tokio::test]
async fn errors_without_a_response_have_no_request_id() {
    let server = Recorder::start().await;
    let err = server.client().ip_records().fetch("IL1").await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }));
    assert_eq!(err.request_id(), None);
    assert!(server.requests().is_empty());
}
