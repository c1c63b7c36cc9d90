//! SIP IP Addresses: the addresses an IP Access Control List lets in
//! (`https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json`).
//! A list holds at most 100 addresses.

use std::net::Ipv4Addr;

use reqwest::Method;

use crate::{
    Client,
    error::Result,
    generated::sip_ip_address::types,
    pagination::{ListRequest, Page, PageCursor, list_request},
    request::{Delete, Fetch, Resource, into_future, private},
    sid::{AccountSid, IntoSid, IpAccessControlListSid, IpAddressSid, kind},
    validate::{self, Checked, IntoIpv4, Pii},
};

/// A SIP IP Address, as Twilio returns it. `ip_address` is PII: this crate never logs it.
pub type IpAddress = types::SipIpAddress;

/// A SIP IP Access Control List: `client.sip_ip_access_control_list(acl_sid)`.
#[derive(Debug, Clone)]
pub struct SipIpAccessControlList {
    client: Client,
    account_sid: Checked<AccountSid>,
    acl_sid: Checked<IpAccessControlListSid>,
}

impl SipIpAccessControlList {
    pub(crate) fn new(
        client: Client,
        account_sid: AccountSid,
        acl_sid: Checked<IpAccessControlListSid>,
    ) -> Self {
        Self {
            client,
            account_sid: Ok(account_sid),
            acl_sid,
        }
    }

    /// Acts on a subaccount's list instead of the configured account's (`{AccountSid}` in the path).
    pub fn account(mut self, account_sid: impl IntoSid<kind::Account>) -> Self {
        self.account_sid = validate::sid(account_sid, "AccountSid");
        self
    }

    /// The IP addresses of this list.
    pub fn ip_addresses(&self) -> SipIpAddresses {
        SipIpAddresses { list: self.clone() }
    }
}

/// The IP addresses of one SIP IP Access Control List:
/// `client.sip_ip_access_control_list(acl_sid).ip_addresses()`.
#[derive(Debug, Clone)]
pub struct SipIpAddresses {
    list: SipIpAccessControlList,
}

impl SipIpAddresses {
    /// Adds an address to the list (at most 100 per list).
    ///
    /// ```no_run
    /// # async fn run(client: twilio_ip_access::Client) -> twilio_ip_access::Result<()> {
    /// let address = client
    ///     .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .ip_addresses()
    ///     .create("office", "203.0.113.0")
    ///     .cidr_prefix_length(24)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        friendly_name: impl Into<String>,
        ip_address: impl IntoIpv4,
    ) -> CreateSipIpAddress {
        CreateSipIpAddress {
            handle: self.clone(),
            friendly_name: validate::friendly_name(friendly_name.into()),
            ip_address: validate::ip_address(ip_address),
            cidr_prefix_length: None,
        }
    }

    /// Fetches an address.
    pub fn fetch(&self, sid: impl IntoSid<kind::IpAddress>) -> Fetch<Self> {
        Fetch::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Updates an address; every field is optional.
    pub fn update(&self, sid: impl IntoSid<kind::IpAddress>) -> UpdateSipIpAddress {
        UpdateSipIpAddress {
            handle: self.clone(),
            sid: validate::sid(sid, "Sid"),
            friendly_name: None,
            ip_address: None,
            cidr_prefix_length: None,
        }
    }

    /// Removes an address from the list.
    pub fn delete(&self, sid: impl IntoSid<kind::IpAddress>) -> Delete<Self> {
        Delete::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Lists the addresses of the list.
    pub fn list(&self) -> ListRequest<Self> {
        ListRequest::new(self.clone())
    }

    fn path(&self) -> Result<(AccountSid, IpAccessControlListSid)> {
        Ok((self.list.account_sid.clone()?, self.list.acl_sid.clone()?))
    }
}

impl private::Sealed for SipIpAddresses {}

impl Resource for SipIpAddresses {
    type Item = IpAddress;
    type Kind = kind::IpAddress;

    async fn fetch(&self, sid: IpAddressSid) -> Result<IpAddress> {
        let (account, acl) = self.path()?;
        self.list
            .client
            .call(Method::GET, |c| {
                c.sip_ip_address
                    .fetch_sip_ip_address()
                    .account_sid(account.clone())
                    .ip_access_control_list_sid(acl.clone())
                    .sid(sid.clone())
                    .send()
            })
            .await
    }

    async fn delete(&self, sid: IpAddressSid) -> Result<()> {
        let (account, acl) = self.path()?;
        self.list
            .client
            .call(Method::DELETE, |c| {
                c.sip_ip_address
                    .delete_sip_ip_address()
                    .account_sid(account.clone())
                    .ip_access_control_list_sid(acl.clone())
                    .sid(sid.clone())
                    .send()
            })
            .await
    }

    async fn list_page(&self, cursor: PageCursor) -> Result<Page<IpAddress>> {
        let (account, acl) = self.path()?;
        let list = self
            .list
            .client
            .call(Method::GET, |c| {
                list_request!(
                    c,
                    sip_ip_address.list_sip_ip_address(
                        account_sid(account.clone()),
                        ip_access_control_list_sid(acl.clone())
                    ),
                    &cursor
                )
            })
            .await?;
        Page::new(list.ip_addresses, list.next_page_uri.as_deref())
    }
}

/// Adds an address: [`SipIpAddresses::create`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CreateSipIpAddress {
    handle: SipIpAddresses,
    friendly_name: Checked<String>,
    ip_address: Pii<Checked<Ipv4Addr>>,
    cidr_prefix_length: Option<Checked<u8>>,
}

