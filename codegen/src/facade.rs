//! The facade users call, emitted from the spec model: for every resource a collection handle
//! (`IpRecords`) with one method per declared operation, one builder per operation
//! (`CreateIpRecord`, `FetchIpRecord`, …; required parameters as arguments, optional ones as
//! setters, `.send()` or `.await`), the client-side checks its schema states, and pagination
//! through the shared `ListRequest`; for every parent in a path an instance handle
//! (`TrunkContext`) leading to its children; the accessors on `Client`; the struct holding one
//! progenitor client per spec file, and its hooks.
//!
//! Everything here is derived from `model::Resource`; what no spec states (transport, retries,
//! pagination, errors, SIDs, hosts) is hand-written in `src/` and only called from here.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Api, Field, FieldKind, Group, OpKind, Operation, PathParam, Resource};
use super::naming::{article, plural, snake, words};

mod list;
mod request;

/// An instance handle: a parent named in some resource's path, such as `/Trunks/{TrunkSid}`.
struct Context {
    /// `TrunkContext`.
    name: String,
    /// `trunk`: the accessor on the parent handle.
    accessor: String,
    api: Api,
    /// The parameters up to and including this one, outermost first.
    params: Vec<PathParam>,
    /// The context this one hangs off (`None`: the client).
    parent: Option<String>,
    /// Its literal path, for docs: `/Trunks/{TrunkSid}`.
    path: String,
    /// (accessor, collection type, resource) of the children.
    children: Vec<(String, String, String)>,
    /// Where it is declared first, for error messages.
    file: String,
}

/// Where a collection handle hangs: the client, or a context.
fn context_key(api: Api, groups: &[Group]) -> String {
    let mut key = format!("{api:?}");
    for group in groups {
        key.push('/');
        key.push_str(&group.literals.join("/"));
        key.push_str("/{}");
    }
    key
}

fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = format!(" {line}");
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

fn ident(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", name)
}

