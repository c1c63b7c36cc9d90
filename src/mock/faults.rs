//! Fault injection and the request log.

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard},
    time::Duration,
};

use super::errors::TwilioError;

/// How many requests the log keeps; older ones are dropped first.
const LOG_CAPACITY: usize = 10_000;
/// How many body bytes the log keeps in all (a long-running server must not grow without
/// bound); older requests are dropped first.
const LOG_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A fault to inject: the next matching requests (by method and path prefix, after
/// authentication) are answered with an error, delayed, or both.
///
/// Without [`status`](Self::status) or [`delay`](Self::delay), a fault answers
/// `503` (Twilio code 20503, "Service unavailable"). With only a delay, the request is handled
/// normally once the delay is over. With [`after_handling`](Self::after_handling), the request is
/// handled first and the delay and status apply to its answer: the write lands, but the client
/// sees the fault. It applies to one request unless [`times`](Self::times) says otherwise.
/// Error bodies are Twilio's JSON with Twilio's code for the status:
/// 429 → 20429 "Too Many Requests", 500 → 20500, 503 → 20503, other statuses → `20000 + status`.
///
/// ```
/// use std::time::Duration;
/// use twilio_ip_access::mock::Fault;
///
/// // The next two POSTs to /v1/IpRecords get a 429 asking to come back in 2 s.
/// let throttle = Fault::on("POST", "/v1/IpRecords").status(429).times(2).retry_after(Duration::from_secs(2));
/// // The next GET of anything under /2010-04-01 waits half a second, then succeeds.
/// let slow = Fault::on("GET", "/2010-04-01").delay(Duration::from_millis(500)).times(1);
/// # let _ = (throttle, slow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    method: String,
    path_prefix: String,
    status: Option<u16>,
    retry_after: Option<Duration>,
    delay: Option<Duration>,
    times: u32,
    after_handling: bool,
}

impl Fault {
    /// A fault for requests with `method` (`"GET"`, `reqwest::Method::POST`, …; `"*"` for
    /// any method, case does not matter) whose path starts with `path_prefix` (the query is
    /// not part of the path).
    pub fn on(method: impl AsRef<str>, path_prefix: &str) -> Fault {
        Fault {
            method: method.as_ref().to_ascii_uppercase(),
            path_prefix: path_prefix.to_owned(),
            status: None,
            retry_after: None,
            delay: None,
            times: 1,
            after_handling: false,
        }
    }

    /// Answers with this HTTP status (an error status; anything else is answered as 500).
    pub fn status(mut self, status: u16) -> Fault {
        self.status = Some(status);
        self
    }

    /// Adds `Retry-After: <seconds>` (rounded up) to the error response.
    pub fn retry_after(mut self, delay: Duration) -> Fault {
        self.retry_after = Some(delay);
        self
    }

    /// Waits this long before answering. The wait ends early if the emulator shuts down.
    pub fn delay(mut self, delay: Duration) -> Fault {
        self.delay = Some(delay);
        self
    }

    /// Handles the request first, then applies the delay and the status to its answer: a write
    /// lands although the client sees an error, or, with a delay longer than the client's
    /// timeout, no answer at all (a response lost on the way back). Without it, a faulted
    /// request never reaches the handlers: a client that gives up during a delay cancels it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use twilio_ip_access::mock::Fault;
    ///
    /// // The next create of an IP record is stored, but its answer comes 5 s late.
    /// let lost = Fault::on("POST", "/v1/IpRecords").delay(Duration::from_secs(5)).after_handling();
    /// # let _ = lost;
    /// ```
    pub fn after_handling(mut self) -> Fault {
        self.after_handling = true;
        self
    }

    /// Applies to this many matching requests (default 1).
    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && (self.method == "*" || self.method == method)
            && path.starts_with(&self.path_prefix)
    }
}

/// Parses `METHOD:PATH_PREFIX:STATUS[:TIMES]`, the form `twilio-mock --fault` takes: `*` for any
/// method, a path prefix starting with `/`, an HTTP error status (400–599), and how many
/// matching requests it applies to (default 1).
///
/// ```
/// use twilio_ip_access::mock::Fault;
///
/// let fault: Fault = "POST:/v1/IpRecords:429:2".parse()?;
/// assert_eq!(fault, Fault::on("POST", "/v1/IpRecords").status(429).times(2));
/// let err = "GET:/v1:200".parse::<Fault>().unwrap_err();
/// assert_eq!(err.to_string(), "STATUS `200` is not an HTTP error status (400 to 599)");
/// # Ok::<(), twilio_ip_access::mock::FaultParseError>(())
/// ```
impl std::str::FromStr for Fault {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Fault, FaultParseError> {
        let bad = |part: &'static str, value: &str, why: &str| FaultParseError {
            message: format!("{part} `{value}` {why}"),
        };
        let parts: Vec<&str> = text.split(':').collect();
        let (method, prefix, status, times) = match parts.as_slice() {
            [method, prefix, status] => (*method, *prefix, *status, None),
            [method, prefix, status, times] => (*method, *prefix, *status, Some(*times)),
            _ => {
                return Err(FaultParseError {
                    message: format!(
                        "`{text}` is not METHOD:PATH_PREFIX:STATUS[:TIMES] ({} parts separated by `:`, expected 3 or 4)",
                        parts.len()
                    ),
                });
            }
        };
        if method != "*" && (method.is_empty() || !method.chars().all(|c| c.is_ascii_alphabetic()))
        {
            return Err(bad(
                "METHOD",
                method,
                "is not an HTTP method such as GET or `*`",
            ));
        }
        if !prefix.starts_with('/') {
            return Err(bad("PATH_PREFIX", prefix, "does not start with `/`"));
        }
        let status = match status.parse::<u16>() {
            Ok(status @ 400..=599) => status,
            _ => {
                return Err(bad(
                    "STATUS",
                    status,
                    "is not an HTTP error status (400 to 599)",
                ));
            }
        };
        let fault = Fault::on(method, prefix).status(status);
        match times {
            None => Ok(fault),
            Some(times) => match times.parse::<u32>() {
                Ok(n) if n > 0 => Ok(fault.times(n)),
                _ => Err(bad("TIMES", times, "is not a whole number of at least 1")),
            },
        }
    }
}

