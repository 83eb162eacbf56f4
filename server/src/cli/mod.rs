//! The command line besides `serve`: staff accounts, the calendar, the demo branch (and the
//! demo at scale), backups, and the morning digest's preview.

pub mod admin;
pub mod backup;
pub mod calendar;
pub mod config;
pub mod demo;
pub mod scale;

pub use config::{AuditCommand, Cli, Command, DigestCommand};

use crate::store::{audit, db};
use crate::web::state;
use admin as admin_cli;
use calendar as calendar_cli;

use thiserror::Error;

/// Why the server could not start or a command could not finish.
#[derive(Debug, Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the site configuration: {0}")]
    SiteConfig(String),
    /// Input a person typed that cannot be used; the message says what to do.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    AuditBroken(#[from] audit::Broken),
}

impl StartError {
    /// The process exit status: 2 for bad input (as for a usage error), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Input(_) => 2,
            _ => 1,
        }
    }
}

/// Opens the database, and takes up the audit key: every command that opens the database
/// writes or checks the audit chain under it.
async fn open(cli: &Cli) -> Result<db::Db, StartError> {
    let db = db::open(&cli.database_url).await?;
    let key = crate::services::audit::load_key(cli.audit_key.as_deref(), &cli.audit_key_file())
        .map_err(StartError::Input);
    match key.and_then(|key| audit::use_key(key).map_err(StartError::Input)) {
        Ok(()) => Ok(db),
        Err(error) => {
            db.close().await;
            Err(error)
        }
    }
}

