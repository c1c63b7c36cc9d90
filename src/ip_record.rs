//! Voice IP Records: static IPv4 addresses that reach a BYOC Trunk's Termination SIP Domain
//! without its FQDN (`https://voice.twilio.com/v1/IpRecords`).

use std::net::Ipv4Addr;

use reqwest::Method;

use crate::{
    Client,
    error::Result,
    generated::ip_record::types,
    pagination::{ListRequest, Page, PageCursor, list_request},
    request::{Delete, Fetch, Resource, into_future, private},
    sid::{IntoSid, IpRecordSid, kind},
    validate::{self, Checked, IntoIpv4, Pii},
};

/// An IP Record, as Twilio returns it. `ip_address` is PII: this crate never logs it.
pub type IpRecord = types::IpRecord;

/// The IP Records of the account: `client.ip_records()`.
#[derive(Debug, Clone)]
pub struct IpRecords {
    client: Client,
}

impl IpRecords {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Creates an IP Record for `ip_address` (IPv4, dotted decimal).
    ///
    /// ```no_run
    /// # async fn run(client: twilio_ip_access::Client) -> twilio_ip_access::Result<()> {
    /// let record = client.ip_records().create("203.0.113.10").friendly_name("sbc-1").cidr_prefix_length(32).await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, ip_address: impl IntoIpv4) -> CreateIpRecord {
        CreateIpRecord {
            handle: self.clone(),
            ip_address: validate::ip_address(ip_address),
            friendly_name: None,
            cidr_prefix_length: None,
        }
    }

    /// Fetches an IP Record.
    pub fn fetch(&self, sid: impl IntoSid<kind::IpRecord>) -> Fetch<Self> {
        Fetch::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Updates an IP Record's friendly name.
    pub fn update(&self, sid: impl IntoSid<kind::IpRecord>) -> UpdateIpRecord {
        UpdateIpRecord {
            handle: self.clone(),
            sid: validate::sid(sid, "Sid"),
            friendly_name: None,
        }
    }

    /// Deletes an IP Record.
    pub fn delete(&self, sid: impl IntoSid<kind::IpRecord>) -> Delete<Self> {
        Delete::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Lists IP Records.
    pub fn list(&self) -> ListRequest<Self> {
        ListRequest::new(self.clone())
    }
}

impl private::Sealed for IpRecords {}

impl Resource for IpRecords {
    type Item = IpRecord;
    type Kind = kind::IpRecord;

    async fn fetch(&self, sid: IpRecordSid) -> Result<IpRecord> {
        self.client
            .call(Method::GET, |c| {
                c.ip_record.fetch_ip_record().sid(sid.clone()).send()
            })
            .await
    }

    async fn delete(&self, sid: IpRecordSid) -> Result<()> {
        self.client
            .call(Method::DELETE, |c| {
                c.ip_record.delete_ip_record().sid(sid.clone()).send()
            })
            .await
    }

    async fn list_page(&self, cursor: PageCursor) -> Result<Page<IpRecord>> {
        let list = self
            .client
            .call(Method::GET, |c| {
                list_request!(c, ip_record.list_ip_record(), &cursor)
            })
            .await?;
        Page::new(list.ip_records, list.meta.next_page_url.as_deref())
    }
}

/// Creates an IP Record: [`IpRecords::create`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CreateIpRecord {
    handle: IpRecords,
    ip_address: Pii<Checked<Ipv4Addr>>,
    friendly_name: Option<Checked<String>>,
    cidr_prefix_length: Option<Checked<u8>>,
}

impl CreateIpRecord {
    /// A description, up to 255 characters.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(validate::friendly_name(name.into()));
        self
    }

    /// The CIDR prefix length, 0 to 32 (Twilio uses the whole address, 32, by default).
    pub fn cidr_prefix_length(mut self, length: u8) -> Self {
        self.cidr_prefix_length = Some(validate::cidr_prefix_length(length));
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<IpRecord> {
        let body = types::CreateIpRecordRequest {
            ip_address: self.ip_address.0?,
            friendly_name: self.friendly_name.transpose()?,
            cidr_prefix_length: self.cidr_prefix_length.transpose()?,
        };
        self.handle
            .client
            .call(Method::POST, |c| {
                c.ip_record.create_ip_record().body(body.clone()).send()
            })
            .await
    }
}
into_future!(CreateIpRecord => IpRecord);

/// Updates an IP Record: [`IpRecords::update`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct UpdateIpRecord {
    handle: IpRecords,
    sid: Checked<IpRecordSid>,
    friendly_name: Option<Checked<String>>,
}

impl UpdateIpRecord {
    /// A new description, up to 255 characters.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(validate::friendly_name(name.into()));
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<IpRecord> {
        let sid = self.sid?;
        let body = types::UpdateIpRecordRequest {
            friendly_name: self.friendly_name.transpose()?,
        };
        self.handle
            .client
            .call(Method::POST, |c| {
                c.ip_record
                    .update_ip_record()
                    .sid(sid.clone())
                    .body(body.clone())
                    .send()
            })
            .await
    }
}
into_future!(UpdateIpRecord => IpRecord);
