//! A request operation (create, fetch, update, delete): the handle's method, with the SID and
//! the required fields as arguments, and the builder it returns, with a setter per optional
//! field and a `send()` that checks everything before anything is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    Emitter, argument_type, check, doc, example_argument, field_doc, ident, is_pii, sid_kind_path,
    sid_path, stored_type,
};
use crate::model::{Api, Field, OpKind, Operation, Resource};
use crate::naming::{pascal, snake, words};

/// Whether the operation addresses one record by its SID.
fn has_sid(op: &Operation) -> bool {
    matches!(op.kind, OpKind::Fetch | OpKind::Update | OpKind::Delete)
}

/// `CreateIpRecord`: the builder's name.
fn builder_name(r: &Resource, op: &Operation) -> String {
    format!("{}{}", pascal(op.kind.verb()), r.class)
}

impl Emitter<'_> {
    /// The handle's method, documented with its arguments, its setters and an example.
    pub(super) fn request_method(
        &self,
        r: &Resource,
        op: &Operation,
        summary: &str,
    ) -> TokenStream {
        let has_sid = has_sid(op);
        let own_kind = sid_kind_path(&r.sid);
        let verb = op.kind.verb();
        let method = ident(verb);
        let builder_name = builder_name(r, op);
        let builder = ident(&builder_name);
        let required: Vec<&Field> = op.fields.iter().filter(|f| f.required).collect();
        let optional: Vec<&Field> = op.fields.iter().filter(|f| !f.required).collect();

        // The handle's method: SID and required fields as arguments.
        let mut args = Vec::new();
        let mut inits = vec![quote! { handle: self.clone(), }];
        let mut arg_docs = String::new();
        if has_sid {
            args.push(quote! { sid: impl crate::sid::IntoSid<#own_kind> });
            inits.push(quote! { sid: crate::validate::sid(sid, "Sid"), });
            arg_docs.push_str(&format!(
                "\n- `sid`: the {} SID (`{}…`).",
                words(&r.class),
                r.sid.prefix
            ));
        }
        for f in &required {
            let name = ident(&f.rust);
            let ty = argument_type(r, f);
            args.push(quote! { #name: #ty });
            let check = check(f, quote! { #name });
            inits.push(quote! { #name: #check, });
            // Continuation lines of a list item are indented, as Markdown wants them.
            let text = field_doc(r, f).replace('\n', "\n  ");
            arg_docs.push_str(&format!("\n- `{}`: {text}", f.rust));
        }
        for f in &optional {
            let name = ident(&f.rust);
            inits.push(quote! { #name: ::std::option::Option::None, });
        }
        let mut text = summary.to_owned();
        if !arg_docs.is_empty() {
            text.push_str("\n\nArguments:");
            text.push_str(&arg_docs);
        }
        if !optional.is_empty() {
            text.push_str(&format!(
                "\n\nOptional fields are setters on [`{builder_name}`]: {}.",
                optional
                    .iter()
                    .map(|f| format!("[`{0}`]({builder_name}::{0})", f.rust))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut call_args: Vec<String> = Vec::new();
        if has_sid {
            call_args.push(format!("\"{}{}\"", r.sid.prefix, "a".repeat(32)));
        }
        call_args.extend(required.iter().map(|f| example_argument(f)));
        let binding = match op.kind {
            OpKind::Delete => "deleted",
            OpKind::Create => "created",
            OpKind::Update => "updated",
            _ => "fetched",
        };
        text.push_str("\n\n");
        text.push_str(&self.example(r, &format!("{verb}({})", call_args.join(", ")), binding));
        let text = doc(&text);
        let method_tokens = quote! {
            #text
            pub fn #method(&self, #(#args),*) -> #builder {
                #builder { #(#inits)* }
            }
        };

        method_tokens
    }

    /// The builder: the checked arguments, a setter per optional field, and `send()`.
    pub(super) fn request_builder(&self, r: &Resource, op: &Operation) -> TokenStream {
        let has_sid = has_sid(op);
        let own_ty = sid_path(&r.sid);
        let verb = op.kind.verb();
        let class = ident(&r.class);
        let module = ident(&r.module);
        let collection = ident(&r.collection_type());
        let builder_name = builder_name(r, op);
        let builder = ident(&builder_name);
        let optional: Vec<&Field> = op.fields.iter().filter(|f| !f.required).collect();
        let mut decls = vec![quote! { handle: #collection, }];
        if has_sid {
            decls.push(quote! { sid: crate::validate::Checked<#own_ty>, });
        }
        for f in &op.fields {
            let name = ident(&f.rust);
            let stored = stored_type(f);
            decls.push(if f.required {
                quote! { #name: #stored, }
            } else {
                quote! { #name: ::std::option::Option<#stored>, }
            });
        }
        let setters = optional.iter().map(|f| {
            let name = ident(&f.rust);
            let ty = argument_type(r, f);
            let check = check(f, quote! { value });
            let text = doc(&field_doc(r, f));
            quote! {
                #text
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = ::std::option::Option::Some(#check);
                    self
                }
            }
        });
        // send(): path parameters first, then the fields, in order; the first problem wins.
        let mut unpack = vec![quote! { let handle = self.handle; }];
        let mut calls = Vec::new();
        if r.api == Api::V2010 {
            unpack.push(quote! { let account_sid = handle.account_sid.clone()?; });
            calls.push(quote! { .account_sid(account_sid.clone()) });
        }
        for p in r.parents() {
            let name = ident(&snake(&p.name));
            unpack.push(quote! { let #name = handle.#name.clone()?; });
            calls.push(quote! { .#name(#name.clone()) });
        }
        if has_sid {
            unpack.push(quote! { let sid = self.sid?; });
            calls.push(quote! { .sid(sid.clone()) });
        }
        for f in &op.fields {
            let name = ident(&f.rust);
            let inner = if is_pii(f) {
                quote! { .0 }
            } else {
                quote! {}
            };
            unpack.push(match (f.required, is_pii(f)) {
                (true, _) => quote! { let #name = self.#name #inner?; },
                (false, true) => quote! { let #name = self.#name.map(|v| v #inner).transpose()?; },
                (false, false) => quote! { let #name = self.#name.transpose()?; },
            });
        }
        if let Some(body) = &op.body_schema {
            let body = ident(body);
            let names = op.fields.iter().map(|f| ident(&f.rust));
            unpack.push(quote! {
                let body = crate::generated::#module::types::#body { #(#names),* };
            });
            calls.push(quote! { .body(body.clone()) });
        }
        let op_method = ident(&op.method);
        let output = if op.kind == OpKind::Delete {
            quote! { () }
        } else {
            quote! { #class }
        };
        let builder_doc = format!(
            "{} (`{}` in `spec/{}.yaml`): [`{}::{verb}`]. Send it with `.send().await`, or `.await` it.",
            op.summary,
            op.id,
            r.module,
            r.collection_type()
        );
        let item = quote! {
            #[doc = #builder_doc]
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until it is sent or awaited"]
            pub struct #builder { #(#decls)* }

            impl #builder {
                #(#setters)*

                /// Checks the arguments and sends the request; nothing is sent when a check
                /// fails.
                pub async fn send(self) -> crate::Result<#output> {
                    self.send_with_request_id().await.map(|(value, _)| value)
                }

                /// As [`send`](Self::send), with Twilio's `Twilio-Request-Id` for the answer
                /// (for an audit trail; `None` when the answer carried none).
                pub async fn send_with_request_id(self) -> crate::Result<(#output, Option<String>)> {
                    #(#unpack)*
                    let c = handle.client.bindings().#module.client();
                    crate::transport::execute_with_request_id(&c, || c.#op_method() #(#calls)* .send()).await
                }
            }

            crate::request::into_future!(#builder => #output);
        };
        item
    }
}
