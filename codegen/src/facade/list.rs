//! The list operation of a resource: the handle's `list()` and its `ListPage` impl, through which
//! the shared `ListRequest` pages, streams and collects.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Emitter, doc, ident};
use crate::model::{Api, Operation, Resource};
use crate::naming::snake;

impl Emitter<'_> {
    pub(super) fn list_operation(
        &self,
        r: &Resource,
        op: &Operation,
        summary: &str,
    ) -> (TokenStream, TokenStream) {
        let class = ident(&r.class);
        let module = ident(&r.module);
        let collection = ident(&r.collection_type());
        let list_method = ident(&op.method);
        let key = ident(&snake(&r.list_key));
        let next = match r.api {
            Api::V1 => quote! { list.meta.next_page_url.as_deref() },
            Api::V2010 => quote! { list.next_page_uri.as_deref() },
        };
        let mut setters = Vec::new();
        let mut checks = vec![];
        if r.api == Api::V2010 {
            checks.push(quote! { let account_sid = self.account_sid.clone()?; });
            setters.push(quote! { account_sid(account_sid.clone()) });
        }
        for p in r.parents() {
            let name = ident(&snake(&p.name));
            checks.push(quote! { let #name = self.#name.clone()?; });
            setters.push(quote! { #name(#name.clone()) });
        }
        let mut text = summary.to_owned();
        text.push_str("\n\nReturns a [`ListRequest`](crate::ListRequest): `.send()` for one page, `.stream()` for every item lazily, `.collect()` for all of them.\n\n");
        text.push_str(&format!(
            "```no_run\n# async fn run(client: twilio_ip_access::Client) -> twilio_ip_access::Result<()> {{\nlet all = {}\n    .list()\n    .collect()\n    .await?;\n# let _ = all; Ok(()) }}\n```",
            self.example_chain(r)
        ));
        let text = doc(&text);
        let method_tokens = quote! {
            #text
            pub fn list(&self) -> crate::ListRequest<Self> {
                crate::ListRequest::new(self.clone())
            }
        };
        let item = quote! {
            impl crate::pagination::private::Sealed for #collection {}

            impl crate::pagination::ListPage for #collection {
                type Item = #class;

                async fn list_page(&self, cursor: crate::PageCursor) -> crate::Result<crate::Page<#class>> {
                    #(#checks)*
                    let c = self.client.bindings().#module.client();
                    let list = crate::transport::execute(&c, || crate::pagination::list_request!(
                        &c, #list_method(#(#setters),*), &cursor
                    )).await?;
                    crate::Page::new(list.#key, #next)
                }
            }
        };
        (method_tokens, item)
    }
}
