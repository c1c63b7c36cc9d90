//! When a failed request is sent again.
//!
//! The default is the safe thing: a 429 is retried on every method (Twilio did not process the
//! request); a 5xx, a timeout or a dropped connection only on `GET` and `DELETE`, which can be
//! repeated without effect; a `POST` that may have reached Twilio is never sent twice, so a create
//! is never duplicated. A `POST` that failed to connect is retried: it never left the machine.
//! Delays grow exponentially with jitter (computed by [`backon`]); a `Retry-After` in seconds is
//! honoured when it fits within [`RetryPolicy::max_delay`], and ends the retries when it does not.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use reqwest::Method;

use crate::error::Error;

/// How failed requests are retried. Set it with [`crate::ClientBuilder::retry_policy`].
///
/// ```
/// use std::time::Duration;
/// use twilio_ip_access::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(250))
///     .max_delay(Duration::from_secs(10));
/// assert_eq!(policy.get_max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, 100 ms doubling to at most 3 s, with jitter (the delays of Twilio's Node
    /// library, which is the only official one that retries).
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(3),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a request may be sent in all, the first time included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay before the first retry; each later one doubles it.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest delay between two attempts. A `Retry-After` asking for more ends the retries.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether delays get random jitter (on by default, so that many clients do not retry in step).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// How many times a request may be sent in all.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn backoff(&self) -> ExponentialBackoff {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize);
        if self.jitter {
            builder.with_jitter().build()
        } else {
            builder.build()
        }
    }

    /// Whether to send again after `error` on attempt number `attempts`, and after what delay.
    pub(crate) fn decide(
        &self,
        method: &Method,
        error: &Error,
        attempts: u32,
        backoff: &mut ExponentialBackoff,
    ) -> Decision {
        if attempts >= self.max_attempts || !may_retry(method, error) {
            return Decision::GiveUp;
        }
        let Some(delay) = backoff.next() else {
            return Decision::GiveUp;
        };
        // backon multiplies in f32: round to whole milliseconds.
        let delay = Duration::from_millis(delay.as_millis() as u64).min(self.max_delay);
        match error.retry_after() {
            Some(asked) if asked > self.max_delay => Decision::GiveUp,
            Some(asked) => Decision::RetryAfter(asked.max(delay)),
            None => Decision::RetryAfter(delay),
        }
    }
}

/// What the retry loop does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    GiveUp,
    RetryAfter(Duration),
}

fn may_retry(method: &Method, error: &Error) -> bool {
    let repeatable = *method == Method::GET || *method == Method::DELETE;
    match error {
        Error::Api { .. } | Error::Http { .. } => match error.status() {
            Some(429) => true,
            Some(500..=599) => repeatable,
            _ => false,
        },
        // A connect error means the request never left: safe to send again, even a POST.
        Error::Transport { .. } => repeatable || !error.outcome_unknown(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, ApiErrorBody};

    fn api(status: u16, retry_after: Option<u64>) -> Error {
        Error::Api {
            error: Box::new(ApiError {
                status,
                body: ApiErrorBody {
                    code: 20429,
                    message: "Too Many Requests".into(),
                    more_info: None,
                    status: Some(status),
                    details: None,
                },
                retry_after: retry_after.map(Duration::from_secs),
                request_id: None,
            }),
            attempts: 1,
        }
    }

    fn fixed() -> RetryPolicy {
        RetryPolicy::default()
            .jitter(false)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(3))
    }

    #[test]
    fn retries_429_on_every_method_and_5xx_only_when_repeatable() {
        let policy = fixed();
        for (method, status, expected) in [
            (Method::POST, 429, true),
            (Method::GET, 429, true),
            (Method::POST, 503, false),
            (Method::GET, 503, true),
            (Method::DELETE, 500, true),
            (Method::GET, 404, false),
            (Method::POST, 400, false),
        ] {
            let mut backoff = policy.backoff();
            let decision = policy.decide(&method, &api(status, None), 1, &mut backoff);
            assert_eq!(decision != Decision::GiveUp, expected, "{method} {status}");
        }
    }

    #[test]
    fn delays_double_and_stop_at_max_attempts() {
        let policy = fixed().max_attempts(3);
        let mut backoff = policy.backoff();
        let error = api(503, None);
        assert_eq!(
            policy.decide(&Method::GET, &error, 1, &mut backoff),
            Decision::RetryAfter(Duration::from_millis(100))
        );
        assert_eq!(
            policy.decide(&Method::GET, &error, 2, &mut backoff),
            Decision::RetryAfter(Duration::from_millis(200))
        );
        assert_eq!(
            policy.decide(&Method::GET, &error, 3, &mut backoff),
            Decision::GiveUp
        );
    }

    #[test]
    fn honours_retry_after_within_bounds() {
        let policy = fixed();
        let mut backoff = policy.backoff();
        assert_eq!(
            policy.decide(&Method::POST, &api(429, Some(2)), 1, &mut backoff),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        let mut backoff = policy.backoff();
        assert_eq!(
            policy.decide(&Method::POST, &api(429, Some(60)), 1, &mut backoff),
            Decision::GiveUp
        );
    }

    #[test]
    fn jitter_stays_within_max_delay() {
        let policy = RetryPolicy::default()
            .max_attempts(50)
            .max_delay(Duration::from_millis(500));
        let mut backoff = policy.backoff();
        for attempt in 1..50 {
            match policy.decide(&Method::GET, &api(503, None), attempt, &mut backoff) {
                Decision::RetryAfter(d) => assert!(d <= Duration::from_millis(500), "{d:?}"),
                Decision::GiveUp => panic!("gave up at {attempt}"),
            }
        }
    }
}
