//! Raw HTTP against the emulator, shared by its integration tests: send a request with the
//! emulator's credentials, read the answer, and assert Twilio's error bodies exactly.
#![cfg(feature = "mock")]

use serde_json::Value;
use twilio_ip_access::{
    Error,
    mock::MockTwilio,
    reqwest::{self, Method},
};

/// A raw HTTP answer: status, headers and JSON body (`Null` when empty).
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

/// Sends a request with the main account's credentials.
pub async fn call(mock: &MockTwilio, method: Method, path: &str, form: &[(&str, &str)]) -> Answer {
    call_as(
        mock,
        mock.account_sid().as_str(),
        mock.auth_token(),
        method,
        path,
        form,
    )
    .await
}

pub async fn call_as(
    mock: &MockTwilio,
    user: &str,
    password: &str,
    method: Method,
    path: &str,
    form: &[(&str, &str)],
) -> Answer {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", mock.base_url()))
        .basic_auth(user, Some(password));
    if !form.is_empty() {
        request = request.form(form);
    }
    receive(request).await
}

pub async fn receive(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("a JSON body")
    };
    Answer {
        status,
        headers,
        body,
        text,
    }
}

/// Asserts a Twilio error body, exactly.
#[track_caller]
pub fn assert_twilio_error(answer: &Answer, status: u16, code: u64, message: &str) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(
        answer
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(answer.body["code"].as_u64(), Some(code), "{}", answer.text);
    assert_eq!(
        answer.body["message"].as_str(),
        Some(message),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"].as_u64(), Some(u64::from(status)));
    assert_eq!(
        answer.body["more_info"].as_str(),
        Some(&*format!("https://www.twilio.com/docs/errors/{code}"))
    );
}

/// Asserts a facade error.
#[track_caller]
pub fn assert_api_error(error: &Error, status: u16, code: i64, message: &str) {
    assert_eq!(error.status(), Some(status), "{error}");
    assert_eq!(error.code(), Some(code), "{error}");
    assert_eq!(error.message(), Some(message), "{error}");
}
