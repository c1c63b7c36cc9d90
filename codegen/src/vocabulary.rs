// The words the generator and the emulator share, written once.
//
// This file is compiled twice: as the generator's `vocabulary` module, which the spec model
// (`model.rs`) is made of, and, written into `OUT_DIR` by the main crate's build script, inside
// the emulator's `src/mock/table.rs`, whose generated tables are made of the same types. So what
// the generator reads from a spec and what the emulator serves cannot drift apart, and a variant
// added here must be handled by both (every `match` on these types is exhaustive).
//
// It is plain Rust with no `use` of either crate: text is `Str` (`Cow<'static, str>`), owned when
// the generator reads a spec, borrowed in the emulator's static tables.

/// Text: owned when the generator reads it from a spec, borrowed in the emulator's tables.
pub type Str = ::std::borrow::Cow<'static, str>;

/// Which of Twilio's two API generations a resource belongs to: it decides the paths, the list
/// envelope, the date format and the links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Voice and Trunking v1: `/v1/…`, `{"<key>": [...], "meta": {...}}`, ISO 8601 dates,
    /// absolute `url`.
    V1,
    /// Api 2010-04-01: `/2010-04-01/Accounts/{AccountSid}/….json`, flat envelope, RFC 2822
    /// dates, relative `uri`.
    V2010,
}

/// How a date property is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// `2020-03-18T23:31:36Z` (`format: date-time`).
    Iso8601,
    /// `Mon, 20 Jul 2015 17:27:10 +0000` (`format: date-time-rfc-2822`).
    Rfc2822,
}

/// Where a response property's value comes from: the emulator computes all but `Value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The resource's own SID.
    Sid,
    /// The owning account's SID.
    AccountSid,
    /// The value of the `i`-th parent path parameter (outermost first, `{AccountSid}` excluded).
    Parent(usize),
    DateCreated(DateFormat),
    DateUpdated(DateFormat),
    /// The absolute URL of the instance (v1).
    Url,
    /// The instance path, relative to the host (2010).
    Uri,
    /// Links to the property's subresources (`subresource_uris` in 2010, `links` in v1), built
    /// as Twilio builds them: the instance's `uri` without `.json` (2010) or its `url` (v1), then
    /// `/` and the name in PascalCase, then `.json` in 2010.
    Links,
    /// A stored value (from a form field, a default, a seeding helper or the linked resource of
    /// an association), or `null`.
    Value,
}

/// A response property and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The JSON name, such as `cidr_prefix_length`.
    pub name: Str,
    pub source: Source,
    /// Whether the spec admits `null` (on the property or on the schema it names): an unset
    /// [`Source::Value`] property that does not is left out of the body instead.
    pub nullable: bool,
    /// For [`Source::Links`]: the subresources it names, from the property's `x-subresources`.
    pub subresources: ::std::borrow::Cow<'static, [Str]>,
}

/// What a form field of create or update holds, with the constraints its schema states. The
/// generator checks them in the client before sending; the emulator checks them again on what
/// it receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// A SID of another resource (`pattern: ^XX[0-9a-fA-F]{32}$`), by its two-letter prefix.
    Sid { prefix: Str },
    /// An IPv4 address in dotted decimal (`format: ipv4`).
    Ipv4,
    /// Text, with its length limits in characters and its ECMAScript `pattern`.
    Text {
        min_length: Option<u64>,
        max_length: Option<u64>,
        pattern: Option<Str>,
    },
    /// An integer (a JSON number), with its bounds.
    Integer {
        minimum: Option<i64>,
        maximum: Option<i64>,
    },
}
