//! The embedded Twilio emulator (feature `mock`).
//!
//! [`MockTwilio`] is an in-process HTTP server that behaves like Twilio for the resources of
//! `spec/`, on one port for all three products (Voice and Trunking v1, Api 2010-04-01): the same
//! paths, HTTP Basic authentication (auth token, API keys, subaccounts), form bodies, status
//! codes, JSON shapes, dates, pagination with page tokens, and Twilio's JSON error bodies. Each
//! instance has its own data, so tests can run in parallel; dropping the handle stops the
//! server.
//!
//! ```
//! use twilio_ip_access::mock::MockTwilio;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> twilio_ip_access::Result<()> {
//! let mock = MockTwilio::start().await;
//! let client = mock.client();
//!
//! let record = client.ip_records().create("203.0.113.10").friendly_name("sbc-1").await?;
//! let sid = record.sid.clone();
//! assert_eq!(record.cidr_prefix_length, Some(32));
//! assert_eq!(record.url, format!("{}/v1/IpRecords/{sid}", mock.base_url()));
//!
//! client.ip_records().delete(&sid).await?;
//! let err = client.ip_records().fetch(&sid).await.unwrap_err();
//! assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
//! # Ok(()) }
//! ```
//!
//! The emulator is driven by the resource table (`table.rs`, one entry per spec file): one
//! router matches every resource's two paths, and one set of handlers creates, fetches, updates,
//! deletes and lists records of any resource, checking the form fields as the spec states them
//! (required, SID patterns, IPv4, lengths, bounds, enums), storing defaults, checking that
//! referenced and parent records exist, and rendering each response property from where the
//! table says it comes. SIP IP access control lists can be created through the API; SIP domains
//! and trunks are read-only there, so create them with [`MockTwilio::create_sip_domain`] and
//! [`MockTwilio::create_trunk`] (or their `_named` forms);
//! [`MockTwilio::create_ip_access_control_list`] is a shortcut for a list. Errors and failures
//! can be injected with [`MockTwilio::inject`], and every request received is kept for
//! inspection ([`MockTwilio::requests`]). Every answer can be made late
//! ([`MockConfig::latency`]), and everything the emulator holds can be saved to a JSON state file
//! and started from again ([`MockTwilio::save_state`], [`MockConfig::state`]). The `twilio-mock`
//! binary runs the same server on its own (`--latency`, `--fault`, `--state`).
//!
//! The rules enforced between resources (`rules.rs`), beyond the shape of each parameter: at most
//! 100 IP addresses per list; a referenced record (the IP record and SIP domain of a Source IP
//! Mapping, the list of an association) must exist; a list is associated with a trunk, or mapped
//! to a SIP domain, once; a list still associated or mapped cannot be deleted (400/20001, naming
//! the trunk or domain), and deleting a list deletes its IP addresses. A `Page` above 0 needs a
//! `PageToken`; bodies are at most 64 KiB.

mod catalog;
mod engine;
mod errors;
mod faults;
mod form;
mod paging;
mod routes;
mod rules;
mod server;
mod store;
mod table;