fn sid_kind_path(kind: &super::model::SidKind) -> TokenStream {
    let name = ident(&kind.name);
    quote! { crate::sid::kind::#name }
}

fn sid_path(kind: &super::model::SidKind) -> TokenStream {
    let name = ident(&kind.schema);
    quote! { crate::sid::#name }
}

/// The type a checked field value has (what the bindings take).
fn value_type(field: &Field) -> TokenStream {
    match syn::parse_str::<syn::Type>(&field.rust_type) {
        Ok(ty) => quote! { #ty },
        Err(e) => {
            let message = format!("`{}`: {e}", field.rust_type);
            quote! { ::std::compile_error!(#message) }
        }
    }
}

/// The SID kind of a SID field, declared by the same file (the model found it there).
fn field_sid_kind<'r>(resource: &'r Resource, field: &Field) -> Option<&'r super::model::SidKind> {
    match &field.kind {
        FieldKind::Sid { prefix } => resource.sid_kind(prefix),
        _ => None,
    }
}

/// What a builder keeps for a field until it is sent: the checked value, behind `Pii` when
/// Twilio marks it as PII (so that the builder's `Debug` never shows it).
fn stored_type(field: &Field) -> TokenStream {
    let value = value_type(field);
    if is_pii(field) {
        quote! { crate::validate::Pii<crate::validate::Checked<#value>> }
    } else {
        quote! { crate::validate::Checked<#value> }
    }
}

fn is_pii(field: &Field) -> bool {
    field.pii || matches!(field.kind, FieldKind::Ipv4)
}

/// The argument type a method or setter takes for a field.
fn argument_type(resource: &Resource, field: &Field) -> TokenStream {
    match &field.kind {
        FieldKind::Sid { .. } => match field_sid_kind(resource, field) {
            Some(kind) => {
                let kind = sid_kind_path(kind);
                quote! { impl crate::sid::IntoSid<#kind> }
            }
            None => value_type(field),
        },
        FieldKind::Ipv4 => quote! { impl crate::IntoIpv4 },
        FieldKind::Text { .. } => quote! { impl ::std::convert::Into<::std::string::String> },
        FieldKind::Integer { .. } => value_type(field),
    }
}

fn option_i64(value: Option<i64>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

fn option_usize(value: Option<u64>) -> TokenStream {
    match value.map(|v| v as usize) {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

/// The check of a field's argument `value`, giving its stored form.
fn check(field: &Field, value: TokenStream) -> TokenStream {
    let wire = &field.wire;
    let checked = match &field.kind {
        FieldKind::Sid { .. } => quote! { crate::validate::sid(#value, #wire) },
        FieldKind::Ipv4 => return quote! { crate::validate::ipv4(#value, #wire) },
        FieldKind::Text {
            min_length,
            max_length,
            pattern,
        } => {
            let (min, max) = (option_usize(*min_length), option_usize(*max_length));
            let pattern = match pattern.as_deref() {
                Some(p) => quote! { ::std::option::Option::Some(#p) },
                None => quote! { ::std::option::Option::None },
            };
            quote! { crate::validate::text(#value.into(), #wire, #min, #max, #pattern) }
        }
        FieldKind::Integer { minimum, maximum } => {
            let (min, max) = (option_i64(*minimum), option_i64(*maximum));
            quote! { crate::validate::range(#value, #wire, #min, #max) }
        }
    };
    if is_pii(field) {
        quote! { crate::validate::Pii(#checked) }
    } else {
        checked
    }
}

/// What the schema says of a field, for the docs of its argument or setter.
fn field_doc(resource: &Resource, field: &Field) -> String {
    let mut text = format!("`{}`", field.wire);
    if !field.description.is_empty() {
        text.push_str(": ");
        text.push_str(field.description.trim_end());
    }
    let mut rules = Vec::new();
    match &field.kind {
        FieldKind::Text {
            min_length,
            max_length,
            pattern,
        } => {
            match (min_length, max_length) {
                (Some(lo), Some(hi)) => rules.push(format!("{lo} to {hi} characters")),
                (None, Some(hi)) => rules.push(format!("at most {hi} characters")),
                (Some(lo), None) => rules.push(format!("at least {lo} characters")),
                (None, None) => {}
            }
            if let Some(p) = pattern {
                rules.push(format!("matching `{p}`"));
            }
        }
        FieldKind::Integer { minimum, maximum } => match (minimum, maximum) {
            (Some(lo), Some(hi)) => rules.push(format!("{lo} to {hi}")),
            (Some(lo), None) => rules.push(format!("at least {lo}")),
            (None, Some(hi)) => rules.push(format!("at most {hi}")),
            (None, None) => {}
        },
        FieldKind::Sid { prefix } => {
            let name = field_sid_kind(resource, field).map_or("a", |k| k.name.as_str());
            rules.push(format!("{name} SID (`{prefix}…`)"))
        }
        FieldKind::Ipv4 => rules.push("an IPv4 address in dotted decimal; PII".into()),
    }
    if let Some(default) = &field.default {
        rules.push(format!("Twilio's default: {default}"));
    }
    if !rules.is_empty() {
        text.push_str(&format!(" ({}).", rules.join("; ")));
    }
    text
}

/// A literal for a field in a doc example: the spec's `example` when it has one.
fn example_argument(field: &Field) -> String {
    let example = field.example.as_ref();
    match &field.kind {
        FieldKind::Sid { prefix } => format!("\"{}{}\"", prefix, "a".repeat(32)),
        FieldKind::Ipv4 => format!(
            "\"{}\"",
            example.and_then(|e| e.as_str()).unwrap_or("203.0.113.10")
        ),
        FieldKind::Text { .. } => {
            format!("{:?}", example.and_then(|e| e.as_str()).unwrap_or("office"))
        }
        FieldKind::Integer { minimum, maximum } => example
            .and_then(|e| e.as_i64())
            .or(*maximum)
            .or(*minimum)
            .unwrap_or(1)
            .to_string(),
    }
}

struct Emitter<'a> {
    resources: &'a [Resource],
    contexts: BTreeMap<String, Context>,
    problems: Vec<String>,
}

/// Emits the facade for all resources, or says why it cannot.
pub fn emit(resources: &[Resource]) -> Result<TokenStream, Vec<String>> {
    let mut emitter = Emitter {
        resources,
        contexts: BTreeMap::new(),
        problems: Vec::new(),
    };
    emitter.collect_contexts();
    let tokens = emitter.tokens();
    if emitter.problems.is_empty() {
        Ok(tokens)
    } else {
        Err(emitter.problems)
    }
}

impl Emitter<'_> {
    /// One context per parent named in a path; each child collection hangs off the innermost.
    fn collect_contexts(&mut self) {
        for resource in self.resources {
            let parent_groups = &resource.groups[..resource.groups.len() - 1];
            let mut params: Vec<PathParam> = Vec::new();
            let mut parent: Option<String> = None;
            for (i, group) in parent_groups.iter().enumerate() {
                let Some(param) = &group.param else { continue };
                params.push(param.clone());
                let key = context_key(resource.api, &parent_groups[..=i]);
                let name = format!("{}Context", group.singular_pascal());
                let path: String = parent_groups[..=i]
                    .iter()
                    .map(|g| {
                        format!(
                            "/{}/{{{}}}",
                            g.literals.join("/"),
                            g.param.as_ref().map(|p| p.name.as_str()).unwrap_or("")
                        )
                    })
                    .collect();
                let entry = self.contexts.entry(key).or_insert_with(|| Context {
                    name: name.clone(),
                    accessor: group.accessor(),
                    api: resource.api,
                    params: params.clone(),
                    parent: parent.clone(),
                    path,
                    children: Vec::new(),
                    file: resource.file.clone(),
                });
                let names =
                    |ps: &[PathParam]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
                if names(&entry.params) != names(&params) {
                    self.problems.push(format!(
                        "{}: names the parameters of `{}` {:?}, but {} names them {:?}; use the same names",
                        resource.file,
                        entry.path,
                        names(&params),
                        entry.file,
                        names(&entry.params)
                    ));
                }
                parent = Some(entry.name.clone());
            }
            if let Some(innermost) = parent_groups.iter().rposition(|g| g.param.is_some()) {
                let key = context_key(resource.api, &parent_groups[..=innermost]);
                if let Some(context) = self.contexts.get_mut(&key) {
                    context.children.push((
                        resource.mount.clone(),
                        resource.collection_type(),
                        resource.class.clone(),
                    ));
                }
            }
        }
        // Each name is one Rust type.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for context in self.contexts.values() {
            if let Some(other) = seen.insert(context.name.clone(), context.path.clone()) {
                self.problems.push(format!(
                    "`{}` and `{other}` would both be `{}`",
                    context.path, context.name
                ));
            }
        }
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        for r in self.resources {
            for name in [r.class.clone(), r.collection_type()] {
                if let Some(other) = types.insert(name.clone(), r.file.clone()) {
                    self.problems.push(format!(
                        "{} and {other} both define `{name}`; rename one resource schema",
                        r.file
                    ));
                }
            }
        }
    }

    fn tokens(&mut self) -> TokenStream {
        let bindings = self.bindings();
        let contexts: Vec<TokenStream> = self.contexts.values().map(|c| self.context(c)).collect();
        let resources: Vec<TokenStream> = self.resources.iter().map(|r| self.resource(r)).collect();
        let exports = self.resources.iter().map(|r| {
            let module = ident(&r.module);
            let class = ident(&r.class);
            let doc = format!(
                "{} {}, as Twilio returns it (`spec/{}.yaml`).",
                article(&words(&r.class)),
                words(&r.class),
                r.module
            );
            quote! {
                #[doc = #doc]
                pub use crate::generated::#module::types::#class;
            }
        });
        let enums = self
            .resources
            .iter()
            .filter(|r| !r.enums.is_empty())
            .map(|r| {
                let module = ident(&r.module);
                quote! { pub use crate::generated::#module::enums::*; }
            });
        let schemas = self.json_schemas();
        quote! {
            #bindings
            #schemas
            #(#exports)*
            #(#enums)*
            #(#contexts)*
            #(#resources)*
        }
    }

    /// The struct holding one generated client per spec file, the products and their hosts,
    /// and the hooks every generated client runs.
    fn bindings(&self) -> TokenStream {
        let fields = self.resources.iter().map(|r| {
            let module = ident(&r.module);
            let doc = format!("`spec/{}.yaml`", r.module);
            quote! {
                #[doc = #doc]
                pub(crate) #module: crate::transport::Binding<crate::generated::#module::Client>,
            }
        });
        let inits = self.resources.iter().map(|r| {
            let module = ident(&r.module);
            let product = &r.product;
            quote! {
                #module: crate::transport::Binding::new(
                    base_url(#product), http, transport,
                    crate::generated::#module::Client::new_with_client),
            }
        });
        let mut products: BTreeMap<&str, &str> = BTreeMap::new();
        for r in self.resources {
            products.entry(&r.product).or_insert(&r.server);
        }
        // Per product: its host constant and its `ClientBuilder` setter, named after it.
        let mut per_product = Vec::new();
        let mut entries = Vec::new();
        for (product, server) in &products {
            let constant = format_ident!("{}_BASE_URL", product.to_ascii_uppercase());
            let setter = format_ident!("{}_base_url", product);
            let served: Vec<String> = self
                .resources
                .iter()
                .filter(|r| r.product == *product)
                .map(|r| plural(&words(&r.class)))
                .collect();
            let served = served.join(", ");
            let constant_doc = format!(
                "The host of Twilio's `{product}` product (the `servers` of its spec files): {served}."
            );
            let setter_doc = format!("Replaces `{server}` ({served}).");
            per_product.push(quote! {
                #[doc = #constant_doc]
                pub const #constant: &str = #server;

                impl crate::ClientBuilder {
                    #[doc = #setter_doc]
                    pub fn #setter(self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.product_base_url(#product, url)
                    }
                }
            });
            entries.push(quote! { (#product, #constant), });
        }
        let modules = self.resources.iter().map(|r| ident(&r.module));
        quote! {
            #(#per_product)*

            /// Twilio's products these resources live on, and their hosts (from each spec's
            /// `servers`).
            pub(crate) const PRODUCTS: &[(&str, &str)] = &[#(#entries)*];

            /// Where each spec file's operations go; each call makes its own generated client
            /// from its file's binding, sharing one connection pool and transport.
            #[derive(Debug)]
            pub(crate) struct Bindings {
                #(#fields)*
            }

            impl Bindings {
                /// `base_urls`: (product, base URL) for every product of [`PRODUCTS`].
                pub(crate) fn new(
                    base_urls: &[(&'static str, ::std::string::String)],
                    http: &reqwest::Client,
                    transport: &crate::transport::Transport,
                ) -> Self {
                    let base_url = |product: &str| {
                        base_urls
                            .iter()
                            .find(|(p, _)| *p == product)
                            .map(|(_, url)| url.as_str())
                            .unwrap_or_default()
                    };
                    Self { #(#inits)* }
                }
            }

            crate::transport::hooks!(#(#modules),*);
        }
    }

    /// `json_schemas()`: the JSON Schema of every resource, list page and request type, by
    /// spec file and schema name (feature `schemars`).
    fn json_schemas(&self) -> TokenStream {
        let entries = self.resources.iter().flat_map(|r| {
            let module = ident(&r.module);
            let names = std::iter::once(r.class.clone())
                .chain(r.list_schema.clone())
                .chain(r.operations.iter().filter_map(|o| o.body_schema.clone()));
            let module_name = r.module.clone();
            names
                .map(move |name| {
                    let ty = ident(&name);
                    quote! {
                        (#module_name, #name, ::schemars::schema_for!(crate::generated::#module::types::#ty)),
                    }
                })
                .collect::<Vec<_>>()
        });
        quote! {
            /// The JSON Schema (draft 2020-12) of every resource, list page and request type, as
            /// `(spec file stem, schema name, schema)`: the same types, generated from the same
            /// spec files, that the client sends and returns.
            ///
            /// ```
            /// let schemas = twilio_ip_access::resources::json_schemas();
            /// let (_, _, ip_record) = schemas.iter().find(|(_, name, _)| *name == "IpRecord").unwrap();
            /// assert_eq!(ip_record.as_value()["properties"]["sid"]["$ref"], "#/$defs/IpRecordSid");
            /// assert_eq!(ip_record.as_value()["$defs"]["IpRecordSid"]["pattern"], "^IL[0-9a-fA-F]{32}$");
            /// ```
            #[cfg(feature = "schemars")]
            #[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
            pub fn json_schemas() -> ::std::vec::Vec<(&'static str, &'static str, ::schemars::Schema)> {
                ::std::vec![#(#entries)*]
            }
        }
    }

    /// The fields a handle carries: the account (2010) and the path parameters.
    fn handle_fields(
        api: Api,
        params: &[PathParam],
    ) -> (Vec<TokenStream>, Vec<proc_macro2::Ident>) {
        let mut decls = vec![quote! { client: crate::Client, }];
        let mut names = vec![ident("client")];
        if api == Api::V2010 {
            decls.push(quote! { account_sid: crate::validate::Checked<crate::sid::AccountSid>, });
            names.push(ident("account_sid"));
        }
        for p in params {
            let name = ident(&snake(&p.name));
            let ty = sid_path(&p.kind);
            decls.push(quote! { #name: crate::validate::Checked<#ty>, });
            names.push(name);
        }
        (decls, names)
    }

    fn account_method(api: Api) -> TokenStream {
        if api != Api::V2010 {
            return quote! {};
        }
        quote! {
            /// Acts on a subaccount instead of the client's account (`{AccountSid}` in the
            /// path). An invalid SID is reported when a request is sent.
            pub fn account(mut self, account_sid: impl crate::sid::IntoSid<crate::sid::kind::Account>) -> Self {
                self.account_sid = crate::validate::sid(account_sid, "AccountSid");
                self
            }
        }
    }

    /// How a handle reached from `parent` is built: the parent's fields, then the new SID.
    fn construct(
        ty: &str,
        api: Api,
        inherited: &[PathParam],
        from_client: bool,
        own: Option<&PathParam>,
    ) -> TokenStream {
        let ty = ident(ty);
        let mut inits = vec![quote! { client: self.client.clone(), }];
        if from_client {
            inits[0] = quote! { client: self.clone(), };
        }
        if api == Api::V2010 {
            inits.push(if from_client {
                quote! { account_sid: ::std::result::Result::Ok(self.account_sid().clone()), }
            } else {
                quote! { account_sid: self.account_sid.clone(), }
            });
        }
        for p in inherited {
            let name = ident(&snake(&p.name));
            inits.push(quote! { #name: self.#name.clone(), });
        }
        if let Some(p) = own {
            let name = ident(&snake(&p.name));
            let wire = &p.name;
            inits.push(quote! { #name: crate::validate::sid(sid, #wire), });
        }
        quote! { #ty { #(#inits)* } }
    }

    fn context(&self, context: &Context) -> TokenStream {
        let name = ident(&context.name);
        let (fields, _) = Self::handle_fields(context.api, &context.params);
        let own = context.params.last().expect("a context has a parameter");
        let inherited = &context.params[..context.params.len() - 1];
        let account = Self::account_method(context.api);
        let children = context.children.iter().map(|(mount, collection, class)| {
            let method = ident(mount);
            let build = Self::construct(collection, context.api, &context.params, false, None);
            let collection = ident(collection);
            let doc = format!(
                "The {} of this {}: [`{collection}`].",
                plural(&words(class)),
                words(context.name.trim_end_matches("Context")),
            );
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #collection { #build }
            }
        });
        let subject = words(context.name.trim_end_matches("Context"));
        let head = format!(
            "{} {subject}, by SID (`{}`): the handle to what lives under it.",
            article(&subject),
            context.path
        );
        let accessor = ident(&context.accessor);
        let kind = sid_kind_path(&own.kind);
        let build = Self::construct(
            &context.name,
            context.api,
            inherited,
            context.parent.is_none(),
            Some(own),
        );
        let mut accessor_doc = format!(
            "{} {subject}, by SID (`{}`). An invalid SID is reported when a request is sent.",
            article(&subject),
            own.name
        );
        if !own.description.is_empty() {
            accessor_doc.push_str("\n\n`sid`: ");
            accessor_doc.push_str(&own.description);
        }
        let sid_doc = format!("The SID this handle names (`{}`).", own.name);
        let own_field = ident(&snake(&own.name));
        let own_ty = sid_path(&own.kind);
        let host = match &context.parent {
            None => quote! { crate::Client },
            Some(parent) => {
                let parent = ident(parent);
                quote! { #parent }
            }
        };
        quote! {
            #[doc = #head]
            #[derive(Debug, Clone)]
            pub struct #name { #(#fields)* }

            impl #name {
                #account
                #[doc = #sid_doc]
                pub fn sid(&self) -> crate::Result<#own_ty> {
                    ::std::result::Result::Ok(self.#own_field.clone()?)
                }
                #(#children)*
            }

            impl #host {
                #[doc = #accessor_doc]
                pub fn #accessor(&self, sid: impl crate::sid::IntoSid<#kind>) -> #name { #build }
            }
        }
    }

    /// The chain of calls from a client to this resource's collection, for doc examples.
    fn example_chain(&self, resource: &Resource) -> String {
        let mut chain = String::from("client");
        for group in &resource.groups[..resource.groups.len() - 1] {
            if let Some(param) = &group.param {
                chain.push_str(&format!(
                    "\n    .{}(\"{}{}\")",
                    group.accessor(),
                    param.kind.prefix,
                    "a".repeat(32)
                ));
            }
        }
        chain.push_str(&format!("\n    .{}()", resource.mount));
        chain
    }

    fn example(&self, resource: &Resource, call: &str, binding: &str) -> String {
        format!(
            "```no_run\n# async fn run(client: twilio_ip_access::Client) -> twilio_ip_access::Result<()> {{\nlet {binding} = {}\n    .{call}\n    .await?;\n# let _ = {binding}; Ok(()) }}\n```",
            self.example_chain(resource)
        )
    }

    fn resource(&mut self, r: &Resource) -> TokenStream {
        let collection = r.collection_type();
        let collection_ident = ident(&collection);
        let params: Vec<PathParam> = r.parents().into_iter().cloned().collect();
        let (fields, _) = Self::handle_fields(r.api, &params);
        let account = Self::account_method(r.api);
        let subject = words(&r.class);
        let mut head = format!(
            "The {} of {}: `{}`.",
            plural(&subject),
            if params.is_empty() {
                "the account".to_owned()
            } else {
                format!("one {}", words(&params[params.len() - 1].kind.name))
            },
            r.list_path
        );
        if !r.description.is_empty() {
            head.push_str("\n\n");
            head.push_str(&r.description);
        }
        head.push_str(&format!("\n\nGenerated from `spec/{}.yaml`.", r.module));
        let mut methods = Vec::new();
        let mut items = Vec::new();
        for op in &r.operations {
            let (method, item) = self.operation(r, op);
            methods.push(method);
            items.push(item);
        }
        let head_doc = doc(&head);
        let accessor = if params.is_empty() {
            let mount = ident(&r.mount);
            let build = Self::construct(&collection, r.api, &[], true, None);
            let doc = format!("{}: [`{collection}`] (`{}`).", r.title, r.list_path);
            quote! {
                impl crate::Client {
                    #[doc = #doc]
                    pub fn #mount(&self) -> #collection_ident { #build }
                }
            }
        } else {
            quote! {}
        };
        quote! {
            #head_doc
            #[derive(Debug, Clone)]
            pub struct #collection_ident { #(#fields)* }

            impl #collection_ident {
                #account
                #(#methods)*
            }

            #accessor
            #(#items)*
        }
    }

    /// The handle's method for one operation, and the operation's builder.
    /// One operation: the handle's method and the item behind it (a request builder, or the
    /// `ListPage` impl of a list).
    fn operation(&mut self, r: &Resource, op: &Operation) -> (TokenStream, TokenStream) {
        let mut summary = op.summary.clone();
        if !op.description.is_empty() && op.description != op.summary {
            summary.push_str("\n\n");
            summary.push_str(&op.description);
        }
        if op.kind == OpKind::List {
            return self.list_operation(r, op, &summary);
        }
        (
            self.request_method(r, op, &summary),
            self.request_builder(r, op),
        )
    }
}