/// Why a text is not a fault in `METHOD:PATH_PREFIX:STATUS[:TIMES]` form; its message names the
/// part that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError {
    message: String,
}

impl std::fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FaultParseError {}

/// What a matched fault does to one request.
#[derive(Debug)]
pub(crate) struct Applied {
    pub(crate) delay: Option<Duration>,
    pub(crate) error: Option<TwilioError>,
    /// The request is handled first; the delay and error apply to its answer.
    pub(crate) after_handling: bool,
}

/// The faults waiting to apply, in the order they were injected.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<Vec<Fault>>);

impl Faults {
    pub(crate) fn push(&self, fault: Fault) {
        lock(&self.0).push(fault);
    }

    /// Consumes one use of the first fault matching the request, if any.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<Applied> {
        let mut faults = lock(&self.0);
        let index = faults.iter().position(|f| f.matches(method, path))?;
        let fault = &mut faults[index];
        fault.times -= 1;
        let status = fault.status.or(if fault.delay.is_none() {
            Some(503)
        } else {
            None
        });
        let applied = Applied {
            delay: fault.delay,
            error: status.map(|s| TwilioError::injected(s, path, fault.retry_after)),
            after_handling: fault.after_handling,
        };
        if fault.times == 0 {
            faults.remove(index);
        }
        Some(applied)
    }
}

/// A request the emulator received, as [`MockTwilio::requests`](super::MockTwilio::requests)
/// returns it. The `Authorization` header's value is replaced by `** redacted **`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> twilio_ip_access::Result<()> {
/// let mock = twilio_ip_access::mock::MockTwilio::start().await;
/// mock.client().ip_records().create("203.0.113.10").await?;
/// let request = &mock.requests()[0];
/// assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/v1/IpRecords"));
/// assert_eq!(request.body_text(), "IpAddress=203.0.113.10");
/// assert_eq!(request.header("authorization"), Some("** redacted **"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, `DELETE`, …
    pub method: String,
    /// The path, as sent (percent-encoding kept).
    pub path: String,
    /// The query string without `?`, if there was one.
    pub query: Option<String>,
    /// Every header, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body as received (at most the first 64 KiB of an oversized one).
    pub body: Vec<u8>,
    /// The status the emulator's handlers answered with, once they have: `None` while the
    /// request is in progress, when it was answered before reaching them (authentication, an
    /// unreadable body, an injected fault), or when the client gave up first. With a fault
    /// [`after_handling`](Fault::after_handling) it is the handlers' status, not the fault's
    /// the client saw: a 2xx here means the write landed.
    pub handled: Option<u16>,
}

impl RecordedRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced by `�`).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The requests received, oldest first: at most [`LOG_CAPACITY`] of them, with at most
/// [`LOG_BODY_BYTES`] of bodies.
#[derive(Debug, Default)]
pub(crate) struct RequestLog(Mutex<Log>);

#[derive(Debug, Default)]
struct Log {
    /// Each request with its number in arrival order.
    requests: VecDeque<(u64, RecordedRequest)>,
    body_bytes: usize,
    next: u64,
    /// Requests between arrival and answer right now, and the most there were at once.
    in_flight: usize,
    peak_in_flight: usize,
}

/// A request being answered, from [`RequestLog::enter`] until it is dropped (answered, or
/// abandoned by its client).
#[derive(Debug)]
pub(crate) struct InFlight<'a>(&'a RequestLog);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        lock(&self.0.0).in_flight -= 1;
    }
}

impl RequestLog {
    /// Adds a request; the number returned names it for [`set_handled`](Self::set_handled).
    pub(crate) fn push(&self, request: RecordedRequest) -> u64 {
        let mut log = lock(&self.0);
        let id = log.next;
        log.next += 1;
        log.body_bytes += request.body.len();
        log.requests.push_back((id, request));
        while log.requests.len() > LOG_CAPACITY
            || (log.body_bytes > LOG_BODY_BYTES && log.requests.len() > 1)
        {
            match log.requests.pop_front() {
                Some((_, old)) => log.body_bytes -= old.body.len(),
                None => break,
            }
        }
        id
    }

