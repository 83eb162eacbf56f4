//! Configuration: command-line flags, each with an environment variable and a default.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `REENGAGE_ADDR` | `LEPTOS_SITE_ADDR`, else `127.0.0.1:3000` | address to listen on |
//! | `DATABASE_URL` | `sqlite:data/reengage.db` | `sqlite:PATH` (created if absent) or `postgres://…` |
//! | `REENGAGE_LOG` | `info` | log filter (`tracing` env-filter syntax); `info` includes the access log |
//! | `REENGAGE_LOG_FORMAT` | `text` | `json`: one JSON object per line, for a log collector |
//! | `REENGAGE_METRICS_TOKEN` | (none: this machine only) | `GET /metrics` answers a request with `Authorization: Bearer` this token, besides requests from this machine |
//! | `REENGAGE_SECURE_COOKIES` | `false` | `Secure` + `__Host-` cookies, for HTTPS |
//! | `LEPTOS_SITE_ROOT` | `target/site` | the built site (wasm, JS, CSS) |
//! | `REENGAGE_REQUEST_TIMEOUT_SECONDS` | `30` | a request's time limit, its upload included |
//! | `REENGAGE_HEADER_READ_TIMEOUT_SECONDS` | `10` | time to send a request's headers |
//! | `REENGAGE_MAX_CONNECTIONS` | `1024` | connections open at once; more wait |
//! | `REENGAGE_TRUSTED_PROXIES` | (none) | proxies whose `X-Forwarded-For`/`Forwarded` name the client |
//! | `REENGAGE_SMTP_HOST` | (none: no digest) | the SMTP server the morning digest e-mail is sent through |
//! | `REENGAGE_SMTP_PORT` | `587` | its port |
//! | `REENGAGE_SMTP_STARTTLS` | `true` | upgrade to TLS with STARTTLS before sending (`false`: plain, a local relay only) |
//! | `REENGAGE_SMTP_USERNAME`, `REENGAGE_SMTP_PASSWORD` | (none) | SMTP credentials, both or neither |
//! | `REENGAGE_SMTP_FROM` | (none; needed with a host) | the digest's From address |
//! | `REENGAGE_DIGEST_INTERVAL_SECONDS` | `60` | how often the server looks for digests due |
//! | `REENGAGE_OIDC_ISSUER` | (none) | agency single sign-on: the OpenID Provider's issuer URL |
//! | `REENGAGE_OIDC_CLIENT_ID` | (none) | Re-engage's client id there |
//! | `REENGAGE_OIDC_CLIENT_SECRET` | (none) | its client secret (a confidential client) |
//! | `REENGAGE_OIDC_REDIRECT_URL` | (none) | this server's `…/signin/sso/callback`, as registered |
//! | `REENGAGE_AUDIT_KEY` | (the key file's) | the audit chain's HMAC key, kept outside the database |
//! | `REENGAGE_AUDIT_KEY_FILE` | `audit.key` beside an SQLite database, else `data/audit.key` | created on first use |
//! | `REENGAGE_AUDIT_ANCHOR` | `audit.anchor` beside the key file | the chain's signed head, written each minute |
//! | `REENGAGE_PUBLIC_URL` | `http://127.0.0.1:3000` | the address people reach Re-engage at, for absolute links (calendar feeds) |

use std::net::SocketAddr;

use clap::{Parser, Subcommand};
use leptos::config::{LeptosOptions, get_configuration};

use crate::cli::StartError;

/// Default database: an SQLite file under `./data`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/reengage.db";

