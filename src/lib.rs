// The README is the crate's front page; its examples use the emulator, so it is the crate doc
// when the `mock` feature is on (docs.rs builds with all features).
#![cfg_attr(feature = "mock", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "mock"),
    doc = "Typed client for Twilio's IP access resources. The README and the guide are the crate \
           documentation when built with `--features mock`, as on docs.rs."
)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

#[cfg(feature = "allowlist")]
#[cfg_attr(docsrs, doc(cfg(feature = "allowlist")))]
pub mod allowlist;
pub mod auth;
mod client;
pub mod error;
mod generated;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
#[doc = include_str!("../docs/guide.md")]
pub mod guide {
    #[cfg(feature = "allowlist")]
    #[cfg_attr(docsrs, doc(cfg(feature = "allowlist")))]
    #[doc = include_str!("../docs/allowlist.md")]
    pub mod allowlist {}
}
pub mod hosts;
mod limit;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod pagination;
pub mod request;
pub mod resources;
pub mod retry;
pub mod sid;
pub mod time;
mod transport;
mod validate;

pub use auth::Credentials;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ApiErrorBody, Error, ResponseBody, Result};
pub use limit::{DEFAULT_ESTATE_REQUESTS_IN_FLIGHT, RequestLimit};
pub use pagination::{ListPage, ListRequest, Page, PageCursor};
pub use resources::*;
pub use retry::RetryPolicy;
pub use transport::user_agent;
pub use validate::{IntoIpv4, MAX_ADDRESSES_PER_LIST, REDACTED_PII};

/// The reqwest this crate is built on, for [`ClientBuilder::http_client`].
pub use reqwest;

#[cfg(test)]
mod tests {
    /// The client, its builders, streams and errors cross threads and tasks, and errors work
    /// with `?` into `Box<dyn Error + Send + Sync>` and anyhow-style wrappers.
    #[test]
    fn public_types_are_send_sync_and_static() {
        fn send_sync<T: Send + Sync + 'static>() {}
        fn send<T: Send + 'static>(_: &T) {}
        send_sync::<crate::Client>();
        send_sync::<crate::ClientBuilder>();
        send_sync::<crate::Error>();
        send_sync::<crate::CreateIpRecord>();
        send_sync::<crate::FetchSipIpAddress>();
        send_sync::<crate::ListRequest<crate::TrunkIpAccessControlLists>>();
        let client = crate::Client::builder()
            .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .auth_token("t")
            .build()
            .unwrap();
        send(&client.source_ip_mappings().list().stream());
        send(
            &client
                .ip_records()
                .fetch("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .send(),
        );
        let boxed: Box<dyn std::error::Error + Send + Sync> =
            Box::new(crate::Error::Pagination { reason: "x".into() });
        assert_eq!(boxed.to_string(), "pagination stopped: x");
    }
}
