//! What every request goes through, whichever resource it is for.
//!
//! The generated clients call [`ClientHooks`](progenitor_client::ClientHooks) around each
//! request; the impls here add the Basic `Authorization` header (marked sensitive) and the
//! `User-Agent`, set the per-attempt timeout, and open a `tracing` span with the method, host,
//! path, status, elapsed time and Twilio's request id. The retry loop and the mapping of
//! progenitor's errors to [`Error`] live in [`execute`], which every generated builder calls
//! with the generated client it made for the call and a closure that sends one attempt through
//! it.
//!
//! progenitor's error drops what the retry loop needs: the method (a connection error carries
//! none), and the status, `Retry-After` and request id when a body fails to decode. So the
//! generated clients' inner value is an [`Attempt`]: the hooks write what they saw of the request
//! and response into the client's own `Attempt`, and the loop reads it back from the client it
//! handed the closure, after each attempt. The retry decision uses the method of the request the
//! closure actually built, as the hooks saw it, so no call site can claim a POST is a GET.

use std::{
    fmt,
    future::Future,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use progenitor_client::{ClientInfo, OperationInfo, ResponseValue};
use reqwest::{Method, header::HeaderValue};
use tracing::Instrument;

use crate::{
    error::{ApiError, ApiErrorBody, Error, ResponseBody, Result},
    limit::RequestLimit,
    retry::{Decision, RetryPolicy},
};

/// The shared state behind every generated client: credentials as a ready header, user agent,
/// timeouts, the retry policy and the bound on requests in flight it shares with other clients.
/// It is the generated clients' `inner` value.
#[derive(Clone)]
pub struct Transport(Arc<Shared>);

struct Shared {
    authorization: HeaderValue,
    user_agent: HeaderValue,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    limit: Option<RequestLimit>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("authorization", &"** redacted **")
            .field("user_agent", &self.0.user_agent)
            .field("attempt_timeout", &self.0.attempt_timeout)
            .field("deadline", &self.0.deadline)
            .field("retry", &self.0.retry)
            .field("request_limit", &self.0.limit)
            .finish()
    }
}

/// The user agent every request carries:
/// `twilio-ip-access/<version> (<os> <arch>) rust/<rustc version>`.
pub fn user_agent() -> String {
    format!(
        "twilio-ip-access/{} ({} {}) rust/{}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("TWILIO_IP_ACCESS_RUSTC_VERSION"),
    )
}

/// What the hooks saw of one attempt: the request's method, and what progenitor may drop of
/// the response (its status and `Retry-After` when a declared error code has a body that is not
/// JSON) or never reads (Twilio's request id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Seen {
    method: Option<Method>,
    /// The URL without its query, for an error about a response that is not Twilio's.
    url: Option<String>,
    status: Option<u16>,
    retry_after: Option<Duration>,
    request_id: Option<String>,
}

/// Twilio's id of a request, for support tickets.
const REQUEST_ID: &str = "twilio-request-id";

/// The inner value of every generated client: the shared transport, and what the hooks saw of
/// the attempt this client is sending. [`Binding::client`] makes a client with an empty record
/// for each call, and [`execute`] reads the record back after each attempt; attempts of one call
/// run one after the other, so the record is never shared between two requests in flight.
#[derive(Debug)]
pub struct Attempt {
    transport: Transport,
    seen: Mutex<Seen>,
}

/// progenitor derives `Clone` for its clients; a clone is a client for another call, so it
/// starts with an empty record.
impl Clone for Attempt {
    fn clone(&self) -> Self {
        Self::new(self.transport.clone())
    }
}

impl Attempt {
    fn new(transport: Transport) -> Self {
        Self {
            transport,
            seen: Mutex::new(Seen::default()),
        }
    }

