//! The managed kinds, each described once in a file of its own: a list ([`list`]), an address
//! in a list ([`address`]), a list's association with a trunk or mapping to a SIP domain
//! ([`attachment`]), an IP Record ([`ip_record`]) and a Source IP Mapping
//! ([`source_ip_mapping`]), the last two managed together as the `[byoc]` group ([`byoc`]).
//! A kind's file holds its changes (what each one says, how it is shown, the one request that
//! makes it), how its live entries are read, what a plan's starting state holds of it, and
//! what the diff needs to know of it ([`Reconcile`]: identity, create, update in place,
//! remove).
//!
//! This file is the registry, the one place a kind is added (like octoDNS's record types,
//! which register themselves and say what they support): a kind kept under each list
//! implements [`ListKind`] and has its row in the `list_kinds!` table (which makes
//! [`ListState`], and the reads, starting state, drift check and diff of every list go through
//! it); a kind of the `[byoc]` group implements [`ByocKind`](byoc::ByocKind) and has its row in
//! the `byoc_kinds!` table (which makes [`ByocState`] likewise); and every kind's changes have
//! their rows in the `changes!` table at the bottom, which makes the [`Step`]s, in apply order,
//! and the [`Change`] enum (the plan document's `action`s). CONTRIBUTING.md says it step by
//! step.

pub(crate) mod address;
pub(crate) mod attachment;
pub(crate) mod byoc;
pub(crate) mod ip_record;
pub(crate) mod list;
pub(crate) mod source_ip_mapping;

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    net::Ipv4Addr,
};

use futures_util::{FutureExt, TryFutureExt, future::BoxFuture};
use serde::{Deserialize, Serialize};

pub use self::{
    address::AddressState, attachment::AttachedState, ip_record::IpRecordState,
    source_ip_mapping::SourceIpMappingState,
};
use super::{
    change::{ChangeKind, Existing, Made, Target, Value},
    desired::{Desired, DesiredAddress, DesiredIpRecord},
    live::{Live, LiveList, LiveTarget},
};
use crate::{
    Client,
    sid::{IpAccessControlListSid, Sid, SidKind},
};

/// Where a change sits within its step, after its list: the address or record it acts on, and
/// the trunk or domain.
pub(crate) type Position<'a> = (Option<(Ipv4Addr, u8)>, Option<&'a Target>);

/// What one change payload is: where it belongs, how it is shown, what it names. Each kind's
/// file implements it (and an `async fn send`, the change's one request) for its changes.
pub(crate) trait Action {
    /// The list it acts on, or `None` for the account-wide kinds (`[byoc]`).
    fn list(&self) -> Option<&str> {
        None
    }

    /// Its order within its step (after the list): the address or record it acts on, and
    /// the trunk or domain.
    fn order_key(&self) -> Position<'_> {
        (None, None)
    }

    /// Its line in the plan's display, within its block.
    fn plan_line(&self) -> String;

    /// The one-line description of `Display` (with its list, if any).
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// The SIDs of live resources it names that the plan's starting state holds: what it
    /// updates or removes, and what it detaches or unmaps from (not the list it acts under,
    /// nor a trunk or domain it attaches or maps to, which the plan resolved from the account).
    fn sids(&self) -> Vec<String> {
        Vec::new()
    }

    /// The values it sends that a desired-state file's rules apply to (names, addresses): a
    /// saved plan's changes are held to them. By default, the name of its list, if any.
    fn values(&self) -> Vec<Value<'_>> {
        self.list().map(list_name).into_iter().collect()
    }

    /// What it acts on in its list that must exist before it, as the saved plan's starting
    /// state must show it.
    fn existing(&self) -> Option<Existing<'_>> {
        None
    }

    /// What it makes in its list, which must not exist before it (nor be made twice).
    fn made(&self) -> Option<Made<'_>> {
        None
    }
}

/// The [`Action::list`] and [`Action::order_key`] of a change that acts on an address or record
/// (its `ip` and `prefix` fields): in a list (its `list` field) with `in_list`, else in the
/// account.
macro_rules! entry_position {
    (in_list) => {
        fn list(&self) -> Option<&str> {
            Some(&self.list)
        }
        entry_position!();
    };
    () => {
        fn order_key(&self) -> super::Position<'_> {
            (Some((self.ip, self.prefix)), None)
        }
    };
}
use entry_position;

