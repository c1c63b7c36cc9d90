//! The `[byoc]` group: the account-wide kinds a file's `[byoc]` table manages together, the
//! account's IP Records ([`ip_record`](super::ip_record)) and Source IP Mappings
//! ([`source_ip_mapping`](super::source_ip_mapping)). Each is a [`ByocKind`] with its row in
//! the `byoc_kinds!` table of [`kinds`](super), which makes [`ByocState`] (their state in a
//! plan) and reads, checks and diffs every kind of the group.

use futures_util::future::BoxFuture;

use super::Change;
use crate::allowlist::{
    Result,
    desired::{Desired, DesiredError, DesiredIpRecord},
    document::ByocState,
    live::Live,
};

/// A kind of the `[byoc]` group: how it is read (all of the account's, when the desired state
/// has `[byoc]`), what a plan's starting state holds of it (its field of [`ByocState`],
/// `State`), how that is checked again before a saved plan is applied, and the diff that makes
/// it what the `[byoc]` table says.
pub(crate) trait ByocKind {
    /// Its field of [`ByocState`], in the plan document.
    type State: PartialEq;

    /// Its entries in words, in a drift message: `IP Records`.
    const WHAT: &'static str;

    /// Every one of the account (run with the reads of the other kinds).
    fn read(client: &crate::Client) -> BoxFuture<'_, crate::Result<Self::State>>;

    /// The SIDs of live resources it holds, and those they name (a saved plan's changes may
    /// name only these).
    fn sids(state: &Self::State) -> Vec<String>;

    /// How many entries it holds (the percentage guard's count for the group).
    fn entries(state: &Self::State) -> usize;

    /// The first difference between its state when a plan was made (`then`) and `now`, in
    /// words: by default, that its entries changed, and how many there were and are.
    fn difference(then: &Self::State, now: &Self::State) -> Option<String> {
        (then != now).then(|| {
            format!(
                "the {} changed ({} then, {} now)",
                Self::WHAT,
                Self::entries(then),
                Self::entries(now)
            )
        })
    }

    /// The changes that make it what `records` (the `[byoc]` table's) say, from the group's
    /// state `group`, or the error at the entry that cannot be planned.
    fn diff(
        desired: &Desired,
        records: &[DesiredIpRecord],
        group: &ByocState,
        live: &Live,
        out: &mut Vec<Change>,
    ) -> Result<()>;
}

/// The error at a `[byoc]` entry that cannot be planned.
pub(crate) fn refused_at(
    desired: &Desired,
    record: &DesiredIpRecord,
    reason: String,
) -> DesiredError {
    DesiredError::new(
        desired.file_name(),
        record.origin.as_ref(),
        None,
        Some(format!("{:?}", record.cidr())),
        reason,
    )
    .in_byoc()
}

/// Makes [`ByocState`] from a table of the group's kinds (in `kinds`), one field per kind (its
/// [`ByocKind::State`]), with the functions that go through every kind: its read, the SIDs and
/// entries it holds, the drift check and the diff.
macro_rules! byoc_kinds {
    ($( $(#[$attr:meta])* $field:ident: $state:ty => $kind:ty, )+) => {
        /// Every IP Record and Source IP Mapping of the account when the plan was made (in a plan
        /// whose desired state has `[byoc]`).
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub struct ByocState {
            $( $(#[$attr])* pub $field: $state, )+
        }

        impl ByocState {
            /// Every entry of the group's kinds in the account (their reads run together).
            pub(crate) async fn read(client: &Client) -> crate::Result<ByocState> {
                let ($($field,)+) = futures_util::try_join!($(<$kind as byoc::ByocKind>::read(client)),+)?;
                Ok(ByocState { $($field,)+ })
            }

            /// Every SID it holds, and those its entries name.
            pub(crate) fn sids(&self) -> Vec<String> {
                let mut sids = Vec::new();
                $( sids.extend(<$kind as byoc::ByocKind>::sids(&self.$field)); )+
                sids
            }

            /// How many entries it holds, of every kind: the percentage guard's count.
            pub(crate) fn entries(&self) -> usize {
                0 $( + <$kind as byoc::ByocKind>::entries(&self.$field) )+
            }

            /// The first difference between this (a plan's) and `now`, in words.
            pub(crate) fn difference(&self, now: &ByocState) -> Option<String> {
                None $( .or_else(|| <$kind as byoc::ByocKind>::difference(&self.$field, &now.$field)) )+
            }

            /// The changes that make every kind of the group what `records` say.
            pub(crate) fn diff(
                &self,
                desired: &Desired,
                records: &[DesiredIpRecord],
                live: &Live,
                out: &mut Vec<Change>,
            ) -> crate::allowlist::Result<()> {
                $( <$kind as byoc::ByocKind>::diff(desired, records, self, live, out)?; )+
                Ok(())
            }
        }
    };
}
pub(crate) use byoc_kinds;