    /// Takes what the hooks recorded, leaving the record empty for the next attempt.
    fn take(&self) -> Seen {
        // A hook never panics while holding the lock; if one did, its record is still usable.
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn record(&self, update: impl FnOnce(&mut Seen)) {
        update(&mut self.seen.lock().unwrap_or_else(PoisonError::into_inner));
    }

    pub(crate) fn prepare(&self, request: &mut reqwest::Request) {
        self.transport.prepare(request);
    }
}

/// Where one spec file's operations are sent: a product's base URL, the shared connection pool
/// and transport, and how progenitor's client for that file is made.
pub(crate) struct Binding<C> {
    base_url: String,
    http: reqwest::Client,
    transport: Transport,
    new: fn(&str, reqwest::Client, Attempt) -> C,
}

impl<C> fmt::Debug for Binding<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binding")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl<C: ClientInfo<Attempt>> Binding<C> {
    /// `new` is the generated client's `new_with_client`.
    pub(crate) fn new(
        base_url: &str,
        http: &reqwest::Client,
        transport: &Transport,
        new: fn(&str, reqwest::Client, Attempt) -> C,
    ) -> Self {
        Self {
            base_url: base_url.to_owned(),
            http: http.clone(),
            transport: transport.clone(),
            new,
        }
    }

    /// A generated client for one call, with its own empty [`Attempt`] record.
    pub(crate) fn client(&self) -> C {
        (self.new)(
            &self.base_url,
            self.http.clone(),
            Attempt::new(self.transport.clone()),
        )
    }
}

impl Transport {
    pub(crate) fn new(
        mut authorization: HeaderValue,
        attempt_timeout: Option<Duration>,
        deadline: Option<Duration>,
        retry: RetryPolicy,
        limit: Option<RequestLimit>,
    ) -> Self {
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&user_agent())
            .unwrap_or_else(|_| HeaderValue::from_static("twilio-ip-access"));
        Self(Arc::new(Shared {
            authorization,
            user_agent,
            attempt_timeout,
            deadline,
            retry,
            limit,
        }))
    }

    pub(crate) fn prepare(&self, request: &mut reqwest::Request) {
        let is_delete = request.method() == reqwest::Method::DELETE;
        // RFC 9110: a POST without a body says so (Twilio's own libraries send it too).
        let empty_post = request.method() == reqwest::Method::POST
            && request
                .body()
                .is_none_or(|b| b.as_bytes().is_some_and(<[u8]>::is_empty));
        let headers = request.headers_mut();
        if empty_post {
            headers.insert(
                reqwest::header::CONTENT_LENGTH,
                HeaderValue::from_static("0"),
            );
        }
        // progenitor sends the spec's `info.version` as `api-version`; Twilio has no such header.
        headers.remove("api-version");
        // Like Twilio's own libraries: a delete answers 204 with no body to accept.
        if is_delete {
            headers.remove(reqwest::header::ACCEPT);
        }
        headers.insert(reqwest::header::AUTHORIZATION, self.0.authorization.clone());
        headers.insert(reqwest::header::USER_AGENT, self.0.user_agent.clone());
        if let Some(timeout) = self.0.attempt_timeout {
            *request.timeout_mut() = Some(timeout);
        }
    }
}