    /// Records the status the handlers answered request `id` with, if it is still kept.
    pub(crate) fn set_handled(&self, id: u64, status: u16) {
        let mut log = lock(&self.0);
        if let Some((_, request)) = log.requests.iter_mut().rev().find(|(n, _)| *n == id) {
            request.handled = Some(status);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        lock(&self.0)
            .requests
            .iter()
            .map(|(_, request)| request.clone())
            .collect()
    }

    pub(crate) fn clear(&self) {
        let mut log = lock(&self.0);
        log.requests.clear();
        log.body_bytes = 0;
        log.peak_in_flight = log.in_flight;
    }

    /// Counts a request as in flight until the guard is dropped.
    pub(crate) fn enter(&self) -> InFlight<'_> {
        let mut log = lock(&self.0);
        log.in_flight += 1;
        log.peak_in_flight = log.peak_in_flight.max(log.in_flight);
        InFlight(self)
    }

    pub(crate) fn peak_in_flight(&self) -> usize {
        lock(&self.0).peak_in_flight
    }
}

/// Locks a mutex, carrying on if another thread panicked while holding it: the data is
/// still consistent for an emulator's purposes, and a panic must not spread to every request.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_run_out() {
        let faults = Faults::default();
        faults.push(
            Fault::on("post", "/v1/IpRecords")
                .status(429)
                .times(2)
                .retry_after(Duration::from_millis(1500)),
        );
        faults.push(Fault::on("*", "/v1").delay(Duration::from_millis(1)));
        assert!(faults.take("GET", "/2010-04-01").is_none());
        for _ in 0..2 {
            let applied = faults.take("POST", "/v1/IpRecords/ILx").unwrap();
            let error = applied.error.unwrap();
            assert_eq!((error.status.as_u16(), error.code), (429, 20429));
            assert_eq!(error.retry_after, Some(Duration::from_millis(1500)));
        }
        let applied = faults.take("POST", "/v1/IpRecords").unwrap();
        assert!(applied.error.is_none() && !applied.after_handling);
        assert_eq!(applied.delay, Some(Duration::from_millis(1)));
        assert!(faults.take("POST", "/v1/IpRecords").is_none());
        faults.push(Fault::on("GET", "/"));
        assert_eq!(faults.take("GET", "/x").unwrap().error.unwrap().code, 20503);
        faults.push(Fault::on("GET", "/").times(0));
        assert!(faults.take("GET", "/x").is_none());
    }

    #[test]
    fn faults_parse_from_text() {
        let parse = |text: &str| text.parse::<Fault>();
        assert_eq!(
            parse("post:/v1/IpRecords:429:3"),
            Ok(Fault::on("POST", "/v1/IpRecords").status(429).times(3))
        );
        assert_eq!(parse("*:/:503"), Ok(Fault::on("*", "/").status(503)));
        let message = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(
            message("GET:/v1"),
            "`GET:/v1` is not METHOD:PATH_PREFIX:STATUS[:TIMES] (2 parts separated by `:`, expected 3 or 4)"
        );
        assert_eq!(
            message("G-T:/v1:500"),
            "METHOD `G-T` is not an HTTP method such as GET or `*`"
        );
        assert_eq!(
            message("GET:v1:500"),
            "PATH_PREFIX `v1` does not start with `/`"
        );
        assert_eq!(
            message("GET:/v1:abc"),
            "STATUS `abc` is not an HTTP error status (400 to 599)"
        );
        assert_eq!(
            message("GET:/v1:500:0"),
            "TIMES `0` is not a whole number of at least 1"
        );
        assert!(parse("GET:/v1:500:1:2").is_err());
    }

    #[test]
    fn the_log_is_bounded() {
        let log = RequestLog::default();
        let request = |body: usize| RecordedRequest {
            method: "POST".into(),
            path: "/".into(),
            query: None,
            headers: Vec::new(),
            body: vec![b'x'; body],
            handled: None,
        };
        for _ in 0..LOG_CAPACITY + 5 {
            log.push(request(0));
        }
        assert_eq!(log.snapshot().len(), LOG_CAPACITY);
        log.set_handled(LOG_CAPACITY as u64 + 4, 201);
        log.set_handled(0, 201); // dropped already: nothing to mark
        assert_eq!(log.snapshot().last().unwrap().handled, Some(201));
        assert!(
            log.snapshot()[..LOG_CAPACITY - 1]
                .iter()
                .all(|r| r.handled.is_none())
        );
        for _ in 0..300 {
            log.push(request(64 * 1024));
        }
        let kept = log.snapshot();
        assert!(kept.iter().map(|r| r.body.len()).sum::<usize>() <= LOG_BODY_BYTES);
        assert_eq!(
            kept.last().map(|r| r.body.len()),
            Some(64 * 1024),
            "the newest is kept"
        );
        log.clear();
        assert!(log.snapshot().is_empty());
    }
}
