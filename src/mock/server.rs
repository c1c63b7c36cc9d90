//! The HTTP side: one axum service for the three products on one port, the gate every request
//! passes through (body limit, request log, authentication, injected faults), and the hand-over
//! to the generic engine, which routes by the resource table.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    Json, Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, header, request::Parts},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use base64::Engine;
use futures_util::StreamExt;
use tokio::sync::watch;

use super::{
    engine::{self, Call},
    errors::TwilioError,
    faults::{Faults, RecordedRequest, RequestLog, lock},
    store::Store,
};

/// The largest request body accepted; larger ones get a 413.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;
/// How much of an oversized body is read (and dropped) before answering 413, so that the client
/// has finished sending and sees the answer rather than a reset connection.
const DRAIN_LIMIT: usize = 1024 * 1024;
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// What every request handler can reach.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) store: Mutex<Store>,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
    /// How late every answer comes ([`MockConfig::latency`](super::MockConfig::latency)).
    pub(crate) latency: Duration,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn new(
        addr: SocketAddr,
        store: Store,
        latency: Duration,
        shutdown: watch::Receiver<bool>,
    ) -> Arc<Self> {
        // A server listening on every interface is reached through the loopback one.
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        Arc::new(Self {
            base_url: format!("http://{}", SocketAddr::new(ip, addr.port())),
            store: Mutex::new(store),
            faults: Faults::default(),
            log: RequestLog::default(),
            latency,
            shutdown,
        })
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }
}

/// Every request goes through [`gate`], then to [`dispatch`]: the engine answers every path,
/// a Twilio 404 for the paths of no resource and a Twilio 405 for a method the resource does not
/// declare.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(dispatch)
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

/// Hands an authenticated request to the engine and writes its answer.
async fn dispatch(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(Caller(caller)) = parts.extensions.get::<Caller>().cloned() else {
        return TwilioError::unauthorized().into_response();
    };
    // The gate has already read the body (at most 64 KiB) into memory.
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return TwilioError::bad_request("Invalid request body: it could not be read")
            .into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("invalid"));
    let call = Call {
        caller: &caller,
        base_url: &shared.base_url,
        method: &parts.method,
        path: parts.uri.path(),
        query: parts.uri.query(),
        content_type,
        body: &body,
    };
    match engine::handle(&shared.store, &call) {
        Ok(reply) => match reply.body {
            Some(body) => (reply.status, Json(body)).into_response(),
            None => reply.status.into_response(),
        },
        Err(error) => error.into_response(),
    }
}

/// The authenticated account, put in the request's extensions by [`gate`].
#[derive(Debug, Clone)]
struct Caller(String);

/// What every request goes through before its handler: the body is read (at most
/// [`BODY_LIMIT`]), the request is logged, the credentials are checked, and an injected fault
/// may answer instead of the handler.
async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let _in_flight = shared.log.enter();
    let (mut parts, body) = request.into_parts();
    let (method, path) = (parts.method.clone(), parts.uri.path().to_owned());
    let (bytes, read) = read_body(body, &parts.headers).await;
    let id = shared.log.push(record(&parts, &bytes));
    let response = match read {
        BodyRead::TooLarge => TwilioError::too_large(BODY_LIMIT).into_response(),
        BodyRead::Failed => {
            TwilioError::bad_request("Invalid request body: it could not be read in full")
                .into_response()
        }
        BodyRead::Complete => match authenticate(&shared, &parts.headers) {
            None => TwilioError::unauthorized().into_response(),
            Some(account) => {
                let (before, after) = match shared.faults.take(method.as_str(), &path) {
                    Some(fault) if fault.after_handling => (None, Some(fault)),
                    fault => (fault, None),
                };
                if let Some(delay) = before.as_ref().and_then(|f| f.delay) {
                    pause(delay, shared.shutdown.clone()).await;
                }
                match before.and_then(|f| f.error) {
                    Some(error) => error.into_response(),
                    None => {
                        parts.extensions.insert(Caller(account));
                        let response = next
                            .run(Request::from_parts(parts, Body::from(bytes)))
                            .await;
                        shared.log.set_handled(id, response.status().as_u16());
                        // A fault after handling: the write has landed; the answer is late,
                        // replaced, or never sent if the client gives up meanwhile.
                        if let Some(delay) = after.as_ref().and_then(|f| f.delay) {
                            pause(delay, shared.shutdown.clone()).await;
                        }
                        match after.and_then(|f| f.error) {
                            Some(error) => error.into_response(),
                            None => response,
                        }
                    }
                }
            }
        },
    };
    // Twilio names every answer, for support tickets: here after the request log's number.
    let mut response = response;
    if let Ok(value) = header::HeaderValue::from_str(&format!("RQ{id:032x}")) {
        response.headers_mut().insert("twilio-request-id", value);
    }
    if !shared.latency.is_zero() {
        pause(shared.latency, shared.shutdown.clone()).await;
    }
    // Method, path and status only: bodies and queries may hold IP addresses, headers secrets.
    tracing::debug!(%method, path, status = response.status().as_u16(), "twilio-mock");
    response
}

enum BodyRead {
    Complete,
    TooLarge,
    Failed,
}

/// Reads the body, keeping at most [`BODY_LIMIT`] bytes.
async fn read_body(body: Body, headers: &HeaderMap) -> (Vec<u8>, BodyRead) {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return (Vec::new(), BodyRead::TooLarge);
    }
    let mut kept = Vec::new();
    let mut total = 0usize;
    let mut stream = body.into_data_stream();
    let deadline = tokio::time::Instant::now() + BODY_TIMEOUT;
    let outcome = loop {
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(None) => break BodyRead::Complete,
            Ok(Some(Ok(chunk))) => {
                total = total.saturating_add(chunk.len());
                let room = BODY_LIMIT.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if total > DRAIN_LIMIT {
                    break BodyRead::TooLarge;
                }
            }
            Ok(Some(Err(_))) | Err(_) => break BodyRead::Failed,
        }
    };
    let too_large = total > BODY_LIMIT || declared.is_some_and(|n| n > BODY_LIMIT as u64);
    match outcome {
        BodyRead::Complete | BodyRead::Failed if too_large => (kept, BodyRead::TooLarge),
        outcome => (kept, outcome),
    }
}

fn record(parts: &Parts, body: &[u8]) -> RecordedRequest {
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if name == header::AUTHORIZATION || name == header::PROXY_AUTHORIZATION {
                String::from("** redacted **")
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: body.to_vec(),
        handled: None,
    }
}

/// The account the `Authorization: Basic …` header authenticates, if any.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    shared.store().authenticate(user, password)
}

/// Sleeps, or stops early when the emulator shuts down.
async fn pause(delay: Duration, mut shutdown: watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(delay) => {}
        _ = shutdown.wait_for(|stopped| *stopped) => {}
    }
}