/// Runs the command the person asked for.
pub async fn run(cli: Cli) -> Result<(), StartError> {
    let command = cli.command.clone().unwrap_or(Command::Serve);
    match command {
        Command::Calendar(args) => {
            // One calendar per office: with `--branch`, its closure days from the database.
            let calendar = match &args.branch {
                None => reengage_core::BusinessCalendar::oregon(),
                Some(branch) => {
                    let db = open(&cli).await?;
                    let calendar = calendar_cli::branch_calendar(&db, branch).await;
                    db.close().await;
                    calendar?
                }
            };
            print!("{}", calendar_cli::answer(&args.command, &calendar)?);
            Ok(())
        }
        Command::Demo { episodes } => {
            let db = open(&cli).await?;
            let result = match episodes {
                None => demo::load(&db, chrono::Utc::now()).await,
                Some(n) => scale::load(&db, chrono::Utc::now(), n).await,
            };
            db.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Backup { file } => {
            let db = open(&cli).await?;
            let result = backup::backup(&db, &file).await;
            db.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Restore { file } => {
            let anchor = cli.audit_anchor();
            let target = backup::RestoreTarget {
                database_url: &cli.database_url,
                anchor: &anchor,
            };
            let use_key = || {
                let key = crate::services::audit::load_key(
                    cli.audit_key.as_deref(),
                    &cli.audit_key_file(),
                )
                .map_err(StartError::Input)?;
                audit::use_key(key).map_err(StartError::Input)
            };
            print!(
                "{}",
                backup::restore(target, &file, use_key, chrono::Utc::now()).await?
            );
            Ok(())
        }
        Command::Admin(command) => {
            let db = open(&cli).await?;
            let result = admin_cli::run(&db, command).await;
            db.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let db = open(&cli).await?;
            let anchor = cli.audit_anchor();
            let checked = crate::services::audit::verify(&db, &anchor).await;
            db.close().await;
            let (checked, head) = checked?;
            match head {
                Some(head) => println!(
                    "audit log verified: {checked} entries, chain intact, append-only triggers in place, \
                     signed head (entry {}) in {} matches",
                    head.id,
                    anchor.display()
                ),
                None => println!(
                    "audit log verified: {checked} entries, chain intact, append-only triggers in place \
                     (no signed head at {} yet)",
                    anchor.display()
                ),
            }
            Ok(())
        }
        Command::Digest(DigestCommand::Preview { email, at }) => {
            let db = open(&cli).await?;
            let preview = digest_preview(&cli, &db, &email, at).await;
            db.close().await;
            let preview = preview?;
            for note in &preview.notes {
                eprintln!("note: {note}");
            }
            print!("{}", preview.text);
            Ok(())
        }
        Command::Migrate => {
            let db = open(&cli).await?;
            tracing::info!(database = %db::redacted(&cli.database_url), "migrations applied");
            db.close().await;
            Ok(())
        }
        Command::Serve => {
            let db = open(&cli).await?;
            let closing = db.clone();
            let options = config::leptos_options(cli.addr)?;
            let addr = options.site_addr;
            // Once a window: the counted sign-in failures and refusals written, expired
            // sessions deleted.
            let counted = db.clone();
            let anchor = cli.audit_anchor();
            let last_anchor = anchor.clone();
            tokio::spawn(async move {
                let window = std::time::Duration::from_secs(crate::store::tally::WINDOW_SECONDS);
                let mut every = tokio::time::interval(window);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                // The office day whose stored stages and due days are derived (at start, then
                // at each new day).
                let mut refreshed_on = None;
                loop {
                    every.tick().await;
                    if let Err(error) = audit::flush_tally(&counted).await {
                        tracing::error!(%error, "counted sign-in failures and refusals not written yet");
                    }
                    if let Err(error) =
                        crate::services::audit::write_anchor(&counted, &anchor).await
                    {
                        tracing::error!(%error, "the audit head could not be signed");
                    }
                    let now = chrono::Utc::now().timestamp();
                    match crate::store::sessions::delete_expired(&counted, now).await {
                        Ok(0) => {}
                        Ok(swept) => tracing::info!(swept, "expired sessions deleted"),
                        Err(error) => tracing::warn!(%error, "expired sessions not deleted yet"),
                    }
                    // Contractor referrals past their last day end (office date, Oregon).
                    let now = chrono::Utc::now();
                    let today = crate::services::episodes::local_today("America/Los_Angeles", now);
                    match crate::services::participants::end_referrals(&counted, today, now).await {
                        Ok(0) => {}
                        Ok(ended) => {
                            tracing::info!(ended, "contractor referrals past their last day ended")
                        }
                        Err(error) => tracing::warn!(%error, "contractor referrals not ended yet"),
                    }
                    // Once an office day: every open episode's stage and next due day as
                    // `core` derives them today (services::derived).
                    if refreshed_on != Some(today) {
                        match crate::services::derived::refresh_all(&counted, now).await {
                            Ok(done) => {
                                refreshed_on = Some(today);
                                tracing::info!(
                                    read = done.read,
                                    moved = done.moved,
                                    "open episodes derived again for the office day"
                                );
                            }
                            Err(error) => {
                                tracing::warn!(%error, "open episodes not derived again yet")
                            }
                        }
                    }
                }
            });
            let mut state = state::AppState::new(options, db);
            state.secure_cookies = cli.secure_cookies;
            state.trusted_proxies = cli.trusted_proxies.clone();
            state.public_url = cli.public_url.clone();
            state.metrics_token = cli.metrics_token.as_deref().map(Into::into);
            if let Some(path) = &cli.bench_page {
                let page = std::fs::read(path).map_err(|e| {
                    StartError::Input(format!(
                        "cannot read REENGAGE_BENCH_PAGE {}: {e}",
                        path.display()
                    ))
                })?;
                state.bench_page = Some(page.into());
            }
            let sso = crate::services::sso::SsoConfig::from_settings(
                cli.oidc_issuer.as_deref(),
                cli.oidc_client_id.as_deref(),
                cli.oidc_client_secret.as_deref(),
                cli.oidc_redirect_url.as_deref(),
            )
            .map_err(StartError::Input)?;
            if let Some(sso) = sso {
                tracing::info!(issuer = sso.issuer.as_str(), "agency single sign-on is on");
                state.sso = Some(crate::services::sso::Sso::new(sso).map_err(StartError::Input)?);
            }
            state.demo = crate::store::demo::is_demo(&state.db)
                .await
                .map_err(|e| StartError::Input(format!("cannot read the staff accounts: {e}")))?;
            if state.demo {
                tracing::warn!("this database is the demo's: every page is labelled a demo");
            }
            state.request_timeout = std::time::Duration::from_secs(cli.request_timeout_seconds);
            state.sessions = state::SessionPolicy {
                idle_minutes: i64::from(cli.session_idle_minutes),
                absolute_hours: i64::from(cli.session_absolute_hours),
            };
            // The morning digest e-mail, when an SMTP server is configured (docs/digest.md).
            let (stop_digest, digest_stopped) = tokio::sync::watch::channel(false);
            let digest = match cli.smtp()? {
                None => {
                    tracing::info!(
                        "the morning digest e-mail is off: REENGAGE_SMTP_HOST is not set"
                    );
                    None
                }
                Some(settings) => {
                    let mailer =
                        crate::services::mail::Mailer::new(settings).map_err(StartError::Input)?;
                    if state.public_url == state::DEFAULT_PUBLIC_URL {
                        tracing::warn!(
                            "REENGAGE_PUBLIC_URL is not set: the digest's links point at {}",
                            state::DEFAULT_PUBLIC_URL
                        );
                    }
                    tracing::info!(
                        smtp = mailer.server(),
                        every_seconds = cli.digest_interval_seconds,
                        "the morning digest e-mail is on, from 7:00 office time"
                    );
                    state.digest_mail = true;
                    Some(tokio::spawn(crate::digest::run(
                        state.clone(),
                        mailer,
                        std::time::Duration::from_secs(cli.digest_interval_seconds),
                        digest_stopped,
                    )))
                }
            };
            let app = crate::router::router(state);
            let limits = crate::web::listener::Limits {
                header_read_timeout: std::time::Duration::from_secs(
                    cli.header_read_timeout_seconds,
                ),
                max_connections: cli.max_connections as usize,
            };
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| StartError::Listen { addr, source })?;
            tracing::info!("listening on http://{addr}");
            // On SIGTERM or Ctrl-C: stop accepting, let the requests in flight finish (each
            // within the request time-out), then close the database (SQLite checkpoints its
            // write-ahead log into the file).
            crate::web::listener::serve(listener, app, limits, shutdown_signal()).await;
            // The digest being sent finished (its claim settled), then no more.
            let _ = stop_digest.send(true);
            if let Some(digest) = digest
                && tokio::time::timeout(std::time::Duration::from_secs(30), digest)
                    .await
                    .is_err()
            {
                tracing::warn!("the morning digest sender did not stop within 30 seconds");
            }
            // The counts still in memory written, then the head signed as the server leaves it.
            if let Err(error) = audit::flush_tally(&closing).await {
                tracing::error!(%error, "counted sign-in failures and refusals not written");
            }
            if let Err(error) = crate::services::audit::write_anchor(&closing, &last_anchor).await {
                tracing::error!(%error, "the audit head could not be signed");
            }
            closing.close().await;
            tracing::info!("database closed");
            Ok(())
        }
    }
}

/// `reengage digest preview`: the digest `email` would get now (or `at`), sending nothing.
async fn digest_preview(
    cli: &Cli,
    db: &db::Db,
    email: &str,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<crate::digest::Preview, StartError> {
    let options = config::leptos_options(cli.addr)?;
    let mut state = state::AppState::new(options, db.clone());
    if let Some(at) = at {
        state.clock = state::Clock::fixed(std::sync::Arc::new(std::sync::Mutex::new(at)));
    }
    state.public_url = cli.public_url.clone();
    let from = cli.smtp()?.map(|settings| settings.from);
    crate::digest::preview(&state, from.as_deref(), email)
        .await
        .map_err(|error| match error {
            crate::services::ServiceError::Store(cause) => {
                StartError::Input(format!("cannot read the database: {cause}"))
            }
            other => StartError::Input(other.to_string()),
        })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