impl Attempt {
    /// Sends the request, records what [`execute`] needs to know of it, and traces it.
    pub(crate) async fn exec(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        // The query is left out: page tokens are noise, and nothing else goes there.
        let span = tracing::debug_span!(
            "twilio_request",
            operation = %twilio_operation_id(info.operation_id),
            method = %request.method(),
            host = request.url().host_str().unwrap_or_default(),
            path = request.url().path(),
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let method = request.method().clone();
        let url = shown_url(request.url());
        self.record(|seen| {
            seen.method = Some(method);
            seen.url = Some(url);
        });
        let started = Instant::now();
        let result = client.execute(request).instrument(span.clone()).await;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        span.record("elapsed_ms", elapsed_ms);
        match &result {
            Ok(response) => {
                let status = response.status().as_u16();
                span.record("status", status);
                let request_id = response
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                if let Some(id) = &request_id {
                    span.record("request_id", id.as_str());
                }
                let after = retry_after(response.headers());
                self.record(|seen| {
                    seen.status = Some(status);
                    seen.retry_after = after;
                    seen.request_id = request_id;
                });
                tracing::debug!(parent: &span, status, elapsed_ms, "twilio response");
            }
            Err(error) => {
                tracing::debug!(parent: &span, elapsed_ms, error = %error, "twilio request failed");
            }
        }
        result
    }
}

/// Sends one operation: `attempt` sends it once through `client`, a generated client made for
/// this call ([`Binding::client`]). After each attempt the loop takes what `client`'s hooks
/// recorded of it; it retries what the policy allows for the method of the request `attempt`
/// built, enforces the overall deadline, and maps every failure to [`Error`]. With a
/// [`RequestLimit`], each attempt holds a permit until its answer is read, none while sleeping.
pub(crate) async fn execute<C, T, F, Fut>(client: &C, attempt: F) -> Result<T>
where
    C: ClientInfo<Attempt>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ApiErrorBody>>>,
{
    execute_with_request_id(client, attempt)
        .await
        .map(|(value, _)| value)
}

/// As [`execute`], with the `Twilio-Request-Id` of the answer that succeeded, when it had one.
pub(crate) async fn execute_with_request_id<C, T, F, Fut>(
    client: &C,
    mut attempt: F,
) -> Result<(T, Option<String>)>
where
    C: ClientInfo<Attempt>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ApiErrorBody>>>,
{
    let record = client.inner();
    let shared = &record.transport.0;
    let mut attempts = 0u32;
    let mut backoff = shared.retry.backoff();
    let started = tokio::time::Instant::now();
    let run = async {
        loop {
            let permit = match &shared.limit {
                Some(limit) => limit.acquire().await,
                None => None,
            };
            // Counted once it may leave: a deadline passing while waiting for the first permit
            // reports 0 attempts, nothing sent.
            attempts += 1;
            let result = attempt().await;
            let seen = record.take();
            let error = match result {
                Ok(value) => return Ok((value.into_inner(), seen.request_id)),
                // An error's body is read here: the attempt is still in flight.
                Err(e) => map_error(e, &seen).await,
            };
            // Another client may send while this one waits to retry.
            drop(permit);
            // No request was built (an argument progenitor refused): nothing to retry.
            let Some(method) = &seen.method else {
                return Err(error.with_attempts(attempts));
            };
            match shared.retry.decide(method, &error, attempts, &mut backoff) {
                Decision::GiveUp => return Err(error.with_attempts(attempts)),
                // Sleeping into the deadline would hide what the server said behind a
                // bare DeadlineExceeded: give up with the server's answer instead.
                Decision::RetryAfter(delay)
                    if shared
                        .deadline
                        .is_some_and(|d| started.elapsed() + delay >= d) =>
                {
                    return Err(error.with_attempts(attempts));
                }
                Decision::RetryAfter(delay) => {
                    tracing::warn!(
                        attempt = attempts,
                        status = error.status(),
                        delay_ms = delay.as_millis() as u64,
                        "retrying Twilio request"
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        }
    };
    match shared.deadline {
        None => run.await,
        Some(deadline) => match tokio::time::timeout(deadline, run).await {
            Ok(result) => result,
            Err(_) => Err(Error::DeadlineExceeded { deadline, attempts }),
        },
    }
}

/// GETs a next-page link (path and query, as the server sent them) on the base URL of a
/// generated client, through the same hooks as its own operations, and reads the answer as that
/// list operation's response type would be read.
pub(crate) async fn follow<T: serde::de::DeserializeOwned>(
    generated: &impl ClientInfo<Attempt>,
    link: &str,
    operation_id: &'static str,
) -> std::result::Result<ResponseValue<T>, progenitor_client::Error<ApiErrorBody>> {
    use progenitor_client::Error as P;
    // Cursors made by `PageCursor::from_link` hold a path; anything else is not followed.
    if !link.starts_with('/') || link.starts_with("//") {
        return Err(P::InvalidRequest(format!(
            "a next-page link must be a path, got `{link}`"
        )));
    }
    let http = generated.client();
    let mut request = http
        .get(format!("{}{link}", generated.baseurl()))
        .header(reqwest::header::ACCEPT, "application/json")
        .build()
        .map_err(|e| P::InvalidRequest(e.to_string()))?;
    generated.inner().prepare(&mut request);
    let response = generated
        .inner()
        .exec(http, request, &OperationInfo { operation_id })
        .await
        .map_err(P::CommunicationError)?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(P::UnexpectedResponse(response));
    }
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.bytes().await.map_err(P::ResponseBodyError)?;
    match serde_json::from_slice(&bytes) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(P::InvalidResponsePayload(bytes, e)),
    }
}

/// Turns progenitor's error into the crate's. `seen` is what the response that produced it
/// said, when one arrived.
async fn map_error(error: progenitor_client::Error<ApiErrorBody>, seen: &Seen) -> Error {
    use progenitor_client::Error as P;
    let request_id = seen.request_id.clone();
    match error {
        P::ErrorResponse(value) => {
            let retry_after = retry_after(value.headers());
            let status = value.status().as_u16();
            Error::Api {
                error: Box::new(ApiError {
                    status,
                    body: value.into_inner(),
                    retry_after,
                    request_id,
                }),
                attempts: 1,
            }
        }
        P::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            let url = Some(shown_url(response.url()));
            match response.bytes().await {
                Ok(bytes) => error_from_body(status, url, retry_after, request_id, &bytes),
                Err(source) => Error::Transport {
                    source,
                    attempts: 1,
                },
            }
        }
        P::InvalidResponsePayload(bytes, e) => match seen.status {
            Some(status) if status >= 400 => error_from_body(
                status,
                seen.url.clone(),
                seen.retry_after,
                request_id,
                &bytes,
            ),
            status => Error::Decode {
                status: status.unwrap_or_default(),
                url: seen.url.clone(),
                reason: redact_quoted(&e.to_string()),
                request_id,
            },
        },
        P::CommunicationError(source)
        | P::ResponseBodyError(source)
        | P::InvalidUpgrade(source) => Error::Transport {
            source,
            attempts: 1,
        },
        P::InvalidRequest(reason) => Error::InvalidArgument {
            parameter: "request",
            reason,
        },
        P::Custom(reason) => Error::Config { reason },
    }
}

/// An error status with a body: Twilio's JSON error if it parses as one, else the raw text.
fn error_from_body(
    status: u16,
    url: Option<String>,
    retry_after: Option<Duration>,
    request_id: Option<String>,
    body: &[u8],
) -> Error {
    if status < 400 {
        return Error::Decode {
            status,
            url,
            reason: format!("HTTP {status} is not a status this operation answers with"),
            request_id,
        };
    }
    match serde_json::from_slice::<ApiErrorBody>(body) {
        Ok(body) => Error::Api {
            error: Box::new(ApiError {
                status,
                body,
                retry_after,
                request_id,
            }),
            attempts: 1,
        },
        Err(_) => {
            const KEEP: usize = 4096;
            let text = ResponseBody::new(
                String::from_utf8_lossy(&body[..body.len().min(KEEP)]).into_owned(),
            );
            Error::Http {
                status,
                url,
                body: text,
                retry_after,
                request_id,
                attempts: 1,
            }
        }
    }
}

/// A URL as errors show it: without its query (page tokens, nothing else goes there).
fn shown_url(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// progenitor names operations in snake case (`create_sip_ip_address`); the span uses the
/// spec's own operationId (`CreateSipIpAddress`), Twilio's name for it.
fn twilio_operation_id(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `Retry-After` in seconds, the form Twilio and most proxies use.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// serde's messages quote the offending value, which may be an IP address (PII): keep the
/// message, drop the quoted text.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…\"");
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

/// The hooks of the generated clients, one impl per spec file (build.rs emits the invocation).
macro_rules! hooks {
    ($($module:ident),* $(,)?) => {$(
        impl progenitor_client::ClientHooks<crate::transport::Attempt> for crate::generated::$module::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> std::result::Result<(), progenitor_client::Error<E>> {
                progenitor_client::ClientInfo::inner(self).prepare(request);
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                self.inner().exec(self.client(), request, info).await
            }
        }
    )*};
}
pub(crate) use hooks;

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for a generated client: `execute` only needs its `Attempt`.
    struct Fake {
        http: reqwest::Client,
        attempt: Attempt,
    }

    impl ClientInfo<Attempt> for Fake {
        fn api_version() -> &'static str {
            "test"
        }
        fn baseurl(&self) -> &str {
            "http://127.0.0.1:9"
        }
        fn client(&self) -> &reqwest::Client {
            &self.http
        }
        fn inner(&self) -> &Attempt {
            &self.attempt
        }
    }