impl CreateSipIpAddress {
    /// The CIDR prefix length, 0 to 32 (by default the whole address is used).
    pub fn cidr_prefix_length(mut self, length: u8) -> Self {
        self.cidr_prefix_length = Some(validate::cidr_prefix_length(length));
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<IpAddress> {
        let (account, acl) = self.handle.path()?;
        let body = types::CreateSipIpAddressRequest {
            friendly_name: self.friendly_name?,
            ip_address: self.ip_address.0?,
            cidr_prefix_length: self.cidr_prefix_length.transpose()?,
        };
        self.handle
            .list
            .client
            .call(Method::POST, |c| {
                c.sip_ip_address
                    .create_sip_ip_address()
                    .account_sid(account.clone())
                    .ip_access_control_list_sid(acl.clone())
                    .body(body.clone())
                    .send()
            })
            .await
    }
}
into_future!(CreateSipIpAddress => IpAddress);

/// Updates an address: [`SipIpAddresses::update`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct UpdateSipIpAddress {
    handle: SipIpAddresses,
    sid: Checked<IpAddressSid>,
    friendly_name: Option<Checked<String>>,
    ip_address: Option<Pii<Checked<Ipv4Addr>>>,
    cidr_prefix_length: Option<Checked<u8>>,
}

impl UpdateSipIpAddress {
    /// A new description, up to 255 characters.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(validate::friendly_name(name.into()));
        self
    }

    /// A new address (IPv4, dotted decimal).
    pub fn ip_address(mut self, address: impl IntoIpv4) -> Self {
        self.ip_address = Some(validate::ip_address(address));
        self
    }

    /// A new CIDR prefix length, 0 to 32.
    pub fn cidr_prefix_length(mut self, length: u8) -> Self {
        self.cidr_prefix_length = Some(validate::cidr_prefix_length(length));
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<IpAddress> {
        let (account, acl) = self.handle.path()?;
        let sid = self.sid?;
        let body = types::UpdateSipIpAddressRequest {
            friendly_name: self.friendly_name.transpose()?,
            ip_address: self.ip_address.map(|ip| ip.0).transpose()?,
            cidr_prefix_length: self.cidr_prefix_length.transpose()?,
        };
        self.handle
            .list
            .client
            .call(Method::POST, |c| {
                c.sip_ip_address
                    .update_sip_ip_address()
                    .account_sid(account.clone())
                    .ip_access_control_list_sid(acl.clone())
                    .sid(sid.clone())
                    .body(body.clone())
                    .send()
            })
            .await
    }
}
into_future!(UpdateSipIpAddress => IpAddress);
