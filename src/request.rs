//! What every generated request builder shares.
//!
//! Every builder can be `.await`ed directly or sent with `.send().await`; arguments are checked
//! when it is sent, before anything leaves the process. The builders themselves are generated
//! from `spec/` (see [`crate::resources`]).

use std::{future::Future, pin::Pin};

/// A boxed, sendable future: what `.await` on a builder runs.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

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