    #[tokio::test(start_paused = true)]
    async fn each_attempt_is_read_from_the_record_of_the_client_handed_out() {
        let retry = RetryPolicy::default()
            .max_attempts(3)
            .base_delay(Duration::from_millis(1))
            .jitter(false);
        let transport =
            Transport::new(HeaderValue::from_static("Basic x"), None, None, retry, None);
        let binding = Binding::new(
            "http://127.0.0.1:9",
            &reqwest::Client::new(),
            &transport,
            |_, http, attempt| Fake { http, attempt },
        );
        let client = binding.client();
        let mut sent = 0;
        let error = execute(&client, || {
            sent += 1;
            // What the hooks would record, then what progenitor returns when a body does not
            // decode: only the bytes, no status, no headers.
            // The second answer carries no request id (a proxy's, say).
            let (status, id, body): (u16, Option<&str>, &[u8]) = match sent {
                1 => (503, Some("RQ1"), b"<html>busy</html>"),
                _ => (200, None, b"not json"),
            };
            client.inner().record(|seen| {
                seen.method = Some(Method::GET);
                seen.status = Some(status);
                seen.request_id = id.map(str::to_owned);
            });
            let decode = serde_json::from_slice::<serde_json::Value>(body).unwrap_err();
            let result: std::result::Result<ResponseValue<()>, _> = Err(
                progenitor_client::Error::InvalidResponsePayload(body.to_vec().into(), decode),
            );
            std::future::ready(result)
        })
        .await
        .unwrap_err();
        // The 503 was retried (a GET); the second attempt's own status is reported, and no
        // request id: nothing of the first attempt is left in the record.
        assert_eq!(sent, 2);
        assert!(
            matches!(
                &error,
                Error::Decode {
                    status: 200,
                    request_id: None,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(client.inner().take(), Seen::default());
    }

    #[tokio::test]
    async fn an_attempt_that_built_no_request_is_not_retried() {
        let transport = Transport::new(
            HeaderValue::from_static("Basic x"),
            None,
            None,
            RetryPolicy::default(),
            None,
        );
        let client = Binding::new(
            "http://127.0.0.1:9",
            &reqwest::Client::new(),
            &transport,
            |_, http, attempt| Fake { http, attempt },
        )
        .client();
        let mut sent = 0;
        let error = execute(&client, || {
            sent += 1;
            let result: std::result::Result<ResponseValue<()>, _> =
                Err(progenitor_client::Error::InvalidRequest("bad".into()));
            std::future::ready(result)
        })
        .await
        .unwrap_err();
        assert_eq!(sent, 1);
        assert!(matches!(error, Error::InvalidArgument { .. }), "{error:?}");
    }

    #[test]
    fn operation_ids_are_twilio_s() {
        assert_eq!(
            twilio_operation_id("create_sip_ip_address"),
            "CreateSipIpAddress"
        );
        assert_eq!(twilio_operation_id("list_ip_record"), "ListIpRecord");
    }

    #[test]
    fn redacts_quoted_values() {
        assert_eq!(
            redact_quoted(r#"invalid type: string "10.0.0.1", expected u8 at line 1 column 9"#),
            r#"invalid type: string "…", expected u8 at line 1 column 9"#
        );
    }

    #[test]
    fn reads_retry_after_seconds() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_static(" 7 "),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_static("soon"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
