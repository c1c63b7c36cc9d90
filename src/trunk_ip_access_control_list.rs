//! Trunking IP Access Control Lists: which SIP IP Access Control Lists a trunk accepts traffic
//! from (`https://trunking.twilio.com/v1/Trunks/{TrunkSid}/IpAccessControlLists`). This API only
//! associates and dissociates existing lists; they are created with the 2010 SIP API.

use reqwest::Method;

use crate::{
    Client,
    error::Result,
    generated::trunk_ip_access_control_list::types,
    pagination::{ListRequest, Page, PageCursor, list_request},
    request::{Delete, Fetch, Resource, into_future, private},
    sid::{IntoSid, IpAccessControlListSid, TrunkSid, kind},
    validate::{self, Checked},
};

/// An IP Access Control List associated with a trunk, as Twilio returns it.
pub type IpAccessControlList = types::IpAccessControlList;

/// A SIP trunk: `client.trunk(trunk_sid)`.
#[derive(Debug, Clone)]
pub struct Trunk {
    client: Client,
    trunk_sid: Checked<TrunkSid>,
}

impl Trunk {
    pub(crate) fn new(client: Client, trunk_sid: Checked<TrunkSid>) -> Self {
        Self { client, trunk_sid }
    }

    /// The IP Access Control Lists associated with this trunk.
    pub fn ip_access_control_lists(&self) -> TrunkIpAccessControlLists {
        TrunkIpAccessControlLists {
            trunk: self.clone(),
        }
    }
}

/// The IP Access Control Lists of one trunk: `client.trunk(sid).ip_access_control_lists()`.
/// There is no update: an association is created or deleted.
#[derive(Debug, Clone)]
pub struct TrunkIpAccessControlLists {
    trunk: Trunk,
}

impl TrunkIpAccessControlLists {
    /// Associates an existing IP Access Control List with the trunk.
    ///
    /// ```no_run
    /// # async fn run(client: twilio_ip_access::Client) -> twilio_ip_access::Result<()> {
    /// client
    ///     .trunk("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .ip_access_control_lists()
    ///     .create("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        ip_access_control_list_sid: impl IntoSid<kind::IpAccessControlList>,
    ) -> CreateTrunkIpAccessControlList {
        CreateTrunkIpAccessControlList {
            handle: self.clone(),
            ip_access_control_list_sid: validate::sid(
                ip_access_control_list_sid,
                "IpAccessControlListSid",
            ),
        }
    }

    /// Fetches one association.
    pub fn fetch(&self, sid: impl IntoSid<kind::IpAccessControlList>) -> Fetch<Self> {
        Fetch::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Dissociates a list from the trunk (the list itself is kept).
    pub fn delete(&self, sid: impl IntoSid<kind::IpAccessControlList>) -> Delete<Self> {
        Delete::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Lists the lists associated with the trunk.
    pub fn list(&self) -> ListRequest<Self> {
        ListRequest::new(self.clone())
    }

    fn trunk_sid(&self) -> Result<TrunkSid> {
        Ok(self.trunk.trunk_sid.clone()?)
    }
}

impl private::Sealed for TrunkIpAccessControlLists {}

impl Resource for TrunkIpAccessControlLists {
    type Item = IpAccessControlList;
    type Kind = kind::IpAccessControlList;

    async fn fetch(&self, sid: IpAccessControlListSid) -> Result<IpAccessControlList> {
        let trunk_sid = self.trunk_sid()?;
        self.trunk
            .client
            .call(Method::GET, |c| {
                c.trunk_ip_access_control_list
                    .fetch_ip_access_control_list()
                    .trunk_sid(trunk_sid.clone())
                    .sid(sid.clone())
                    .send()
            })
            .await
    }

    async fn delete(&self, sid: IpAccessControlListSid) -> Result<()> {
        let trunk_sid = self.trunk_sid()?;
        self.trunk
            .client
            .call(Method::DELETE, |c| {
                c.trunk_ip_access_control_list
                    .delete_ip_access_control_list()
                    .trunk_sid(trunk_sid.clone())
                    .sid(sid.clone())
                    .send()
            })
            .await
    }

    async fn list_page(&self, cursor: PageCursor) -> Result<Page<IpAccessControlList>> {
        let trunk_sid = self.trunk_sid()?;
        let list = self
            .trunk
            .client
            .call(Method::GET, |c| {
                list_request!(
                    c,
                    trunk_ip_access_control_list
                        .list_ip_access_control_list(trunk_sid(trunk_sid.clone())),
                    &cursor
                )
            })
            .await?;
        Page::new(
            list.ip_access_control_lists,
            list.meta.next_page_url.as_deref(),
        )
    }
}

/// Associates a list with a trunk: [`TrunkIpAccessControlLists::create`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CreateTrunkIpAccessControlList {
    handle: TrunkIpAccessControlLists,
    ip_access_control_list_sid: Checked<IpAccessControlListSid>,
}

impl CreateTrunkIpAccessControlList {
    /// Sends the request.
    pub async fn send(self) -> Result<IpAccessControlList> {
        let trunk_sid = self.handle.trunk_sid()?;
        let body = types::CreateIpAccessControlListRequest {
            ip_access_control_list_sid: self.ip_access_control_list_sid?,
        };
        self.handle
            .trunk
            .client
            .call(Method::POST, |c| {
                c.trunk_ip_access_control_list
                    .create_ip_access_control_list()
                    .trunk_sid(trunk_sid.clone())
                    .body(body.clone())
                    .send()
            })
            .await
    }
}
into_future!(CreateTrunkIpAccessControlList => IpAccessControlList);
