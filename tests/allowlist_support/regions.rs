//! Several emulators on 127.0.0.1, each standing for a region of Twilio: an account of its own
//! (given SID and auth token) at a base URL of its own, as an estate's `[accounts.NAME]` tables
//! reach them with `base_url`.

use tokio::runtime::Runtime;
use twilio_ip_access::{
    Client,
    mock::{MockConfig, MockTwilio},
    sid::AccountSid,
};

/// One region's emulator and the account it serves.
#[derive(Debug)]
pub struct Region {
    /// The region's name, as `region = "…"` gives it (`us1`, `ie1`, …).
    pub region: String,
    pub mock: MockTwilio,
}

impl Region {
    /// The emulator's base URL, for every product.
    pub fn base_url(&self) -> &str {
        self.mock.base_url()
    }

    pub fn account_sid(&self) -> &str {
        self.mock.account_sid().as_str()
    }

    pub fn auth_token(&self) -> &str {
        self.mock.auth_token()
    }

    /// A client of the region's main account.
    pub fn client(&self) -> Client {
        self.mock.client()
    }

    /// Creates a subaccount of the region's main account: its SID and its own auth token.
    pub fn subaccount(&self) -> (AccountSid, String) {
        self.mock.add_subaccount()
    }
}

/// The emulators of a test, in the order they were asked for.
#[derive(Debug)]
pub struct Regions {
    pub regions: Vec<Region>,
    /// The runtime of emulators started by [`Regions::start_blocking`], dropped after them.
    _runtime: Option<Runtime>,
}

/// One region to start: its name, the account SID and the auth token its emulator accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec<'a> {
    pub region: &'a str,
    pub account_sid: &'a str,
    pub auth_token: &'a str,
}

/// `us1` and `ie1`, with fixed accounts and tokens.
pub const TWO: [Spec<'static>; 2] = [
    Spec {
        region: "us1",
        account_sid: "AC11111111111111111111111111111111",
        auth_token: "us1-test-token",
    },
    Spec {
        region: "ie1",
        account_sid: "AC22222222222222222222222222222222",
        auth_token: "ie1-test-token",
    },
];

fn config(spec: &Spec<'_>) -> MockConfig {
    MockConfig {
        account_sid: Some(AccountSid::new(spec.account_sid).expect("a valid account SID")),
        auth_token: Some(spec.auth_token.to_owned()),
        ..MockConfig::default()
    }
}

impl Regions {
    /// Starts one emulator per spec on the current runtime (a `#[tokio::test]`'s).
    pub async fn start(specs: &[Spec<'_>]) -> Regions {
        let mut regions = Vec::new();
        for spec in specs {
            let mock = MockTwilio::start_with(config(spec))
                .await
                .expect("an emulator on 127.0.0.1");
            regions.push(Region {
                region: spec.region.to_owned(),
                mock,
            });
        }
        Regions {
            regions,
            _runtime: None,
        }
    }

    /// Starts them on a runtime of their own, for tests without one (those running the
    /// binaries).
    pub fn start_blocking(specs: &[Spec<'_>]) -> Regions {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let regions = runtime.block_on(Regions::start(specs)).regions;
        Regions {
            regions,
            _runtime: Some(runtime),
        }
    }

    /// The region named `region`.
    pub fn get(&self, region: &str) -> &Region {
        self.regions
            .iter()
            .find(|r| r.region == region)
            .unwrap_or_else(|| panic!("no region {region} among {:?}", self.regions))
    }

    /// The environment variable holding the auth token of the region's account in
    /// [`accounts_toml`](Self::accounts_toml): `US1_AUTH_TOKEN`.
    pub fn token_env(region: &str) -> String {
        format!(
            "{}_AUTH_TOKEN",
            region.to_ascii_uppercase().replace('-', "_")
        )
    }

    /// Every region's token in its variable, for a command's environment.
    pub fn env(&self) -> Vec<(String, String)> {
        self.regions
            .iter()
            .map(|r| (Self::token_env(&r.region), r.auth_token().to_owned()))
            .collect()
    }

    /// An `[accounts.REGION]` table per region: its account SID, the variable of its token, its
    /// region and its emulator's base URL.
    pub fn accounts_toml(&self) -> String {
        self.regions
            .iter()
            .map(|r| {
                format!(
                    "[accounts.{region}]\naccount_sid = \"{sid}\"\nauth_token_env = \"{env}\"\nregion = \"{region}\"\nbase_url = \"{url}\"\n\n",
                    region = r.region,
                    sid = r.account_sid(),
                    env = Self::token_env(&r.region),
                    url = r.base_url(),
                )
            })
            .collect()
    }
}