use std::{
    fmt, io,
    net::{Ipv4Addr, SocketAddr},
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use tokio::{
    net::TcpListener,
    sync::{oneshot, watch},
};

pub use faults::{Fault, FaultParseError, RecordedRequest};
use serde_json::{Map, Value};
use server::Shared;
use store::Store;
// The resources the seeding helpers create records of (renaming their spec files fails here).
use table::{SIP_DOMAIN, SIP_IP_ACCESS_CONTROL_LIST, TRUNK};

use crate::sid::{
    AccountSid, ApiKeySid, IpAccessControlListSid, Sid, SidKind, SipDomainSid, TrunkSid,
};

/// How long a shutdown waits for requests in flight before closing anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A new trunk's call transfer setting in Twilio (`trunk_enum_transfer_setting`).
const TRUNK_TRANSFER_MODE: &str = "disable-all";
/// A new trunk's caller ID for transferred calls (`trunk_enum_transfer_caller_id`).
const TRUNK_TRANSFER_CALLER_ID: &str = "from-transferee";
/// A SIP domain's `api_version`.
const API_2010: &str = "2010-04-01";

/// Stored values, by property name.
fn values<const N: usize>(pairs: [(&str, String); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(name, value)| (name.to_owned(), Value::String(value)))
        .collect()
}

/// Settings for [`MockTwilio::start_with`].
///
/// ```
/// use twilio_ip_access::{mock::MockConfig, sid::AccountSid};
///
/// let config = MockConfig {
///     account_sid: Some(AccountSid::new("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?),
///     auth_token: Some("test-token".into()),
///     ..MockConfig::default()
/// };
/// assert_eq!(config.listen.to_string(), "127.0.0.1:0");
/// assert!(!format!("{config:?}").contains("test-token"));
/// # Ok::<(), twilio_ip_access::sid::SidError>(())
/// ```
#[derive(Clone)]
pub struct MockConfig {
    /// Where to listen (default `127.0.0.1:0`: loopback, a free port).
    pub listen: SocketAddr,
    /// The main account's SID (default: a random one).
    pub account_sid: Option<AccountSid>,
    /// The main account's auth token (default: a random one). It must not be blank or contain
    /// control characters.
    pub auth_token: Option<String>,
    /// How late every answer comes (default none), as from a distant region: each request is
    /// answered this long after it would have been. The wait ends early if the emulator shuts
    /// down.
    pub latency: Duration,
    /// A state file to start from, when it exists (default none): accounts, credentials and
    /// records as [`MockTwilio::save_state`] writes them. Its account SID is the main account's;
    /// [`auth_token`](Self::auth_token), if set, replaces the file's token. A
    /// [`account_sid`](Self::account_sid) other than the file's is refused.
    pub state: Option<PathBuf>,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            account_sid: None,
            auth_token: None,
            latency: Duration::ZERO,
            state: None,
        }
    }
}

impl fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConfig")
            .field("listen", &self.listen)
            .field("account_sid", &self.account_sid)
            .field(
                "auth_token",
                &self.auth_token.as_ref().map(|_| "** redacted **"),
            )
            .field("latency", &self.latency)
            .field("state", &self.state)
            .finish()
    }
}

impl MockConfig {
    /// The store for this configuration, or why the configuration is refused.
    fn store(&self) -> io::Result<Store> {
        if let Some(token) = &self.auth_token
            && (token.trim().is_empty() || token.chars().any(char::is_control))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the auth token must not be blank or contain control characters",
            ));
        }
        let account_sid = self.account_sid.as_ref().map(|s| s.as_str().to_owned());
        match &self.state {
            Some(path) if path.exists() => {
                let store = store::load_state(path, self.auth_token.clone())?;
                if let Some(sid) = account_sid.filter(|sid| sid != store.main_account()) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{}: its account is {}, not {sid} as asked; drop the account SID or the state file",
                            path.display(),
                            store.main_account()
                        ),
                    ));
                }
                Ok(store)
            }
            _ => Ok(Store::new(account_sid, self.auth_token.clone())),
        }
    }
}

/// A running Twilio emulator. See the [module documentation](self).
///
/// Dropping it shuts the server down (a [`start_blocking`](Self::start_blocking) server's thread
/// is joined); [`shutdown`](Self::shutdown) does the same and waits for it.
pub struct MockTwilio {
    shared: Arc<Shared>,
    addr: SocketAddr,
    account_sid: AccountSid,
    auth_token: String,
    stop: watch::Sender<bool>,
    done: Option<oneshot::Receiver<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for MockTwilio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockTwilio")
            .field("base_url", &self.shared.base_url)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"** redacted **")
            .finish_non_exhaustive()
    }
}

/// A SID the emulator minted (always a prefix and 32 hex digits) as its typed form.
fn typed<K: SidKind>(sid: &str) -> Sid<K> {
    Sid::new(sid).expect("the emulator mints SIDs of the form prefix + 32 hex digits")
}

