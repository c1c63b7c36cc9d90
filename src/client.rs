//! The client and its configuration.

use std::{fmt, sync::Arc, time::Duration};

use secrecy::SecretString;
use url::Url;

use crate::{
    auth::Credentials,
    error::{Error, Result},
    hosts,
    limit::RequestLimit,
    resources::{Bindings, PRODUCTS},
    retry::RetryPolicy,
    sid::AccountSid,
    transport::Transport,
};

/// A Twilio client for the IP access resources. Cheap to clone: clones share one connection
/// pool and configuration.
///
/// Its methods that name resources (`ip_records()`, `trunk(sid)`, …) are generated from
/// `spec/`; see [`crate::resources`].
///
/// ```no_run
/// # async fn run() -> Result<(), twilio_ip_access::Error> {
/// let client = twilio_ip_access::Client::from_env()?;
/// let record = client.ip_records().create("203.0.113.10").friendly_name("office").send().await?;
/// println!("{}", record.sid);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What every clone of a client shares. The generated builders reach it through
/// [`Client::call`].
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) account_sid: AccountSid,
    /// Whether the credentials are another account's (a parent's, with
    /// [`ClientBuilder::subaccount`]): Trunking v1 and Voice v1 then act on that account.
    through_parent: bool,
    pub(crate) transport: Transport,
    /// One generated client per spec file.
    pub(crate) bindings: Bindings,
    /// (product, base URL after routing), in product order.
    base_urls: Vec<(&'static str, String)>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("account_sid", &self.inner.account_sid)
            .field("base_urls", &self.inner.base_urls)
            .field("transport", &self.inner.transport)
            .finish()
    }
}

impl Client {
    /// A builder for every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment variables Twilio's helper libraries use:
    /// `TWILIO_ACCOUNT_SID` with `TWILIO_AUTH_TOKEN`, or `TWILIO_API_KEY` + `TWILIO_API_SECRET`
    /// with `TWILIO_ACCOUNT_SID`; and `TWILIO_REGION`, `TWILIO_EDGE`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// The account requests act on (it fills `{AccountSid}` in 2010 paths): the
    /// [`subaccount`](ClientBuilder::subaccount) when one is set, else the credentials' account.
    pub fn account_sid(&self) -> &AccountSid {
        &self.inner.account_sid
    }

    /// Whether it acts on a subaccount with the credentials of its parent
    /// ([`ClientBuilder::subaccount`]): Api 2010 paths then name the subaccount, but Trunking
    /// v1 and Voice v1 act on the parent, whose credentials sign.
    pub fn acts_through_parent(&self) -> bool {
        self.inner.through_parent
    }

    /// The base URL of each product after region/edge routing, by product name (`api`,
    /// `trunking`, `voice`): `[("api", "https://api.twilio.com"), …]`.
    pub fn base_urls(&self) -> Vec<(&'static str, &str)> {
        self.inner
            .base_urls
            .iter()
            .map(|(product, url)| (*product, url.as_str()))
            .collect()
    }

    /// The base URL of one product (`voice`, `trunking`, `api`) after routing.
    pub fn base_url(&self, product: &str) -> Option<&str> {
        self.inner
            .base_urls
            .iter()
            .find(|(p, _)| *p == product)
            .map(|(_, url)| url.as_str())
    }

    /// Where each spec file's operations go. Every generated builder makes its generated
    /// client here and sends it through [`crate::transport::execute`].
    pub(crate) fn bindings(&self) -> &Bindings {
        &self.inner.bindings
    }
}

