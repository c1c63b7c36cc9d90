// The emulator's resource table, written by hand in the shape build.rs will generate from
// `spec/*.yaml` (`OUT_DIR/emulator_tables.rs`). `include!`d by `table.rs`, whose types are in
// scope here. Replace this file by the generated one: nothing else refers to it.

pub(crate) static RESOURCES: &[Resource] = &[
    Resource {
        module: "ip_record",
        class: "IpRecord",
        api: Api::V1,
        list_path: "/v1/IpRecords",
        instance_path: "/v1/IpRecords/{Sid}",
        list_key: "ip_records",
        sid_prefix: "IL",
        parents: &[],
        create: Some(&[
            Field {
                wire: "IpAddress",
                property: "ip_address",
                required: true,
                kind: FieldKind::Ipv4,
                default: None,
            },
            Field {
                wire: "FriendlyName",
                property: "friendly_name",
                required: false,
                kind: FieldKind::Text {
                    min_length: None,
                    max_length: Some(255),
                },
                default: None,
            },
            Field {
                wire: "CidrPrefixLength",
                property: "cidr_prefix_length",
                required: false,
                kind: FieldKind::Integer {
                    minimum: Some(0),
                    maximum: Some(32),
                },
                default: Some(Scalar::Integer(32)),
            },
        ]),
        update: Some(&[Field {
            wire: "FriendlyName",
            property: "friendly_name",
            required: false,
            kind: FieldKind::Text {
                min_length: None,
                max_length: Some(255),
            },
            default: None,
        }]),
        fetch: true,
        delete: true,
        list: true,
        association: None,
        properties: &[
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "ip_address",
                source: Source::Value,
            },
            Property {
                name: "cidr_prefix_length",
                source: Source::Value,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Iso8601),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Iso8601),
            },
            Property {
                name: "url",
                source: Source::Url,
            },
        ],
    },
    Resource {
        module: "source_ip_mapping",
        class: "SourceIpMapping",
        api: Api::V1,
        list_path: "/v1/SourceIpMappings",
        instance_path: "/v1/SourceIpMappings/{Sid}",
        list_key: "source_ip_mappings",
        sid_prefix: "IB",
        parents: &[],
        create: Some(&[
            Field {
                wire: "IpRecordSid",
                property: "ip_record_sid",
                required: true,
                kind: FieldKind::Sid { prefix: "IL" },
                default: None,
            },
            Field {
                wire: "SipDomainSid",
                property: "sip_domain_sid",
                required: true,
                kind: FieldKind::Sid { prefix: "SD" },
                default: None,
            },
        ]),
        update: Some(&[Field {
            wire: "SipDomainSid",
            property: "sip_domain_sid",
            required: true,
            kind: FieldKind::Sid { prefix: "SD" },
            default: None,
        }]),
        fetch: true,
        delete: true,
        list: true,
        association: None,
        properties: &[
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "ip_record_sid",
                source: Source::Value,
            },
            Property {
                name: "sip_domain_sid",
                source: Source::Value,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Iso8601),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Iso8601),
            },
            Property {
                name: "url",
                source: Source::Url,
            },
        ],
    },
    Resource {
        module: "trunk_ip_access_control_list",
        class: "TrunkIpAccessControlList",
        api: Api::V1,
        list_path: "/v1/Trunks/{TrunkSid}/IpAccessControlLists",
        instance_path: "/v1/Trunks/{TrunkSid}/IpAccessControlLists/{Sid}",
        list_key: "ip_access_control_lists",
        sid_prefix: "AL",
        parents: &[Parent {
            param: "TrunkSid",
            sid_prefix: "TK",
        }],
        create: Some(&[Field {
            wire: "IpAccessControlListSid",
            property: "ip_access_control_list_sid",
            required: true,
            kind: FieldKind::Sid { prefix: "AL" },
            default: None,
        }]),
        update: None,
        fetch: true,
        delete: true,
        list: true,
        association: Some("IpAccessControlListSid"),
        properties: &[
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "trunk_sid",
                source: Source::Parent(0),
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Iso8601),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Iso8601),
            },
            Property {
                name: "url",
                source: Source::Url,
            },
        ],
    },
    Resource {
        module: "sip_ip_address",
        class: "SipIpAddress",
        api: Api::V2010,
        list_path: "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json",
        instance_path: "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses/{Sid}.json",
        list_key: "ip_addresses",
        sid_prefix: "IP",
        parents: &[Parent {
            param: "IpAccessControlListSid",
            sid_prefix: "AL",
        }],
        create: Some(&[
            Field {
                wire: "FriendlyName",
                property: "friendly_name",
                required: true,
                kind: FieldKind::Text {
                    min_length: Some(1),
                    max_length: Some(255),
                },
                default: None,
            },
            Field {
                wire: "IpAddress",
                property: "ip_address",
                required: true,
                kind: FieldKind::Ipv4,
                default: None,
            },
            Field {
                wire: "CidrPrefixLength",
                property: "cidr_prefix_length",
                required: false,
                kind: FieldKind::Integer {
                    minimum: Some(0),
                    maximum: Some(32),
                },
                default: Some(Scalar::Integer(32)),
            },
        ]),
        update: Some(&[
            Field {
                wire: "FriendlyName",
                property: "friendly_name",
                required: false,
                kind: FieldKind::Text {
                    min_length: None,
                    max_length: Some(255),
                },
                default: None,
            },
            Field {
                wire: "IpAddress",
                property: "ip_address",
                required: false,
                kind: FieldKind::Ipv4,
                default: None,
            },
            Field {
                wire: "CidrPrefixLength",
                property: "cidr_prefix_length",
                required: false,
                kind: FieldKind::Integer {
                    minimum: Some(0),
                    maximum: Some(32),
                },
                default: None,
            },
        ]),
        fetch: true,
        delete: true,
        list: true,
        association: None,
        properties: &[
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "ip_address",
                source: Source::Value,
            },
            Property {
                name: "cidr_prefix_length",
                source: Source::Value,
            },
            Property {
                name: "ip_access_control_list_sid",
                source: Source::Parent(0),
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Rfc2822),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Rfc2822),
            },
            Property {
                name: "uri",
                source: Source::Uri,
            },
        ],
    },
    Resource {
        module: "sip_ip_access_control_list",
        class: "SipIpAccessControlList",
        api: Api::V2010,
        list_path: "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists.json",
        instance_path: "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{Sid}.json",
        list_key: "ip_access_control_lists",
        sid_prefix: "AL",
        parents: &[],
        create: Some(&[Field {
            wire: "FriendlyName",
            property: "friendly_name",
            required: true,
            kind: FieldKind::Text {
                min_length: Some(1),
                max_length: Some(255),
            },
            default: None,
        }]),
        update: Some(&[Field {
            wire: "FriendlyName",
            property: "friendly_name",
            required: true,
            kind: FieldKind::Text {
                min_length: Some(1),
                max_length: Some(255),
            },
            default: None,
        }]),
        fetch: true,
        delete: true,
        list: true,
        association: None,
        properties: &[
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Rfc2822),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Rfc2822),
            },
            Property {
                name: "subresource_uris",
                source: Source::Value,
            },
            Property {
                name: "uri",
                source: Source::Uri,
            },
        ],
    },
    Resource {
        module: "auth_calls_ip_access_control_list_mapping",
        class: "AuthCallsIpAccessControlListMapping",
        api: Api::V2010,
        list_path: "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{DomainSid}/Auth/Calls/IpAccessControlListMappings.json",
        instance_path: "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{DomainSid}/Auth/Calls/IpAccessControlListMappings/{Sid}.json",
        list_key: "contents",
        sid_prefix: "AL",
        parents: &[Parent {
            param: "DomainSid",
            sid_prefix: "SD",
        }],
        create: Some(&[Field {
            wire: "IpAccessControlListSid",
            property: "ip_access_control_list_sid",
            required: true,
            kind: FieldKind::Sid { prefix: "AL" },
            default: None,
        }]),
        update: None,
        fetch: true,
        delete: true,
        list: true,
        association: Some("IpAccessControlListSid"),
        properties: &[
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Rfc2822),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Rfc2822),
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "sid",
                source: Source::Sid,
            },
        ],
    },
    Resource {
        module: "sip_domain",
        class: "SipDomain",
        api: Api::V2010,
        list_path: "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json",
        instance_path: "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json",
        list_key: "domains",
        sid_prefix: "SD",
        parents: &[],
        create: None,
        update: None,
        fetch: true,
        delete: false,
        list: true,
        association: None,
        properties: &[
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "api_version",
                source: Source::Value,
            },
            Property {
                name: "auth_type",
                source: Source::Value,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Rfc2822),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Rfc2822),
            },
            Property {
                name: "domain_name",
                source: Source::Value,
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "uri",
                source: Source::Uri,
            },
            Property {
                name: "voice_method",
                source: Source::Value,
            },
            Property {
                name: "voice_url",
                source: Source::Value,
            },
        ],
    },
    Resource {
        module: "trunk",
        class: "Trunk",
        api: Api::V1,
        list_path: "/v1/Trunks",
        instance_path: "/v1/Trunks/{Sid}",
        list_key: "trunks",
        sid_prefix: "TK",
        parents: &[],
        create: None,
        update: None,
        fetch: true,
        delete: false,
        list: true,
        association: None,
        properties: &[
            Property {
                name: "account_sid",
                source: Source::AccountSid,
            },
            Property {
                name: "domain_name",
                source: Source::Value,
            },
            Property {
                name: "disaster_recovery_method",
                source: Source::Value,
            },
            Property {
                name: "disaster_recovery_url",
                source: Source::Value,
            },
            Property {
                name: "friendly_name",
                source: Source::Value,
            },
            Property {
                name: "secure",
                source: Source::Value,
            },
            Property {
                name: "transfer_mode",
                source: Source::Value,
            },
            Property {
                name: "sid",
                source: Source::Sid,
            },
            Property {
                name: "date_created",
                source: Source::DateCreated(DateFormat::Iso8601),
            },
            Property {
                name: "date_updated",
                source: Source::DateUpdated(DateFormat::Iso8601),
            },
            Property {
                name: "url",
                source: Source::Url,
            },
        ],
    },
];