/// A plan line of an address or record: `  + 198.51.100.0/24    "name"`, the identity padded
/// to a column, then `rest`.
pub(crate) fn entry_line(sign: char, ip: Ipv4Addr, prefix: u8, rest: &str) -> String {
    format!("  {sign} {:<18} {rest}", format!("{ip}/{prefix}"))
}

/// The SIDs of the parents changes act under, by key: the lists of the plan (`list::key`),
/// the IP Records of the starting state, and those that earlier steps created.
#[derive(Debug, Default)]
pub(crate) struct Parents(HashMap<String, String>);

/// A resource a change created: its SID (for the report), and its key when later changes act
/// under it (lists, IP Records).
#[derive(Debug)]
pub(crate) struct Created {
    pub(crate) key: Option<String>,
    pub(crate) sid: String,
}

/// What a change's one request gave: what it created, and Twilio's `Twilio-Request-Id` for the
/// answer (for the report and the audit log).
#[derive(Debug)]
pub(crate) struct Sent {
    pub(crate) created: Option<Created>,
    pub(crate) request_id: Option<String>,
}

impl Sent {
    /// An answer that created nothing later changes or the report need.
    pub(crate) fn answered(request_id: Option<String>) -> Sent {
        Sent {
            created: None,
            request_id,
        }
    }

    /// An answer that created the resource with `sid`, remembered under `key` when later
    /// changes act under it.
    pub(crate) fn created(
        key: Option<String>,
        sid: impl ToString,
        request_id: Option<String>,
    ) -> Sent {
        Sent {
            created: Some(Created {
                key,
                sid: sid.to_string(),
            }),
            request_id,
        }
    }
}

impl Parents {
    /// Remembers `sid` under `key`, for the changes of later steps that act under it.
    pub(crate) fn insert(&mut self, key: String, sid: String) {
        self.0.insert(key, sid);
    }

    /// The SID of the parent `key`, typed; `what` names it when it was not created.
    pub(crate) fn get<K: SidKind>(&self, key: &str, what: &str) -> crate::Result<Sid<K>> {
        let text = self
            .0
            .get(key)
            .ok_or_else(|| crate::Error::InvalidArgument {
                parameter: K::NAME,
                reason: format!("{what} was not created"),
            })?;
        typed(text)
    }
}

/// A list's name as a value a saved plan's change is held to the file's rules for.
pub(crate) fn list_name(list: &str) -> Value<'_> {
    Value::Name {
        what: "list name",
        name: list,
    }
}

/// A SID of a plan or a read, typed for its request (a plan document's SIDs are checked when
/// it is read, so this fails only for a plan built wrongly in code).
pub(crate) fn typed<K: SidKind>(text: &str) -> crate::Result<Sid<K>> {
    Sid::<K>::new(text).map_err(|e| crate::Error::InvalidArgument {
        parameter: K::NAME,
        reason: e.to_string(),
    })
}

/// One kind's entries under one parent, as the diff sees them: what identifies an entry, and
/// the change that creates, updates in place or removes one. [`reconcile`] is the diff, for
/// every kind.
pub(crate) trait Reconcile {
    /// An entry as desired.
    type Want;
    /// An entry as it is live.
    type Have;
    /// The identity both share.
    type Key: Ord;

    /// A desired entry's identity.
    fn want_key(&self, want: &Self::Want) -> Self::Key;
    /// A live entry's identity.
    fn have_key(&self, have: &Self::Have) -> Self::Key;
    /// The change that creates `want`.
    fn create(&self, want: &Self::Want) -> Change;
    /// The in-place update that makes `have` (of the same identity) as `want`, if it differs.
    fn update(&self, have: &Self::Have, want: &Self::Want) -> Option<Change>;
    /// The change that removes `have`.
    fn remove(&self, have: &Self::Have) -> Change;
}

