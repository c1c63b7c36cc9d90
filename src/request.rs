//! Request builders shared by the four resources.
//!
//! Each resource handle implements [`Resource`]: how to fetch, delete and list one page, which is
//! all that differs between them. [`Fetch`], [`Delete`] and [`ListRequest`](crate::pagination::ListRequest)
//! are written once on top of it. Every builder can be `.await`ed directly or sent with
//! `.send().await`; arguments are checked when it is sent, before anything leaves the process.

use std::{future::Future, pin::Pin};

use crate::{
    error::Result,
    pagination::{Page, PageCursor},
    sid::{Sid, SidKind},
    validate::Checked,
};

/// A boxed, sendable future: what `.await` on a builder runs.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A resource handle: what the shared builders need to know about one of the four resources.
///
/// Implemented by [`IpRecords`](crate::IpRecords), [`SourceIpMappings`](crate::SourceIpMappings),
/// [`TrunkIpAccessControlLists`](crate::TrunkIpAccessControlLists) and
/// [`SipIpAddresses`](crate::SipIpAddresses); it cannot be implemented outside this crate.
pub trait Resource: Clone + Send + Sync + 'static + private::Sealed {
    /// The resource type a fetch returns.
    type Item: Send + 'static;
    /// The kind of the resource's own SID.
    type Kind: SidKind;

    /// Fetches one resource.
    #[doc(hidden)]
    fn fetch(&self, sid: Sid<Self::Kind>) -> impl Future<Output = Result<Self::Item>> + Send;

    /// Deletes one resource.
    #[doc(hidden)]
    fn delete(&self, sid: Sid<Self::Kind>) -> impl Future<Output = Result<()>> + Send;

    /// Fetches one page of the list.
    #[doc(hidden)]
    fn list_page(
        &self,
        cursor: PageCursor,
    ) -> impl Future<Output = Result<Page<Self::Item>>> + Send;
}

pub(crate) mod private {
    pub trait Sealed {}
}

/// Fetches one resource by SID.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct Fetch<R: Resource> {
    resource: R,
    sid: Checked<Sid<R::Kind>>,
}

impl<R: Resource> Fetch<R> {
    pub(crate) fn new(resource: R, sid: Checked<Sid<R::Kind>>) -> Self {
        Self { resource, sid }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<R::Item> {
        let sid = self.sid?;
        self.resource.fetch(sid).await
    }
}

/// Deletes one resource by SID. Twilio answers 204 with no body.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct Delete<R: Resource> {
    resource: R,
    sid: Checked<Sid<R::Kind>>,
}

impl<R: Resource> Delete<R> {
    pub(crate) fn new(resource: R, sid: Checked<Sid<R::Kind>>) -> Self {
        Self { resource, sid }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let sid = self.sid?;
        self.resource.delete(sid).await
    }
}

/// `impl IntoFuture` for a builder with an `async fn send(self) -> Result<$output>`.
macro_rules! into_future {
    ($builder:ty => $output:ty $(, $($generics:tt)*)?) => {
        impl $(<$($generics)*>)? ::std::future::IntoFuture for $builder {
            type Output = $crate::error::Result<$output>;
            type IntoFuture = $crate::request::BoxFuture<Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

into_future!(Fetch<R> => R::Item, R: Resource);
into_future!(Delete<R> => (), R: Resource);
