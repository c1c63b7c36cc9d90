//! Voice Source IP Mappings: which SIP Domain receives the traffic of an IP Record
//! (`https://voice.twilio.com/v1/SourceIpMappings`).

use reqwest::Method;

use crate::{
    Client,
    error::Result,
    generated::source_ip_mapping::types,
    pagination::{ListRequest, Page, PageCursor, list_request},
    request::{Delete, Fetch, Resource, into_future, private},
    sid::{IntoSid, IpRecordSid, SipDomainSid, SourceIpMappingSid, kind},
    validate::{self, Checked},
};

/// A Source IP Mapping, as Twilio returns it.
pub type SourceIpMapping = types::SourceIpMapping;

/// The Source IP Mappings of the account: `client.source_ip_mappings()`.
#[derive(Debug, Clone)]
pub struct SourceIpMappings {
    client: Client,
}

impl SourceIpMappings {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Maps an IP Record to a SIP Domain.
    ///
    /// ```no_run
    /// # async fn run(client: twilio_ip_access::Client) -> twilio_ip_access::Result<()> {
    /// let mapping = client
    ///     .source_ip_mappings()
    ///     .create("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        ip_record_sid: impl IntoSid<kind::IpRecord>,
        sip_domain_sid: impl IntoSid<kind::SipDomain>,
    ) -> CreateSourceIpMapping {
        CreateSourceIpMapping {
            handle: self.clone(),
            ip_record_sid: validate::sid(ip_record_sid, "IpRecordSid"),
            sip_domain_sid: validate::sid(sip_domain_sid, "SipDomainSid"),
        }
    }

    /// Fetches a Source IP Mapping.
    pub fn fetch(&self, sid: impl IntoSid<kind::SourceIpMapping>) -> Fetch<Self> {
        Fetch::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Points a Source IP Mapping at another SIP Domain.
    pub fn update(
        &self,
        sid: impl IntoSid<kind::SourceIpMapping>,
        sip_domain_sid: impl IntoSid<kind::SipDomain>,
    ) -> UpdateSourceIpMapping {
        UpdateSourceIpMapping {
            handle: self.clone(),
            sid: validate::sid(sid, "Sid"),
            sip_domain_sid: validate::sid(sip_domain_sid, "SipDomainSid"),
        }
    }

    /// Deletes a Source IP Mapping.
    pub fn delete(&self, sid: impl IntoSid<kind::SourceIpMapping>) -> Delete<Self> {
        Delete::new(self.clone(), validate::sid(sid, "Sid"))
    }

    /// Lists Source IP Mappings.
    pub fn list(&self) -> ListRequest<Self> {
        ListRequest::new(self.clone())
    }
}

impl private::Sealed for SourceIpMappings {}

impl Resource for SourceIpMappings {
    type Item = SourceIpMapping;
    type Kind = kind::SourceIpMapping;

    async fn fetch(&self, sid: SourceIpMappingSid) -> Result<SourceIpMapping> {
        self.client
            .call(Method::GET, |c| {
                c.source_ip_mapping
                    .fetch_source_ip_mapping()
                    .sid(sid.clone())
                    .send()
            })
            .await
    }

    async fn delete(&self, sid: SourceIpMappingSid) -> Result<()> {
        self.client
            .call(Method::DELETE, |c| {
                c.source_ip_mapping
                    .delete_source_ip_mapping()
                    .sid(sid.clone())
                    .send()
            })
            .await
    }

    async fn list_page(&self, cursor: PageCursor) -> Result<Page<SourceIpMapping>> {
        let list = self
            .client
            .call(Method::GET, |c| {
                list_request!(c, source_ip_mapping.list_source_ip_mapping(), &cursor)
            })
            .await?;
        Page::new(list.source_ip_mappings, list.meta.next_page_url.as_deref())
    }
}

/// Creates a Source IP Mapping: [`SourceIpMappings::create`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CreateSourceIpMapping {
    handle: SourceIpMappings,
    ip_record_sid: Checked<IpRecordSid>,
    sip_domain_sid: Checked<SipDomainSid>,
}

impl CreateSourceIpMapping {
    /// Sends the request.
    pub async fn send(self) -> Result<SourceIpMapping> {
        let body = types::CreateSourceIpMappingRequest {
            ip_record_sid: self.ip_record_sid?,
            sip_domain_sid: self.sip_domain_sid?,
        };
        self.handle
            .client
            .call(Method::POST, |c| {
                c.source_ip_mapping
                    .create_source_ip_mapping()
                    .body(body.clone())
                    .send()
            })
            .await
    }
}
into_future!(CreateSourceIpMapping => SourceIpMapping);

/// Updates a Source IP Mapping: [`SourceIpMappings::update`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct UpdateSourceIpMapping {
    handle: SourceIpMappings,
    sid: Checked<SourceIpMappingSid>,
    sip_domain_sid: Checked<SipDomainSid>,
}

impl UpdateSourceIpMapping {
    /// Sends the request.
    pub async fn send(self) -> Result<SourceIpMapping> {
        let sid = self.sid?;
        let body = types::UpdateSourceIpMappingRequest {
            sip_domain_sid: self.sip_domain_sid?,
        };
        self.handle
            .client
            .call(Method::POST, |c| {
                c.source_ip_mapping
                    .update_source_ip_mapping()
                    .sid(sid.clone())
                    .body(body.clone())
                    .send()
            })
            .await
    }
}
into_future!(UpdateSourceIpMapping => SourceIpMapping);