#[derive(Debug, Parser)]
#[command(
    name = "reengage",
    version,
    about = "Re-engage: TANF/JOBS re-engagement, on time and in order"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address to listen on [default: LEPTOS_SITE_ADDR, else 127.0.0.1:3000].
    #[arg(long, env = "REENGAGE_ADDR", global = true)]
    pub addr: Option<SocketAddr>,

    /// Database URL: `sqlite:PATH` (created if absent) or `postgres://USER@HOST/NAME`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,

    /// Mark cookies `Secure` with the `__Host-` prefix: set it when served over HTTPS.
    #[arg(
        long,
        env = "REENGAGE_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Minutes without a request after which a signed-in session ends.
    #[arg(
        long,
        env = "REENGAGE_SESSION_IDLE_MINUTES",
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=1440),
        global = true
    )]
    pub session_idle_minutes: u32,

    /// Hours after sign-in at which a session ends however busy it is.
    #[arg(
        long,
        env = "REENGAGE_SESSION_ABSOLUTE_HOURS",
        default_value_t = 12,
        value_parser = clap::value_parser!(u32).range(1..=168),
        global = true
    )]
    pub session_absolute_hours: u32,

    /// Seconds a request may take, its upload included, before it is answered 408 and its
    /// unfinished work rolled back.
    #[arg(
        long,
        env = "REENGAGE_REQUEST_TIMEOUT_SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=600),
        global = true
    )]
    pub request_timeout_seconds: u64,

    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` name the client: addresses and
    /// CIDR networks, comma-separated (e.g. `127.0.0.1,10.0.0.0/8`). Empty: none.
    #[arg(
        long,
        env = "REENGAGE_TRUSTED_PROXIES",
        default_value = "",
        value_parser = crate::web::client::TrustedProxies::parse,
        global = true
    )]
    pub trusted_proxies: crate::web::client::TrustedProxies,

    /// Agency single sign-on: the OpenID Provider's issuer URL. Set with the client id and
    /// the redirect URL, or not at all.
    #[arg(long, env = "REENGAGE_OIDC_ISSUER", global = true)]
    pub oidc_issuer: Option<String>,

    /// Re-engage's client id at the OpenID Provider.
    #[arg(long, env = "REENGAGE_OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,

    /// Re-engage's client secret at the OpenID Provider (a confidential client).
    #[arg(
        long,
        env = "REENGAGE_OIDC_CLIENT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,

    /// Where the provider sends the browser back: this server's public
    /// `https://…/signin/sso/callback`, as registered with the provider.
    #[arg(long, env = "REENGAGE_OIDC_REDIRECT_URL", global = true)]
    pub oidc_redirect_url: Option<String>,

    /// The SMTP server the morning digest e-mail is sent through (docs/digest.md). Unset: no
    /// digest is sent.
    #[arg(long, env = "REENGAGE_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,

    /// The SMTP server's port.
    #[arg(long, env = "REENGAGE_SMTP_PORT", default_value_t = 587, global = true)]
    pub smtp_port: u16,

    /// Upgrade the SMTP connection with STARTTLS before anything is sent (`false`: plain,
    /// for a relay on the same host or network only).
    #[arg(
        long,
        env = "REENGAGE_SMTP_STARTTLS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub smtp_starttls: bool,

    /// The SMTP user name, if the server asks for one (with the password).
    #[arg(long, env = "REENGAGE_SMTP_USERNAME", global = true)]
    pub smtp_username: Option<String>,

    /// The SMTP password.
    #[arg(
        long,
        env = "REENGAGE_SMTP_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,

    /// The digest's From address, e.g. `Re-engage <reengage@agency.example>`.
    #[arg(long, env = "REENGAGE_SMTP_FROM", global = true)]
    pub smtp_from: Option<String>,

    /// Seconds between two looks for morning digests due.
    #[arg(
        long,
        env = "REENGAGE_DIGEST_INTERVAL_SECONDS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=3600),
        global = true
    )]
    pub digest_interval_seconds: u64,

    /// The audit chain's key (at least 32 characters). Unset: the key file's.
    #[arg(
        long,
        env = "REENGAGE_AUDIT_KEY",
        global = true,
        hide_env_values = true
    )]
    pub audit_key: Option<String>,

    /// The audit key's file, created on first use [default: audit.key beside an SQLite
    /// database, else data/audit.key].
    #[arg(long, env = "REENGAGE_AUDIT_KEY_FILE", global = true)]
    pub audit_key_file: Option<std::path::PathBuf>,

    /// Where the server writes the audit chain's signed head [default: audit.anchor beside the
    /// key file].
    #[arg(long, env = "REENGAGE_AUDIT_ANCHOR", global = true)]
    pub audit_anchor: Option<std::path::PathBuf>,

    /// Seconds a client has to send a request's headers (a slowloris is cut off there).
    #[arg(
        long,
        env = "REENGAGE_HEADER_READ_TIMEOUT_SECONDS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300),
        global = true
    )]
    pub header_read_timeout_seconds: u64,

    /// Connections open at once, at most; more wait in the listener's backlog.
    #[arg(
        long,
        env = "REENGAGE_MAX_CONNECTIONS",
        default_value_t = 1024,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000),
        global = true
    )]
    pub max_connections: u32,

    /// The address people reach Re-engage at (scheme, host, port, any path prefix), for the
    /// absolute links of what leaves the browser: a calendar feed's URL and its events' links.
    #[arg(
        long,
        env = "REENGAGE_PUBLIC_URL",
        default_value = crate::web::state::DEFAULT_PUBLIC_URL,
        value_parser = public_url,
        global = true
    )]
    pub public_url: String,

    /// Log filter, e.g. `info` or `reengage_server=debug,sqlx=warn`.
    #[arg(long, env = "REENGAGE_LOG", default_value = "info", global = true)]
    pub log: String,

    /// How log lines are written: `text` for a person reading them, `json` (one object per
    /// line, the request id in each) for a log collector.
    #[arg(long, env = "REENGAGE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// A token that lets a request from another machine read `GET /metrics` (as
    /// `Authorization: Bearer TOKEN`); without it only this machine can.
    #[arg(
        long,
        env = "REENGAGE_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    /// For `make bench` only: an HTML file the server reads at start and answers, as it is
    /// and from memory, at `GET /bench/page` (no session, database or rendering), to measure
    /// a real page's throughput against. Unset, there is no such route.
    #[arg(long, env = "REENGAGE_BENCH_PAGE", global = true, hide = true)]
    pub bench_page: Option<std::path::PathBuf>,
}