/// The changes that make the live entries `have` exactly the desired `want` (whose identities
/// are distinct): a missing one is created, one that differs is updated in place, and of
/// several live entries of one identity the one already as wanted (else the first) is kept and
/// the others removed, as is every live entry no desired one has the identity of.
pub(crate) fn reconcile<R: Reconcile>(
    kind: &R,
    want: &[R::Want],
    have: &[R::Have],
    out: &mut Vec<Change>,
) {
    let mut by_key: BTreeMap<R::Key, Vec<&R::Have>> = BTreeMap::new();
    for h in have {
        by_key.entry(kind.have_key(h)).or_default().push(h);
    }
    for w in want {
        let Some(group) = by_key.remove(&kind.want_key(w)) else {
            out.push(kind.create(w));
            continue;
        };
        let keep = group
            .iter()
            .position(|h| kind.update(h, w).is_none())
            .unwrap_or(0);
        for (i, h) in group.into_iter().enumerate() {
            if i != keep {
                out.push(kind.remove(h));
            } else if let Some(update) = kind.update(h, w) {
                out.push(update);
            }
        }
    }
    for h in by_key.into_values().flatten() {
        out.push(kind.remove(h));
    }
}

/// What one Twilio list should be, as the diff gives it to each [`ListKind`]: the addresses
/// it should hold (a part of a split list holds some of its list's), and the trunks and SIP
/// domains it should be attached to, resolved in the account.
pub(crate) struct ListWant<'a> {
    pub(crate) addresses: &'a [DesiredAddress],
    pub(crate) targets: &'a [Target],
}

/// One read of a [`ListKind`]: what it found, by list.
pub(crate) type ListRead<'a, S> = BoxFuture<'a, crate::Result<Vec<(IpAccessControlListSid, S)>>>;

/// A kind kept under each list (its addresses, its attachments): how it is read, what a list's
/// starting state holds of it (its field of [`ListState`], `State`), how that state is checked
/// again before a saved plan is applied, and the diff that makes it as desired. Its row in the
/// `list_kinds!` table below makes every list go through it.
pub(crate) trait ListKind {
    /// Its field of [`ListState`], in the plan document.
    type State: Default;

    /// Its reads, once the account's lists and trunks and SIP domains are read: `lists` are
    /// the lists whose entries are wanted. Each answers with what it found, by list; they run
    /// [`ReadOptions::concurrency`](super::ReadOptions::concurrency) at a time, with the reads
    /// of the other kinds.
    fn reads<'a>(
        client: &'a Client,
        lists: &[&'a LiveList],
        targets: &'a [LiveTarget],
    ) -> Vec<ListRead<'a, Self::State>>;

    /// Adds what one read found of a list to what the others found.
    fn merge(state: &mut Self::State, found: Self::State);

    /// Puts a list's state in the document's order, once every read is in.
    fn settle(state: &mut Self::State);

    /// The SIDs of live resources it holds (a saved plan's changes may name only these).
    fn sids(state: &Self::State) -> Vec<String>;

    /// How many entries of the list it holds (the percentage guard's count).
    fn entries(state: &Self::State) -> usize;

    /// The first difference between the state of list `list` when a plan was made (`then`)
    /// and `now`, in words.
    fn difference(list: &str, then: &Self::State, now: &Self::State) -> Option<String>;

    /// The changes that make list `list` (`state`) as `want` says; `None` when the list is
    /// pruned, so deleted in one request after these changes (what goes with it needs none).
    fn diff(
        list: &str,
        state: &Self::State,
        want: Option<&ListWant<'_>>,
        live: &Live,
        out: &mut Vec<Change>,
    );
}

