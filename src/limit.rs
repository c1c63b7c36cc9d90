//! One bound on the requests in flight, shared by several clients.

use std::{fmt, sync::Arc};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{Error, Result};

/// The bound an estate's clients share by default: at most 256 requests in flight in the whole
/// process.
///
/// Each account is already read `allowlist::DEFAULT_READ_CONCURRENCY` (32) requests at a time
/// of its own, because Twilio limits concurrency per account; so the global bound does not pace
/// an account against Twilio, it caps what the process holds open at once. 256 is eight accounts
/// at their full concurrency: high enough that ten accounts plan in about the time of the slowest
/// one (1.28× measured by `benches/estate.rs`, at 50 ms per request), low enough that an estate of forty accounts
/// opens at most 256 connections (well under the usual limit of 1,024 open files), not 1,280.
pub const DEFAULT_ESTATE_REQUESTS_IN_FLIGHT: usize = 256;

/// A bound on the HTTP requests in flight, shared by every client given it with
/// [`ClientBuilder::request_limit`](crate::ClientBuilder::request_limit).
///
/// Each attempt of a request holds one permit from the moment it is sent until its answer has
/// been read; a request waiting to be retried holds none while it sleeps. Clones share the same
/// permits. A client without a limit sends as many requests at once as it is asked to.
///
/// Waiting for a permit is part of a call's [`deadline`](crate::ClientBuilder::deadline), not of
/// an attempt's [`timeout`](crate::ClientBuilder::timeout).
///
/// ```
/// use twilio_ip_access::{Client, RequestLimit};
///
/// let limit = RequestLimit::new(64)?;
/// let us = Client::builder()
///     .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .auth_token("us-token")
///     .request_limit(limit.clone())
///     .build()?;
/// let ie = Client::builder()
///     .account_sid("ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
///     .auth_token("ie-token")
///     .region("ie1")
///     .edge("dublin")
///     .request_limit(limit.clone())
///     .build()?;
/// // `us` and `ie` together send at most 64 requests at once.
/// assert_eq!(format!("{limit:?}"), "RequestLimit { bound: 64, available: 64 }");
/// # let _ = (us, ie);
/// # Ok::<(), twilio_ip_access::Error>(())
/// ```
#[derive(Clone)]
pub struct RequestLimit {
    permits: Arc<Semaphore>,
    bound: usize,
}

impl RequestLimit {
    /// At most `bound` requests in flight at once, across every client given this limit.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] naming `request_limit` if `bound` is 0 (no request could ever
    /// be sent) or larger than Tokio's semaphore allows (`usize::MAX >> 3`).
    pub fn new(bound: usize) -> Result<RequestLimit> {
        if bound == 0 || bound > Semaphore::MAX_PERMITS {
            return Err(Error::InvalidArgument {
                parameter: "request_limit",
                reason: format!(
                    "the bound on requests in flight must be between 1 and {}, got {bound}",
                    Semaphore::MAX_PERMITS
                ),
            });
        }
        Ok(Self::with_bound(bound))
    }

    /// `bound` must be between 1 and `Semaphore::MAX_PERMITS`.
    fn with_bound(bound: usize) -> RequestLimit {
        RequestLimit {
            permits: Arc::new(Semaphore::new(bound)),
            bound,
        }
    }

    /// The most requests in flight at once.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// How many more requests could be sent right now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }

    /// How many requests hold a permit right now.
    pub fn in_flight(&self) -> usize {
        self.bound - self.available()
    }

    /// Waits for a permit; the attempt holds it until it is dropped.
    pub(crate) async fn acquire(&self) -> Option<SemaphorePermit<'_>> {
        // The semaphore is never closed, so this always gives a permit.
        self.permits.acquire().await.ok()
    }
}

/// [`DEFAULT_ESTATE_REQUESTS_IN_FLIGHT`] requests in flight.
impl Default for RequestLimit {
    fn default() -> Self {
        Self::with_bound(DEFAULT_ESTATE_REQUESTS_IN_FLIGHT)
    }
}

impl fmt::Debug for RequestLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestLimit")
            .field("bound", &self.bound)
            .field("available", &self.available())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_of_zero_or_beyond_the_semaphore_is_refused() {
        for bound in [0, Semaphore::MAX_PERMITS + 1] {
            let error = RequestLimit::new(bound).unwrap_err();
            assert_eq!(error.parameter(), Some("request_limit"));
            assert!(
                error.to_string().contains(&format!("got {bound}")),
                "{error}"
            );
        }
        assert_eq!(RequestLimit::new(1).unwrap().bound(), 1);
        assert_eq!(
            RequestLimit::default().bound(),
            DEFAULT_ESTATE_REQUESTS_IN_FLIGHT
        );
    }

    #[tokio::test]
    async fn clones_share_the_permits_and_debug_shows_them() {
        let limit = RequestLimit::new(2).unwrap();
        let clone = limit.clone();
        let held = clone.acquire().await.unwrap();
        assert_eq!(limit.available(), 1);
        assert_eq!(limit.in_flight(), 1);
        assert_eq!(
            format!("{limit:?}"),
            "RequestLimit { bound: 2, available: 1 }"
        );
        drop(held);
        assert_eq!(limit.available(), 2);
    }
}
