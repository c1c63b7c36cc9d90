//! The emulator's tables: one `crate::mock::table::Resource` per spec file, the data the
//! generic store and router serve (rows in `src/mock/table.rs`). The values are the model's own
//! (`vocabulary.rs`, which the emulator includes), written out as static literals.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::{Api, DateFormat, Field, FieldKind, OpKind, Property, Resource, Source};

/// `Option<&str>` as a `Str` literal.
fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote! { Some(::std::borrow::Cow::Borrowed(#v)) },
        None => quote! { None },
    }
}

fn field_kind(kind: &FieldKind) -> TokenStream {
    match kind {
        FieldKind::Sid { prefix } => {
            let prefix = prefix.as_ref();
            quote! { FieldKind::Sid { prefix: ::std::borrow::Cow::Borrowed(#prefix) } }
        }
        FieldKind::Ipv4 => quote! { FieldKind::Ipv4 },
        FieldKind::Text {
            min_length,
            max_length,
            pattern,
        } => {
            let (min, max) = (opt(*min_length), opt(*max_length));
            let pattern = opt_str(pattern.as_deref());
            quote! { FieldKind::Text { min_length: #min, max_length: #max, pattern: #pattern } }
        }
        FieldKind::Integer { minimum, maximum } => {
            let (min, max) = (opt(*minimum), opt(*maximum));
            quote! { FieldKind::Integer { minimum: #min, maximum: #max } }
        }
    }
}

fn fields(fields: &[Field]) -> TokenStream {
    let items = fields.iter().map(|f| {
        let (wire, property, required) = (&f.wire, &f.rust, f.required);
        let kind = field_kind(&f.kind);
        let default = opt(f.default);
        quote! {
            Field { wire: #wire, property: #property, required: #required, kind: #kind, default: #default },
        }
    });
    quote! { &[#(#items)*] }
}

fn date_format(format: DateFormat) -> TokenStream {
    match format {
        DateFormat::Iso8601 => quote! { DateFormat::Iso8601 },
        DateFormat::Rfc2822 => quote! { DateFormat::Rfc2822 },
    }
}

fn property(p: &Property) -> TokenStream {
    let name = p.name.as_ref();
    let source = match p.source {
        Source::Sid => quote! { Source::Sid },
        Source::AccountSid => quote! { Source::AccountSid },
        Source::Parent(i) => quote! { Source::Parent(#i) },
        Source::DateCreated(f) => {
            let f = date_format(f);
            quote! { Source::DateCreated(#f) }
        }
        Source::DateUpdated(f) => {
            let f = date_format(f);
            quote! { Source::DateUpdated(#f) }
        }
        Source::Url => quote! { Source::Url },
        Source::Uri => quote! { Source::Uri },
        Source::Links => quote! { Source::Links },
        Source::Value => quote! { Source::Value },
    };
    let nullable = p.nullable;
    let subresources = p.subresources.iter().map(|s| s.as_ref());
    quote! {
        Property {
            name: ::std::borrow::Cow::Borrowed(#name),
            source: #source,
            nullable: #nullable,
            subresources: ::std::borrow::Cow::Borrowed(&[#(::std::borrow::Cow::Borrowed(#subresources)),*]),
        },
    }
}

fn opt<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    }
}

fn resource(r: &Resource) -> TokenStream {
    let (module, class, list_path, instance_path, list_key, prefix) = (
        &r.module,
        &r.class,
        &r.list_path,
        &r.instance_path,
        &r.list_key,
        &r.sid.prefix,
    );
    let api = match r.api {
        Api::V1 => quote! { Api::V1 },
        Api::V2010 => quote! { Api::V2010 },
    };
    let parents = r.parents().into_iter().map(|p| {
        let (param, prefix) = (&p.name, &p.kind.prefix);
        quote! { Parent { param: #param, sid_prefix: #prefix }, }
    });
    let body = |kind: OpKind| match r.op(kind) {
        Some(op) => {
            let f = fields(&op.fields);
            quote! { Some(#f) }
        }
        None => quote! { None },
    };
    let (create, update) = (body(OpKind::Create), body(OpKind::Update));
    let (fetch, delete, list) = (
        r.op(OpKind::Fetch).is_some(),
        r.op(OpKind::Delete).is_some(),
        r.op(OpKind::List).is_some(),
    );
    let association = opt(r.association().map(|f| f.wire.clone()));
    let properties = r.properties.iter().map(property);
    quote! {
        Resource {
            module: #module,
            class: #class,
            api: #api,
            list_path: #list_path,
            instance_path: #instance_path,
            list_key: #list_key,
            sid_prefix: #prefix,
            parents: &[#(#parents)*],
            create: #create,
            update: #update,
            fetch: #fetch,
            delete: #delete,
            list: #list,
            association: #association,
            properties: &[#(#properties)*],
        },
    }
}

/// `RESOURCES`, for `src/mock/table.rs`, and one static per resource named after its spec file
/// (`SIP_IP_ADDRESS` for `sip_ip_address.yaml`): the emulator's rules and seeding helpers name a
/// resource through it, so that renaming or removing a spec file they rely on fails to compile.
pub fn emit(resources: &[Resource]) -> TokenStream {
    let items = resources.iter().map(resource);
    let named = resources.iter().enumerate().map(|(i, r)| {
        let name = quote::format_ident!("{}", r.module.to_uppercase());
        let doc = format!("The resource of `spec/{}.yaml`.", r.module);
        quote! {
            #[doc = #doc]
            #[allow(dead_code, reason = "only the resources a rule or a helper names are used")]
            pub(crate) static #name: &Resource = &RESOURCES[#i];
        }
    });
    quote! {
        /// Every resource of `spec/`, in file name order.
        pub(crate) static RESOURCES: &[Resource] = &[#(#items)*];
        #(#named)*
    }
}
