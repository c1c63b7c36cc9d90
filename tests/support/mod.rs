//! A recording HTTP server on 127.0.0.1 for the facade tests: it answers queued responses in
//! order and keeps every request it received, so tests can assert exactly what went out.
#![allow(dead_code)]

use std::{
    collections::VecDeque,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::Response,
};
use twilio_ip_access::{Client, RetryPolicy};

pub const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const TOKEN: &str = "test-auth-token-0123";
/// `Basic base64("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:test-auth-token-0123")`.
pub const AUTHORIZATION: &str =
    "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp0ZXN0LWF1dGgtdG9rZW4tMDEyMw==";

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    /// Path and query, as received.
    pub uri: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    responses: Mutex<VecDeque<Canned>>,
}

pub struct Recorder {
    pub addr: SocketAddr,
    pub base_url: String,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.requests.lock().unwrap().push(Recorded {
        method,
        uri: uri.to_string(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let canned = shared.responses.lock().unwrap().pop_front();
    let canned = canned.unwrap_or(Canned {
        status: 599,
        headers: vec![],
        body: "no canned response left".into(),
    });
    let mut response = Response::builder().status(StatusCode::from_u16(canned.status).unwrap());
    for (name, value) in canned.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(canned.body)).unwrap()
}

impl Recorder {
    /// Serves on the caller's runtime.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (recorder, serve) = Self::serve(listener);
        tokio::spawn(serve);
        recorder
    }

    fn serve(
        listener: tokio::net::TcpListener,
    ) -> (Self, impl std::future::Future<Output = ()> + Send) {
        let shared = Arc::new(Shared::default());
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serve = async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        };
        let recorder = Self {
            addr,
            base_url: format!("http://{addr}"),
            shared,
            stop: Some(stop),
        };
        (recorder, serve)
    }

    /// Queues a JSON response.
    pub fn json(&self, status: u16, body: &str) -> &Self {
        self.canned(
            status,
            vec![("content-type", "application/json".into())],
            body,
        )
    }

    pub fn canned(&self, status: u16, headers: Vec<(&'static str, String)>, body: &str) -> &Self {
        self.push(Canned {
            status,
            headers,
            body: body.into(),
        })
    }

    pub fn push(&self, canned: Canned) -> &Self {
        self.shared.responses.lock().unwrap().push_back(canned);
        self
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The only request received.
    pub fn single(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }

    /// A client pointed at this server for all three products, without retries.
    pub fn client(&self) -> Client {
        Client::builder()
            .account_sid(AC)
            .auth_token(TOKEN)
            .base_url(&self.base_url)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    }
}

/// Asserts the headers every request carries.
pub fn assert_common_headers(request: &Recorded) {
    assert_eq!(request.header("authorization"), Some(AUTHORIZATION));
    // progenitor's `api-version` header is not Twilio's and is removed.
    assert_eq!(request.header("api-version"), None);
    let ua = request.header("user-agent").unwrap();
    let expected_prefix = format!(
        "twilio-ip-access/{} ({} {}) rust/",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert!(ua.starts_with(&expected_prefix), "user agent {ua}");
    assert!(
        ua[expected_prefix.len()..]
            .chars()
            .next()
            .unwrap()
            .is_ascii_digit(),
        "user agent {ua}"
    );
}

/// Asserts a form POST.
pub fn assert_form(request: &Recorded, uri: &str, body: &str) {
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.uri, uri);
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.body, body);
    let length = body.len().to_string();
    assert_eq!(request.header("content-length"), Some(length.as_str()));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_common_headers(request);
}

/// Asserts a POST whose form has no field set: no body, and `Content-Length: 0` says so.
pub fn assert_empty_post(request: &Recorded, uri: &str) {
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.uri, uri);
    assert_eq!(request.body, "");
    assert_eq!(request.header("content-length"), Some("0"));
    assert_eq!(request.header("transfer-encoding"), None);
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_common_headers(request);
}

/// Asserts a bodiless request: JSON is asked for, except on DELETE (204, no body), which
/// carries the HTTP client's default `*/*`, as in Twilio's own libraries.
pub fn assert_bodiless(request: &Recorded, method: Method, uri: &str) {
    assert_eq!(request.method, method);
    assert_eq!(request.uri, uri);
    assert_eq!(request.body, "");
    assert_eq!(request.header("content-type"), None);
    assert_eq!(request.header("content-length"), None);
    let accept = if method == Method::DELETE {
        "*/*"
    } else {
        "application/json"
    };
    assert_eq!(request.header("accept"), Some(accept));
    assert_common_headers(request);
}