/// Serves until `shutdown` turns true (or its sender is gone), then lets requests in flight
/// finish for at most [`SHUTDOWN_GRACE`].
async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
    done: oneshot::Sender<()>,
) {
    async fn stopped(mut shutdown: watch::Receiver<bool>) {
        let _ = shutdown.wait_for(|stopped| *stopped).await;
    }
    let app = server::router(shared);
    let serve = axum::serve(listener, app).with_graceful_shutdown(stopped(shutdown.clone()));
    tokio::select! {
        _ = std::future::IntoFuture::into_future(serve) => {}
        _ = async { stopped(shutdown).await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {}
    }
    let _ = done.send(());
}

impl MockTwilio {
    /// Starts an emulator on `127.0.0.1` and a free port, with a random account SID and auth
    /// token, on the current Tokio runtime (which needs its IO and time drivers, as
    /// `#[tokio::test]` and `#[tokio::main]` provide).
    ///
    /// # Panics
    ///
    /// If `127.0.0.1:0` cannot be bound (no loopback interface, no free port), or when called
    /// outside a Tokio runtime. [`start_with`](Self::start_with) returns the error instead.
    pub async fn start() -> MockTwilio {
        match Self::start_with(MockConfig::default()).await {
            Ok(mock) => mock,
            Err(e) => panic!("the Twilio emulator cannot listen on 127.0.0.1:0: {e}"),
        }
    }

    /// Starts an emulator with `config` on the current Tokio runtime.
    ///
    /// ```
    /// use twilio_ip_access::mock::{MockConfig, MockTwilio};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let config = MockConfig { auth_token: Some("my-test-token".into()), ..MockConfig::default() };
    /// let mock = MockTwilio::start_with(config).await?;
    /// assert_eq!(mock.auth_token(), "my-test-token");
    /// assert!(mock.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// If the address cannot be bound, or the auth token is blank or holds control characters.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime; [`start_blocking`](Self::start_blocking) needs none.
    pub async fn start_with(config: MockConfig) -> io::Result<MockTwilio> {
        let store = config.store()?;
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let shared = Shared::new(addr, store, config.latency, stopped.clone());
        let (done_tx, done) = oneshot::channel();
        tokio::spawn(run(listener, shared.clone(), stopped, done_tx));
        Ok(Self::assemble(shared, addr, stop, done, None))
    }

    /// Starts an emulator like [`start`](Self::start), on a thread of its own with its own
    /// runtime: for synchronous tests and callers without Tokio.
    ///
    /// ```
    /// let mock = twilio_ip_access::mock::MockTwilio::start_blocking();
    /// let trunk = mock.create_trunk();
    /// assert!(trunk.as_str().starts_with("TK"));
    /// drop(mock); // stops the server and joins its thread
    /// ```
    ///
    /// # Panics
    ///
    /// If the thread or its runtime cannot be started, or `127.0.0.1:0` cannot be bound.
    pub fn start_blocking() -> MockTwilio {
        match Self::start_thread(MockConfig::default()) {
            Ok(mock) => mock,
            Err(e) => panic!("the Twilio emulator cannot start: {e}"),
        }
    }

    fn start_thread(config: MockConfig) -> io::Result<MockTwilio> {
        let store = config.store()?;
        let (ready_tx, ready) = std::sync::mpsc::channel::<io::Result<(Arc<Shared>, SocketAddr)>>();
        let (stop, stopped) = watch::channel(false);
        let (done_tx, done) = oneshot::channel();
        let (listen, latency) = (config.listen, config.latency);
        let thread = std::thread::Builder::new()
            .name("twilio-mock".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let bound = async {
                        let listener = TcpListener::bind(listen).await?;
                        let addr = listener.local_addr()?;
                        io::Result::Ok((listener, addr))
                    };
                    match bound.await {
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                        Ok((listener, addr)) => {
                            let shared = Shared::new(addr, store, latency, stopped.clone());
                            if ready_tx.send(Ok((shared.clone(), addr))).is_ok() {
                                run(listener, shared, stopped, done_tx).await;
                            }
                        }
                    }
                });
            })?;
        match ready.recv() {
            Ok(Ok((shared, addr))) => Ok(Self::assemble(shared, addr, stop, done, Some(thread))),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err(io::Error::other(
                    "the emulator thread stopped before it was ready",
                ))
            }
        }
    }

    fn assemble(
        shared: Arc<Shared>,
        addr: SocketAddr,
        stop: watch::Sender<bool>,
        done: oneshot::Receiver<()>,
        thread: Option<std::thread::JoinHandle<()>>,
    ) -> MockTwilio {
        let (account_sid, auth_token) = {
            let store = shared.store();
            let main = store.main_account().to_owned();
            let token = store.auth_token(&main).unwrap_or_default().to_owned();
            (typed(&main), token)
        };
        MockTwilio {
            shared,
            addr,
            account_sid,
            auth_token,
            stop,
            done: Some(done),
            thread,
        }
    }

    /// `http://127.0.0.1:PORT`: the base URL of all three products (voice, trunking and api
    /// paths are all served here). v1 resources' `url`s and next-page links start with it.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The base URL for Voice (IP Records, Source IP Mappings): the same as [`base_url`](Self::base_url).
    pub fn voice_base_url(&self) -> &str {
        self.base_url()
    }

    /// The base URL for Trunking (trunk IP Access Control Lists): the same as
    /// [`base_url`](Self::base_url).
    pub fn trunking_base_url(&self) -> &str {
        self.base_url()
    }

    /// The base URL for the 2010 API (SIP IP Addresses): the same as [`base_url`](Self::base_url).
    pub fn api_base_url(&self) -> &str {
        self.base_url()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The main account's SID.
    pub fn account_sid(&self) -> &AccountSid {
        &self.account_sid
    }

    /// The main account's auth token.
    pub fn auth_token(&self) -> &str {
        &self.auth_token
    }

    /// A client for the main account, pointed at this emulator, with the default retry policy.
    ///
    /// # Panics
    ///
    /// If the HTTP client cannot be built, which does not happen with this crate's own TLS
    /// settings; [`client_builder`](Self::client_builder) returns the error instead.
    pub fn client(&self) -> crate::Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(e) => panic!("a client for the Twilio emulator cannot be built: {e}"),
        }
    }

    /// A client builder with the emulator's base URL, account SID and auth token already set.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> twilio_ip_access::Result<()> {
    /// use twilio_ip_access::{RetryPolicy, mock::MockTwilio};
    ///
    /// let mock = MockTwilio::start().await;
    /// let (key, secret) = mock.add_api_key();
    /// let client = mock.client_builder().api_key(key.as_str(), secret).retry_policy(RetryPolicy::none()).build()?;
    /// assert!(client.ip_records().list().collect().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::Client::builder()
            .account_sid(self.account_sid.as_str())
            .auth_token(self.auth_token.as_str())
            .base_url(self.base_url())
    }

    /// Registers an API key of the main account and returns its SID and secret; they
    /// authenticate as the main account (`SK…:secret` in Basic auth).
    pub fn add_api_key(&self) -> (ApiKeySid, String) {
        let mut store = self.shared.store();
        let main = store.main_account().to_owned();
        let (sid, secret) = store.add_api_key(&main);
        (typed(&sid), secret)
    }

    /// Creates a subaccount of the main account and returns its SID and auth token. It has its
    /// own, separate resources; the main account may also act on it through 2010 paths.
    pub fn add_subaccount(&self) -> (AccountSid, String) {
        let (sid, token) = self.shared.store().add_subaccount();
        (typed(&sid), token)
    }

    /// Creates a SIP domain in the main account (for Source IP Mappings and IP access control
    /// list mappings), named `domain-N.sip.twilio.com` (friendly name `domain-N`), N counting the
    /// main account's domains from 1.
    pub fn create_sip_domain(&self) -> SipDomainSid {
        self.seed_sip_domain(|n| (format!("domain-{n}.sip.twilio.com"), format!("domain-{n}")))
    }

    /// Creates a SIP domain in the main account with this domain name and friendly name.
    pub fn create_sip_domain_named(&self, domain_name: &str, friendly_name: &str) -> SipDomainSid {
        self.seed_sip_domain(|_| (domain_name.to_owned(), friendly_name.to_owned()))
    }

    /// A SIP domain with the (domain name, friendly name) `names(N)` gives.
    fn seed_sip_domain(&self, names: impl FnOnce(usize) -> (String, String)) -> SipDomainSid {
        self.seed(SIP_DOMAIN, |n| {
            let (domain_name, friendly_name) = names(n);
            values([
                ("domain_name", domain_name),
                ("friendly_name", friendly_name),
                ("api_version", API_2010.to_owned()),
            ])
        })
    }

    /// Creates a SIP trunk in the main account (for its IP access control lists), named
    /// `trunk-N` (domain name `trunk-N.pstn.twilio.com`), N counting the main account's trunks
    /// from 1.
    pub fn create_trunk(&self) -> TrunkSid {
        self.seed_trunk(|n| (format!("trunk-{n}"), format!("trunk-{n}.pstn.twilio.com")))
    }

    /// Creates a SIP trunk in the main account with this friendly name and termination domain
    /// name.
    pub fn create_trunk_named(&self, friendly_name: &str, domain_name: &str) -> TrunkSid {
        self.seed_trunk(|_| (friendly_name.to_owned(), domain_name.to_owned()))
    }

    /// A trunk with the (friendly name, domain name) `names(N)` gives and Twilio's transfer
    /// settings of a new trunk.
    fn seed_trunk(&self, names: impl FnOnce(usize) -> (String, String)) -> TrunkSid {
        self.seed(TRUNK, |n| {
            let (friendly_name, domain_name) = names(n);
            values([
                ("friendly_name", friendly_name),
                ("domain_name", domain_name),
                ("transfer_mode", TRUNK_TRANSFER_MODE.to_owned()),
                ("transfer_caller_id", TRUNK_TRANSFER_CALLER_ID.to_owned()),
            ])
        })
    }

    /// Creates an empty SIP IP access control list in the main account (to hold IP addresses,
    /// and to associate with trunks and map to SIP domains), as a `POST` to
    /// `/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists.json` would.
    pub fn create_ip_access_control_list(&self, friendly_name: &str) -> IpAccessControlListSid {
        self.seed(SIP_IP_ACCESS_CONTROL_LIST, |_| {
            values([("friendly_name", friendly_name.to_owned())])
        })
    }

    /// Creates a record of `resource` in the main account, with the values `values(N)` gives,
    /// N being the number of such records once it is added.
    fn seed<K: SidKind>(
        &self,
        resource: &'static table::Resource,
        values: impl FnOnce(usize) -> Map<String, Value>,
    ) -> Sid<K> {
        let mut store = self.shared.store();
        let main = store.main_account().to_owned();
        let count = store
            .account(&main)
            .map_or(0, |account| account.records(resource).len());
        typed(&store.seed(resource, values(count + 1)))
    }

    /// Every request received so far, oldest first (rejected ones included), with the
    /// `Authorization` header redacted. The log keeps the last 10,000 requests (fewer if their
    /// bodies add up to more than 16 MiB).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    /// Empties the request log, and restarts [`peak_requests_in_flight`](Self::peak_requests_in_flight)
    /// from the requests in flight now.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// The most requests this emulator was answering at once (from arrival to answer, its
    /// [`latency`](MockConfig::latency) and injected delays included) since it started or since
    /// [`clear_requests`](Self::clear_requests): what a client's concurrency, or a
    /// [`RequestLimit`](crate::RequestLimit) shared by several clients, let through.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> twilio_ip_access::Result<()> {
    /// let mock = twilio_ip_access::mock::MockTwilio::start().await;
    /// assert_eq!(mock.peak_requests_in_flight(), 0);
    /// mock.client().ip_records().list().send().await?;
    /// mock.client().ip_records().list().send().await?;
    /// assert_eq!(mock.peak_requests_in_flight(), 1); // one after the other
    /// # Ok(()) }
    /// ```
    pub fn peak_requests_in_flight(&self) -> usize {
        self.shared.log.peak_in_flight()
    }

    /// Adds a fault; faults apply in the order they were added.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use twilio_ip_access::{RetryPolicy, mock::{Fault, MockTwilio}};
    ///
    /// let mock = MockTwilio::start().await;
    /// mock.inject(Fault::on("GET", "/v1/IpRecords").status(503));
    /// let client = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    /// let err = client.ip_records().list().send().await.unwrap_err();
    /// assert_eq!((err.status(), err.code()), (Some(503), Some(20503)));
    /// assert!(client.ip_records().list().send().await.is_ok()); // the fault applied once
    /// # }
    /// ```
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.push(fault);
    }

    /// Stops the server and waits until it has: requests in flight get up to 5 seconds to
    /// finish.
    pub async fn shutdown(mut self) {
        self.stop_serving().await;
    }

    /// Stops the server like [`shutdown`](Self::shutdown), then saves what it holds to `path`
    /// as [`save_state`](Self::save_state) does: the writes in flight are in the file.
    ///
    /// # Errors
    ///
    /// If the file cannot be written; the server has stopped all the same.
    pub async fn shutdown_and_save(mut self, path: &Path) -> io::Result<()> {
        self.stop_serving().await;
        self.save_state(path)
    }

    async fn stop_serving(&mut self) {
        let _ = self.stop.send(true);
        if let Some(done) = self.done.take() {
            let _ = done.await;
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Writes every account, credential and record to `path` as JSON, in the format
    /// [`MockConfig::state`] loads: to a temporary file in the same directory first, then
    /// renamed over `path`, so that a reader never sees half a file. The requests being
    /// handled meanwhile are either wholly in the file or not at all.
    ///
    /// ```
    /// use twilio_ip_access::mock::{MockConfig, MockTwilio};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let path = std::env::temp_dir().join(format!("twilio-mock-doc-{}.json", std::process::id()));
    /// let mock = MockTwilio::start().await;
    /// let acl = mock.create_ip_access_control_list("office");
    /// mock.save_state(&path)?;
    ///
    /// let config = MockConfig { state: Some(path.clone()), ..MockConfig::default() };
    /// let again = MockTwilio::start_with(config).await?;
    /// assert_eq!(again.account_sid(), mock.account_sid());
    /// let lists = again.client().sip_ip_access_control_lists().list().collect().await?;
    /// assert_eq!(lists[0].sid.as_str(), acl.as_str());
    /// # std::fs::remove_file(&path)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// If the file cannot be written or renamed.
    pub fn save_state(&self, path: &Path) -> io::Result<()> {
        let state = self.shared.store().to_state();
        store::save_state(path, &state)
    }
}

impl Drop for MockTwilio {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_helpers_name_their_records() {
        let mock = MockTwilio::start_blocking();
        let first = mock.create_trunk();
        let named = mock.create_trunk_named("edge", "edge.pstn.twilio.com");
        let domain = mock.create_sip_domain();
        let named_domain = mock.create_sip_domain_named("office.sip.twilio.com", "office");
        let acl = mock.create_ip_access_control_list("lan");
        let store = mock.shared.store();
        let account = store.account(store.main_account()).unwrap();
        let value = |resource: &'static table::Resource, sid: &str, name: &str| {
            account.find(resource, &[], sid).unwrap().values[name].clone()
        };
        assert_eq!(value(TRUNK, first.as_str(), "friendly_name"), "trunk-1");
        assert_eq!(
            value(TRUNK, first.as_str(), "domain_name"),
            "trunk-1.pstn.twilio.com"
        );
        assert_eq!(value(TRUNK, named.as_str(), "friendly_name"), "edge");
        assert_eq!(
            value(TRUNK, named.as_str(), "domain_name"),
            "edge.pstn.twilio.com"
        );
        assert_eq!(
            value(SIP_DOMAIN, domain.as_str(), "domain_name"),
            "domain-1.sip.twilio.com"
        );
        assert_eq!(value(SIP_DOMAIN, domain.as_str(), "api_version"), API_2010);
        assert_eq!(
            value(SIP_DOMAIN, named_domain.as_str(), "friendly_name"),
            "office"
        );
        assert_eq!(
            value(SIP_IP_ACCESS_CONTROL_LIST, acl.as_str(), "friendly_name"),
            "lan"
        );
    }
}