/// Configuration for a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use twilio_ip_access::Client;
///
/// let client = Client::builder()
///     .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .auth_token("token")
///     .region("au1")
///     .edge("sydney")
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(client.base_url("voice"), Some("https://voice.sydney.au1.twilio.com"));
/// # Ok::<(), twilio_ip_access::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    account_sid: Option<String>,
    /// The subaccount that fills `{AccountSid}` in Api 2010 paths, signed for by the
    /// credentials' (parent) account.
    subaccount: Option<String>,
    auth_token: Option<SecretString>,
    api_key: Option<(String, SecretString)>,
    region: Option<String>,
    edge: Option<String>,
    /// Base URLs given by hand, by product; the last one given for a product wins.
    base_urls: Vec<(String, String)>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    http_client: Option<reqwest::Client>,
    request_limit: Option<RequestLimit>,
    /// A half-set pair of environment variables, reported by `build`.
    env_problem: Option<&'static str>,
    /// Filled from the environment: errors name its variables only, as a command line's user
    /// sets them (not the builder's methods).
    from_env: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            credentials: None,
            account_sid: None,
            subaccount: None,
            auth_token: None,
            api_key: None,
            region: None,
            edge: None,
            base_urls: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            timeout: Some(Duration::from_secs(30)),
            deadline: None,
            retry: RetryPolicy::default(),
            http_client: None,
            request_limit: None,
            env_problem: None,
            from_env: false,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("account_sid", &self.account_sid)
            .field("subaccount", &self.subaccount)
            .field(
                "auth_token",
                &self.auth_token.as_ref().map(|_| "** redacted **"),
            )
            .field(
                "api_key",
                &self
                    .api_key
                    .as_ref()
                    .map(|(sid, _)| (sid, "** redacted **")),
            )
            .field("region", &self.region)
            .field("edge", &self.edge)
            .field("base_urls", &self.base_urls)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("request_limit", &self.request_limit)
            .field("env_problem", &self.env_problem)
            .field("from_env", &self.from_env)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder filled from the environment (see [`Client::from_env`]); further settings can be
    /// chained before [`build`](Self::build).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    pub(crate) fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let (api_key, env_problem) = match (get("TWILIO_API_KEY"), get("TWILIO_API_SECRET")) {
            (Some(key), Some(secret)) => (Some((key, SecretString::from(secret))), None),
            (Some(_), None) => (
                None,
                Some("TWILIO_API_KEY is set but TWILIO_API_SECRET is not"),
            ),
            (None, Some(_)) => (
                None,
                Some("TWILIO_API_SECRET is set but TWILIO_API_KEY is not"),
            ),
            (None, None) => (None, None),
        };
        Self {
            env_problem,
            from_env: true,
            account_sid: get("TWILIO_ACCOUNT_SID"),
            auth_token: get("TWILIO_AUTH_TOKEN").map(SecretString::from),
            api_key,
            region: get("TWILIO_REGION"),
            edge: get("TWILIO_EDGE"),
            ..Self::default()
        }
    }

    /// The account SID (`AC…`).
    pub fn account_sid(mut self, account_sid: impl Into<String>) -> Self {
        self.account_sid = Some(account_sid.into());
        self
    }

    /// Acts on a subaccount (`AC…`) of the account whose credentials sign the requests: its SID
    /// fills `{AccountSid}` in Api 2010 paths (SIP domains, IP access control lists and their
    /// addresses, credential lists), and [`Client::account_sid`] returns it. Twilio's Trunking
    /// v1 and Voice v1 APIs (trunks, BYOC IP Records, Source IP Mappings) have no account in
    /// their paths: they act on the account whose credentials sign, the parent, whatever is
    /// set here. To manage a subaccount's trunks or IP Records, use its own auth token or an
    /// API key made in it.
    pub fn subaccount(mut self, account_sid: impl Into<String>) -> Self {
        self.subaccount = Some(account_sid.into());
        self
    }

    /// The account's auth token.
    pub fn auth_token(mut self, auth_token: impl Into<String>) -> Self {
        self.auth_token = Some(SecretString::from(auth_token.into()));
        self
    }

    /// An API key (`SK…`) and its secret, used instead of the auth token. The account SID is
    /// still required.
    pub fn api_key(mut self, key_sid: impl Into<String>, secret: impl Into<String>) -> Self {
        self.api_key = Some((key_sid.into(), SecretString::from(secret.into())));
        self.env_problem = None;
        self
    }

    /// Ready-made credentials (overrides the other credential settings).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The region (`au1`, `ie1`, `us1`, …): requests go to `{product}.{edge}.{region}.twilio.com`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The edge location (`sydney`, `dublin`, …); with no region set, the region is `us1`.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Replaces one product's host (`voice`, `trunking` or `api`: the first label of the host
    /// its spec files name). An unknown product is a configuration error at `build`. Each
    /// product also has its own setter, generated from the spec (`voice_base_url`, …).
    pub fn product_base_url(mut self, product: impl Into<String>, url: impl Into<String>) -> Self {
        self.base_urls.push((product.into(), url.into()));
        self
    }

    /// Sends every product to one base URL, as an emulator serving them all expects.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        for (product, _) in PRODUCTS {
            self = self.product_base_url(*product, url.clone());
        }
        self
    }

    /// How long to wait for a connection (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending to the end of the response (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No per-attempt timeout.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// How long one call may take in all, retries and their delays included (default: none).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// When failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses this `reqwest::Client` (for proxies, custom TLS, DNS overrides). It must come from
    /// reqwest 0.13, the version this crate re-exports as [`crate::reqwest`]. Redirects should be
    /// off, as in the client this crate builds itself.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Shares `limit` with the other clients given it: together they have at most
    /// [`limit.bound()`](RequestLimit::bound) requests in flight (default: no bound but the
    /// caller's own concurrency). For an estate of accounts, one client each, under one bound.
    pub fn request_limit(mut self, limit: RequestLimit) -> Self {
        self.request_limit = Some(limit);
        self
    }

    /// Checks the configuration and builds the client. Errors are [`Error::Config`].
    pub fn build(self) -> Result<Client> {
        if let (Some(problem), None) = (self.env_problem, &self.credentials) {
            return Err(Error::config(problem));
        }
        let credentials = match self.credentials {
            Some(credentials) => credentials,
            None => {
                let account = self.account_sid.as_deref().ok_or_else(|| {
                    Error::config(if self.from_env {
                        "no account SID: set TWILIO_ACCOUNT_SID"
                    } else {
                        "no account SID: set TWILIO_ACCOUNT_SID or call `account_sid(..)`"
                    })
                })?;
                if self.from_env
                    && account
                        .starts_with(<crate::sid::kind::ApiKey as crate::sid::SidKind>::PREFIX)
                {
                    return Err(Error::config(
                        "TWILIO_ACCOUNT_SID holds an API key SID (SK…): put the key in \
                         TWILIO_API_KEY (with TWILIO_API_SECRET) and the account SID (AC…) in \
                         TWILIO_ACCOUNT_SID",
                    ));
                }
                use secrecy::ExposeSecret;
                match (&self.api_key, &self.auth_token) {
                    (Some((key, secret)), _) => {
                        Credentials::api_key(account, key, secret.expose_secret())?
                    }
                    (None, Some(token)) => Credentials::auth_token(account, token.expose_secret())?,
                    (None, None) => {
                        return Err(Error::config(
                            "no credentials: set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET",
                        ));
                    }
                }
            }
        };
        let region = self
            .region
            .as_deref()
            .map(|r| label("region", r))
            .transpose()?;
        let edge = self.edge.as_deref().map(|e| label("edge", e)).transpose()?;
        let custom_client = self.http_client.is_some();
        let from_env = self.from_env;
        let base = |given: Option<String>, default: &str, what: &str| -> Result<String> {
            let text = given.unwrap_or_else(|| default.to_owned());
            // The text is not repeated in errors until it is known to hold no credentials.
            let url = Url::parse(&text)
                .map_err(|e| Error::config(format!("{what} base URL is not a URL: {e}")))?;
            if !url.username().is_empty() || url.password().is_some() {
                // reqwest's own client reads the proxy from the environment.
                let proxy = if from_env {
                    "set HTTPS_PROXY (or HTTP_PROXY) with its credentials"
                } else {
                    "pass a configured `http_client(..)`"
                };
                return Err(Error::config(format!(
                    "{what} base URL must not carry credentials (user:password@); \
                     for an authenticating proxy, {proxy}"
                )));
            }
            if !matches!(url.scheme(), "http" | "https")
                || url.query().is_some()
                || url.host().is_none()
            {
                return Err(Error::config(format!(
                    "{what} base URL `{text}` must be an http(s) URL with a host and no query"
                )));
            }
            if url.scheme() == "https" && !cfg!(feature = "rustls") && !custom_client {
                return Err(Error::config(format!(
                    "{what} base URL `{text}` needs TLS: enable the `rustls` feature or pass `http_client(..)`"
                )));
            }
            let routed = hosts::route(url, region, edge);
            // progenitor appends each path to the base verbatim.
            Ok(routed.as_str().trim_end_matches('/').to_owned())
        };
        if let Some((product, _)) = self
            .base_urls
            .iter()
            .find(|(p, _)| !PRODUCTS.iter().any(|(known, _)| known == p))
        {
            let known: Vec<&str> = PRODUCTS.iter().map(|(p, _)| *p).collect();
            return Err(Error::config(format!(
                "unknown product `{product}` for a base URL; the products are {known:?}"
            )));
        }
        let mut base_urls = Vec::new();
        for (product, default) in PRODUCTS {
            let given = self
                .base_urls
                .iter()
                .rev()
                .find(|(p, _)| p == product)
                .map(|(_, url)| url.clone());
            base_urls.push((*product, base(given, default, product)?));
        }

        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // Like Twilio's own libraries: a redirect is reported, never followed with credentials.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::config(format!("HTTP client: {e}")))?,
        };
        let transport = Transport::new(
            credentials.header(),
            self.timeout,
            self.deadline,
            self.retry,
            self.request_limit,
        );
        let bindings = Bindings::new(&base_urls, &http, &transport);
        let account_sid = match self.subaccount.as_deref() {
            None => credentials.account_sid().clone(),
            Some(sid) => sid
                .parse()
                .map_err(|e| Error::config(format!("subaccount: {e}")))?,
        };
        let inner = Inner {
            through_parent: &account_sid != credentials.account_sid(),
            account_sid,
            bindings,
            transport,
            base_urls,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

/// A region or edge becomes a DNS label: keep it to what a label may hold.
pub(crate) fn label<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(value)
    } else {
        Err(Error::config(format!(
            "{what} `{value}` is not a lowercase DNS label such as `au1` or `sydney`"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> ClientBuilder {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ClientBuilder::from_lookup(move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn env_auth_token_region_edge() {
        let client = env(&[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "tok"),
            ("TWILIO_REGION", "au1"),
            ("TWILIO_EDGE", "sydney"),
        ])
        .build()
        .unwrap();
        assert_eq!(client.account_sid(), AC);
        assert_eq!(
            client.base_urls(),
            [
                ("api", "https://api.sydney.au1.twilio.com"),
                ("trunking", "https://trunking.sydney.au1.twilio.com"),
                ("voice", "https://voice.sydney.au1.twilio.com"),
            ]
        );
    }

    #[test]
    fn env_api_key() {
        let builder = env(&[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_API_KEY", SK),
            ("TWILIO_API_SECRET", "s3cr3t"),
        ]);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        let client = builder.build().unwrap();
        assert_eq!(client.account_sid(), AC);
        assert!(!format!("{client:?}").contains("s3cr3t"));
    }

    #[test]
    fn configuration_errors() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[], "no account SID"),
            (&[("TWILIO_ACCOUNT_SID", AC)], "no credentials"),
            (
                &[
                    ("TWILIO_ACCOUNT_SID", AC),
                    ("TWILIO_AUTH_TOKEN", "t"),
                    ("TWILIO_API_KEY", SK),
                ],
                "TWILIO_API_KEY is set but TWILIO_API_SECRET is not",
            ),
            (
                &[("TWILIO_ACCOUNT_SID", AC), ("TWILIO_API_SECRET", "s")],
                "TWILIO_API_SECRET is set but TWILIO_API_KEY is not",
            ),
            (
                &[("TWILIO_ACCOUNT_SID", SK), ("TWILIO_AUTH_TOKEN", "t")],
                "API key SID (SK…)",
            ),
            (
                &[("TWILIO_ACCOUNT_SID", "ACzz"), ("TWILIO_AUTH_TOKEN", "t")],
                "account SID: an Account SID is 34",
            ),
            (
                &[
                    ("TWILIO_ACCOUNT_SID", AC),
                    ("TWILIO_AUTH_TOKEN", "t"),
                    ("TWILIO_REGION", "AU 1"),
                ],
                "region `AU 1`",
            ),
            (
                &[
                    ("TWILIO_ACCOUNT_SID", AC),
                    ("TWILIO_API_KEY", AC),
                    ("TWILIO_API_SECRET", "s"),
                ],
                "API key: an ApiKey SID starts with `SK`",
            ),
        ];
        for (vars, expected) in cases {
            let err = env(vars).build().unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{err:?}");
            assert!(err.to_string().contains(expected), "{vars:?}: {err}");
        }
        let err = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .voice_base_url("ftp://x")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("must be an http(s) URL"), "{err}");
        let err = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .api_base_url("http://proxy:hunter2@127.0.0.1:8080")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid configuration: api base URL must not carry credentials (user:password@); \
             for an authenticating proxy, pass a configured `http_client(..)`"
        );
        let err = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .api_base_url("http://user:hunter2@[bad")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn a_subaccount_fills_the_account_and_is_checked() {
        const SUB: &str = "ACcccccccccccccccccccccccccccccccc";
        let client = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .subaccount(SUB)
            .build()
            .unwrap();
        assert_eq!(client.account_sid(), SUB);
        let err = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .subaccount(SK)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with("invalid configuration: subaccount: "),
            "{err}"
        );
    }

    #[test]
    fn overrides_are_kept_and_not_routed() {
        let client = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .edge("sydney")
            .base_url("http://127.0.0.1:4010/")
            .build()
            .unwrap();
        assert_eq!(
            client.base_urls(),
            [
                ("api", "http://127.0.0.1:4010"),
                ("trunking", "http://127.0.0.1:4010"),
                ("voice", "http://127.0.0.1:4010"),
            ]
        );
        let err = Client::builder()
            .account_sid(AC)
            .auth_token("t")
            .product_base_url("messaging", "http://127.0.0.1:4010")
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("unknown product `messaging`"),
            "{err}"
        );
    }
}