/// How log lines are written (`REENGAGE_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Cli {
    /// The SMTP settings of the morning digest; `None` when no SMTP host is set.
    pub fn smtp(&self) -> Result<Option<crate::services::mail::SmtpSettings>, StartError> {
        crate::services::mail::SmtpSettings::from_settings(
            self.smtp_host.as_deref(),
            self.smtp_port,
            self.smtp_starttls,
            self.smtp_username.as_deref(),
            self.smtp_password.as_deref(),
            self.smtp_from.as_deref(),
        )
        .map_err(StartError::Input)
    }

    /// The audit key's file.
    pub fn audit_key_file(&self) -> std::path::PathBuf {
        self.audit_key_file.clone().unwrap_or_else(|| {
            crate::services::audit::default_dir(&self.database_url).join("audit.key")
        })
    }

    /// The audit anchor's file.
    pub fn audit_anchor(&self) -> std::path::PathBuf {
        self.audit_anchor.clone().unwrap_or_else(|| {
            self.audit_key_file()
                .parent()
                .map_or_else(|| "audit.anchor".into(), |dir| dir.join("audit.anchor"))
        })
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the app (the default).
    Serve,
    /// Apply migrations and exit.
    Migrate,
    /// Check dates against the Oregon business calendar, or an office's (`--branch`).
    Calendar(crate::cli::calendar::CalendarArgs),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Staff accounts and API tokens.
    #[command(subcommand)]
    Admin(crate::cli::admin::AdminCommand),
    /// Write a consistent copy of the live SQLite database to FILE.
    Backup { file: std::path::PathBuf },
    /// Put an SQLite backup (FILE, from `reengage backup`) back in place of the database, with
    /// the server stopped: the backup is checked first (integrity, schema, audit chain), and
    /// the database it replaces is kept beside it.
    Restore { file: std::path::PathBuf },
    /// The morning digest e-mail.
    #[command(subcommand)]
    Digest(DigestCommand),
    /// Load a fictional demo branch into an empty database.
    Demo {
        /// Also load this many more episodes over further fictional branches (2,000 each),
        /// for measuring at scale.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        episodes: Option<u32>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum DigestCommand {
    /// Print the digest EMAIL would get now (From, To, Subject and the text), sending nothing.
    Preview {
        email: String,
        /// Preview as at this instant (RFC 3339, e.g. 2026-12-01T15:00:00Z) instead of now.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the audit log and report the first broken link.
    Verify,
}

/// `REENGAGE_PUBLIC_URL`: an `http://` or `https://` address with a host, without its
/// trailing slash; or what is wrong with it.
pub fn public_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split('/').next().unwrap_or_default());
    match host {
        Some(host)
            if !host.is_empty()
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
                && !url.contains(['?', '#']) =>
        {
            Ok(url.to_owned())
        }
        _ => Err(format!(
            "REENGAGE_PUBLIC_URL: “{text}” is not an http:// or https:// address (e.g. https://reengage.example.gov)"
        )),
    }
}

/// Leptos' own settings (site root, output name), with the listening address chosen here.
pub fn leptos_options(addr: Option<SocketAddr>) -> Result<LeptosOptions, StartError> {
    let mut options = get_configuration(None)
        .map_err(|error| StartError::SiteConfig(error.to_string()))?
        .leptos_options;
    if options.output_name.is_empty() {
        // Built without cargo-leptos (plain `cargo build`): the name it would have set.
        options.output_name = "reengage".into();
    }
    if let Some(addr) = addr {
        options.site_addr = addr;
    }
    // Built with hashed file names (cargo-leptos `hash-files`): the hash file beside the
    // binary names them, whether or not the build's environment said so at run time.
    if crate::web::assets::hash_file(&options).is_some() {
        options.hash_files = true;
    }
    Ok(options)
}