/// Makes [`ListState`] from the table below, one field per kind kept under each list (the
/// field's type is the kind's [`ListKind::State`]), and the functions that go through every
/// kind: its reads, merging what they found, the SIDs and entries it holds, the drift check and
/// the diff.
macro_rules! list_kinds {
    ($( $(#[$attr:meta])* $field:ident: $state:ty => $kind:ty, )+) => {
        /// A list as it was when the plan was made.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub struct ListState {
            /// The list's `FriendlyName`.
            pub name: String,
            /// Its SID, `None` when it did not exist.
            pub sid: Option<IpAccessControlListSid>,
            $( $(#[$attr])* pub $field: $state, )+
        }

        impl ListState {
            /// The reads of every kind kept under the lists: what each found, by list.
            pub(crate) fn reads<'a>(
                client: &'a Client,
                lists: &[&'a LiveList],
                targets: &'a [LiveTarget],
            ) -> Vec<ListRead<'a, ListState>> {
                let mut reads: Vec<ListRead<'a, ListState>> = Vec::new();
                $(
                    reads.extend(<$kind>::reads(client, lists, targets).into_iter().map(|read| {
                        read.map_ok(|found| {
                            found
                                .into_iter()
                                .map(|(list, $field)| (list, ListState { $field, ..ListState::default() }))
                                .collect()
                        })
                        .boxed()
                    }));
                )+
                reads
            }

            /// Adds what a read found of this list.
            pub(crate) fn merge(&mut self, found: ListState) {
                $( <$kind>::merge(&mut self.$field, found.$field); )+
            }

            /// In the document's order, once every read is in.
            pub(crate) fn settle(&mut self) {
                $( <$kind>::settle(&mut self.$field); )+
            }

            /// The SIDs of what its kinds hold (not the list's own).
            pub(crate) fn held_sids(&self) -> Vec<String> {
                let mut sids = Vec::new();
                $( sids.extend(<$kind>::sids(&self.$field)); )+
                sids
            }

            /// How many entries it holds, of every kind: the percentage guard's count.
            pub(crate) fn entries(&self) -> usize {
                0 $( + <$kind>::entries(&self.$field) )+
            }

            /// The first difference of its kinds' entries between this (a plan's) and `now`.
            pub(crate) fn held_difference(&self, now: &ListState) -> Option<String> {
                None $( .or_else(|| <$kind>::difference(&self.name, &self.$field, &now.$field)) )+
            }

            /// The changes that make every kind under it as `want` says (`None`: pruned).
            pub(crate) fn diff(&self, want: Option<&ListWant<'_>>, live: &Live, out: &mut Vec<Change>) {
                $( <$kind>::diff(&self.name, &self.$field, want, live, out); )+
            }
        }
    };
}

list_kinds! {
    /// Its addresses, in (address, prefix, SID) order.
    addresses: Vec<AddressState> => address::Addresses<'_>,
    /// The trunks and SIP domains it was attached to.
    #[serde(flatten)]
    attachments: AttachedState => attachment::Attachments<'_>,
}

byoc::byoc_kinds! {
    /// The IP Records, in (address, prefix, SID) order.
    ip_records: Vec<IpRecordState> => ip_record::IpRecords,
    /// The Source IP Mappings, in SID order.
    source_ip_mappings: Vec<SourceIpMappingState> => source_ip_mapping::SourceIpMappings,
}

/// Makes [`Step`] and [`Change`] from the table below: one row per change, in apply order,
/// with its payload type (in its kind's file), whether it adds, changes or removes, and the
/// plan document version it came in.
macro_rules! changes {
    ($( $(#[$doc:meta])* $variant:ident($payload:ty) => $kind:ident, since $since:literal, )+) => {
        /// The steps of apply, in the order they run (and the order a plan shows and saves its
        /// changes in): one per kind of change. Adding comes before changing, and both before
        /// removing, so that no desired entry is ever missing along the way: lists and IP
        /// Records are created, and addresses added, before anything is attached or mapped to
        /// them; detaching, unmapping and removing come last.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Step {
            $( $(#[$doc])* $variant, )+
        }

        impl Step {
            /// Every step, in apply order.
            pub const ALL: &'static [Step] = &[$(Step::$variant,)+];

            /// The position in apply order, from 0.
            pub fn index(self) -> usize {
                self as usize
            }

            /// The plan document's `format_version` in which this step's `action` came (a
            /// document of an older version cannot hold it).
            pub fn since(self) -> u32 {
                match self {
                    $(Step::$variant => $since,)+
                }
            }

            /// Whether a change of this step adds, changes or removes (the summary's three
            /// counts).
            pub fn kind(self) -> ChangeKind {
                match self {
                    $(Step::$variant => ChangeKind::$kind,)+
                }
            }
        }

        /// One write: exactly one request to Twilio. Serialized with its `action` (the step's
        /// name in snake case) beside its fields.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "action", rename_all = "snake_case")]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub enum Change {
            $( $(#[$doc])* $variant($payload), )+
        }

        impl Change {
            /// The step of apply it belongs to.
            pub fn step(&self) -> Step {
                match self {
                    $(Change::$variant(_) => Step::$variant,)+
                }
            }

            pub(crate) fn action(&self) -> &dyn Action {
                match self {
                    $(Change::$variant(c) => c,)+
                }
            }

            /// Sends its one request; what it created comes back, for later steps, with
            /// Twilio's request id.
            pub(crate) async fn send(
                &self,
                client: &Client,
                parents: &Parents,
            ) -> crate::Result<Sent> {
                match self {
                    $(Change::$variant(c) => c.send(client, parents).await,)+
                }
            }
        }

        $(
            impl From<$payload> for Change {
                fn from(c: $payload) -> Change {
                    Change::$variant(c)
                }
            }
        )+
    };
}

changes! {
    /// Create a list (`POST …/SIP/IpAccessControlLists.json`).
    CreateList(list::CreateList) => Add, since 1,
    /// Add an address to a list.
    AddAddress(address::AddAddress) => Add, since 1,
    /// Create an IP Record (`POST /v1/IpRecords`).
    CreateIpRecord(ip_record::CreateIpRecord) => Add, since 3,
    /// Rename an address in place (same identity, new `FriendlyName`).
    RenameAddress(address::RenameAddress) => Change, since 1,
    /// Rename an IP Record in place (same identity, new `FriendlyName`).
    RenameIpRecord(ip_record::RenameIpRecord) => Change, since 3,
    /// Map an IP Record to a SIP domain (`POST /v1/SourceIpMappings`), once the record exists.
    CreateSourceIpMapping(source_ip_mapping::CreateSourceIpMapping) => Add, since 3,
    /// Point an IP Record's Source IP Mapping at another SIP domain, in place.
    UpdateSourceIpMapping(source_ip_mapping::UpdateSourceIpMapping) => Change, since 3,
    /// Attach a list to a trunk or map it to a SIP domain's calls.
    Attach(attachment::Attach) => Add, since 1,
    /// Detach a list from a trunk or unmap it from a SIP domain's calls.
    Detach(attachment::Detach) => Remove, since 1,
    /// Remove a Source IP Mapping, before its record is removed.
    RemoveSourceIpMapping(source_ip_mapping::RemoveSourceIpMapping) => Remove, since 3,
    /// Remove an address from a list.
    RemoveAddress(address::RemoveAddress) => Remove, since 1,
    /// Remove an IP Record, once its mappings are gone.
    RemoveIpRecord(ip_record::RemoveIpRecord) => Remove, since 3,
    /// Delete a part of a split list that is left empty, once detached and emptied, or a
    /// pruned list, once detached (the only lists ever deleted).
    DeleteList(list::DeleteList) => Remove, since 2,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allowlist::{DeleteList, kinds::list::CreateList};

    /// A kind whose entries are (identity, value); the changes say which entry they act on:
    /// create and update as a `CreateList` named `+KEY=VALUE` / `~KEY=VALUE`, remove as a
    /// `DeleteList` named `-KEY=VALUE`.
    struct Pairs;

    fn named(sign: char, (key, value): &(u8, char)) -> String {
        format!("{sign}{key}={value}")
    }

    impl Reconcile for Pairs {
        type Want = (u8, char);
        type Have = (u8, char);
        type Key = u8;

        fn want_key(&self, want: &(u8, char)) -> u8 {
            want.0
        }

        fn have_key(&self, have: &(u8, char)) -> u8 {
            have.0
        }

        fn create(&self, want: &(u8, char)) -> Change {
            CreateList {
                list: named('+', want),
            }
            .into()
        }

        fn update(&self, have: &(u8, char), want: &(u8, char)) -> Option<Change> {
            (have.1 != want.1).then(|| {
                CreateList {
                    list: named('~', want),
                }
                .into()
            })
        }

        fn remove(&self, have: &(u8, char)) -> Change {
            DeleteList {
                list: named('-', have),
                pruned: None,
            }
            .into()
        }
    }

    #[test]
    fn reconcile_creates_updates_in_place_keeps_the_right_duplicate_and_removes_the_rest() {
        let want = [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')];
        // 1 is as wanted; 2 differs; 3 twice, once as wanted; 5 is not wanted; 4 is missing.
        let have = [(1, 'a'), (2, 'x'), (3, 'y'), (3, 'c'), (5, 'e')];
        let mut out = Vec::new();
        reconcile(&Pairs, &want, &have, &mut out);
        let said: Vec<&str> = out.iter().filter_map(Change::list).collect();
        assert_eq!(said, ["~2=b", "-3=y", "+4=d", "-5=e"]);
        // Nothing to do when they are equal.
        let mut out = Vec::new();
        reconcile(&Pairs, &want, &want, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_list_state_goes_through_every_kind_of_the_table() {
        use crate::sid::{IpAddressSid, SipDomainSid, TrunkSid};
        let address = |n: u8| AddressState {
            ip: Ipv4Addr::new(192, 0, 2, n),
            prefix: 32,
            sid: IpAddressSid::new(&format!("IP{n:032x}")).unwrap(),
            name: format!("a{n}"),
        };
        let trunk = TrunkSid::new(&format!("TK{:032x}", 7)).unwrap();
        let domain = SipDomainSid::new(&format!("SD{:032x}", 8)).unwrap();
        // What two reads found of one list, merged, then in the document's order (a trunk
        // listed twice is held once).
        let mut then = ListState::default();
        then.merge(ListState {
            addresses: vec![address(2)],
            attachments: AttachedState {
                trunks: vec![trunk.clone()],
                sip_domains: vec![domain.clone()],
            },
            ..ListState::default()
        });
        then.merge(ListState {
            addresses: vec![address(1)],
            attachments: AttachedState {
                trunks: vec![trunk.clone()],
                sip_domains: Vec::new(),
            },
            ..ListState::default()
        });
        then.settle();
        then.name = "office".into();
        assert_eq!(then.addresses, [address(1), address(2)]);
        assert_eq!(then.attachments.trunks, std::slice::from_ref(&trunk));
        // Every kind's entries and SIDs, in the table's order.
        assert_eq!(then.entries(), 4);
        assert_eq!(
            then.held_sids(),
            [
                address(1).sid.to_string(),
                address(2).sid.to_string(),
                trunk.to_string(),
                domain.to_string()
            ]
        );
        // The drift check names the first kind that differs, in the table's order.
        let mut now = then.clone();
        assert_eq!(then.held_difference(&now), None);
        now.attachments.sip_domains.clear();
        assert_eq!(
            then.held_difference(&now).as_deref(),
            Some("the SIP domains of list \"office\" changed")
        );
        now.addresses.pop();
        assert_eq!(
            then.held_difference(&now).as_deref(),
            Some("the addresses of list \"office\" changed (0 added, 1 removed, 0 edited)")
        );
    }

    #[test]
    fn removals_run_last_records_before_mappings_and_every_step_says_its_version() {
        let kinds: Vec<ChangeKind> = Step::ALL.iter().map(|s| s.kind()).collect();
        // Every add before the first removal, and the records' and mappings' order: records
        // created before their mappings, mappings removed before their records.
        let first_remove = kinds.iter().position(|k| *k == ChangeKind::Remove).unwrap();
        assert!(
            kinds[first_remove..]
                .iter()
                .all(|k| *k == ChangeKind::Remove)
        );
        let at = |step: Step| Step::ALL.iter().position(|s| *s == step).unwrap();
        assert!(at(Step::CreateIpRecord) < at(Step::CreateSourceIpMapping));
        assert!(at(Step::RemoveSourceIpMapping) < at(Step::RemoveIpRecord));
        assert!(at(Step::CreateList) < at(Step::AddAddress));
        assert!(at(Step::AddAddress) < at(Step::Attach));
        assert_eq!(
            Step::ALL.iter().map(|s| s.index()).collect::<Vec<_>>(),
            (0..Step::ALL.len()).collect::<Vec<_>>()
        );
        assert!(
            Step::ALL
                .iter()
                .all(|s| (1..=crate::allowlist::FORMAT_VERSION).contains(&s.since()))
        );
    }
}
