//! What a list is attached to, described once: a trunk (its IP access control lists) or a SIP
//! domain (its call mappings). Everything that differs between the two is in [`TargetKind`]'s
//! methods; the reads, the plan, the export and apply use them for both.

use serde::{Deserialize, Serialize};

use crate::{
    Client,
    error::Result,
    sid::{IpAccessControlListSid, SipDomainSid, TrunkSid},
};

use super::live::PAGE_SIZE;

/// Runs `$body` with `$lists` bound to the handle of the lists attached to the target `$sid`
/// of kind `$kind`: a trunk's IP access control lists, a SIP domain's call mappings. The one
/// place that names the two resources; they take and answer the same things.
macro_rules! associations {
    ($kind:expr, $client:expr, $sid:expr, |$lists:ident| $body:expr) => {
        match $kind {
            TargetKind::Trunk => {
                let $lists = $client.trunk($sid).ip_access_control_lists();
                $body
            }
            TargetKind::SipDomain => {
                let $lists = $client
                    .sip_domain($sid)
                    .auth_calls_ip_access_control_list_mappings();
                $body
            }
        }
    };
}

/// The kinds of things a list is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum TargetKind {
    /// A trunk: `client.trunk(sid).ip_access_control_lists()`.
    Trunk,
    /// A SIP domain: `client.sip_domain(sid).auth_calls_ip_access_control_list_mappings()`.
    SipDomain,
}

impl TargetKind {
    /// Both kinds, in the order the file and the plan give them.
    pub const ALL: [TargetKind; 2] = [TargetKind::Trunk, TargetKind::SipDomain];

    /// The words in a plan line: `trunk`, `sip domain`.
    pub(crate) fn shown(self) -> &'static str {
        match self {
            TargetKind::Trunk => "trunk",
            TargetKind::SipDomain => "sip domain",
        }
    }

    /// The words in an error: `trunk`, `SIP domain`.
    pub(crate) fn what(self) -> &'static str {
        match self {
            TargetKind::Trunk => "trunk",
            TargetKind::SipDomain => "SIP domain",
        }
    }

    /// Whether `client` can read and change these of the account it acts on: Twilio's Trunking
    /// API acts on the account whose credentials sign, so a subaccount reached with its
    /// parent's credentials cannot reach its trunks (SIP domains are Api 2010 paths, which
    /// name the subaccount).
    pub(crate) fn reachable(self, client: &Client) -> bool {
        match self {
            TargetKind::Trunk => !client.acts_through_parent(),
            TargetKind::SipDomain => true,
        }
    }

    /// What a file names one by besides its SID.
    pub(crate) fn named_by(self) -> &'static str {
        match self {
            TargetKind::Trunk => "FriendlyName",
            TargetKind::SipDomain => "domain name",
        }
    }

    /// The key of a list's table that names them.
    pub(crate) fn file_key(self) -> &'static str {
        match self {
            TargetKind::Trunk => "trunks",
            TargetKind::SipDomain => "sip_domains",
        }
    }

    /// Checks that `text` is a SID of this kind.
    pub(crate) fn check_sid(self, text: &str) -> std::result::Result<(), String> {
        match self {
            TargetKind::Trunk => TrunkSid::new(text).map(drop),
            TargetKind::SipDomain => SipDomainSid::new(text).map(drop),
        }
        .map_err(|e| e.to_string())
    }

    /// Whether `text` is a SID of this kind (else a file means a name).
    pub(crate) fn is_sid(self, text: &str) -> bool {
        self.check_sid(text).is_ok()
    }

    /// Every one in the account: SID and name (one request per page of 1000).
    pub(crate) async fn read_all(self, client: &Client) -> Result<Vec<(String, Option<String>)>> {
        Ok(match self {
            TargetKind::Trunk => client
                .trunks()
                .list()
                .page_size(PAGE_SIZE)
                .collect()
                .await?
                .into_iter()
                .map(|t| (t.sid.to_string(), t.friendly_name))
                .collect(),
            TargetKind::SipDomain => client
                .sip_domains()
                .list()
                .page_size(PAGE_SIZE)
                .collect()
                .await?
                .into_iter()
                .map(|d| (d.sid.to_string(), d.domain_name))
                .collect(),
        })
    }

    /// The lists one is attached to.
    pub(crate) async fn read_lists(
        self,
        client: &Client,
        sid: &str,
    ) -> Result<Vec<IpAccessControlListSid>> {
        let lists: Vec<IpAccessControlListSid> = associations!(self, client, sid, |lists| lists
            .list()
            .page_size(PAGE_SIZE)
            .collect()
            .await?
            .into_iter()
            .map(|a| a.sid)
            .collect());
        Ok(lists)
    }

    /// Attaches `list` to the one with this SID; Twilio's request id comes back.
    pub(crate) async fn attach(
        self,
        client: &Client,
        sid: &str,
        list: &IpAccessControlListSid,
    ) -> Result<Option<String>> {
        associations!(self, client, sid, |lists| {
            Ok(lists.create(list).send_with_request_id().await?.1)
        })
    }

    /// Detaches `list` from the one with this SID; Twilio's request id comes back.
    pub(crate) async fn detach(
        self,
        client: &Client,
        sid: &str,
        list: &IpAccessControlListSid,
    ) -> Result<Option<String>> {
        associations!(self, client, sid, |lists| {
            Ok(lists.delete(list).send_with_request_id().await?.1)
        })
    }
}
