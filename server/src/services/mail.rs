//! Sending e-mail over SMTP (`lettre`, on tokio with rustls): the server, its port, STARTTLS
//! on or off, optional credentials and the From address, all from the environment
//! (`cli/config.rs`). Only the morning digest is sent (docs/digest.md).

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one SMTP command may take before the send is given up (and retried later).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where and how e-mail is sent, as configured.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// Upgrade the connection with STARTTLS before anything is sent (refused if the server
    /// does not offer it); off only for a relay on the same host or network.
    pub starttls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From address: `reengage@agency.example` or `Re-engage <reengage@agency.example>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpSettings {
    // Never print the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("starttls", &self.starttls)
            .field("username", &self.username)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl SmtpSettings {
    /// The settings from the environment's values: `None` when no SMTP host is set (then no
    /// e-mail is sent); what is missing or wrong otherwise.
    pub fn from_settings(
        host: Option<&str>,
        port: u16,
        starttls: bool,
        username: Option<&str>,
        password: Option<&str>,
        from: Option<&str>,
    ) -> Result<Option<Self>, String> {
        let given = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let Some(host) = given(host) else {
            return Ok(None);
        };
        let from = given(from).ok_or(
            "REENGAGE_SMTP_HOST is set but REENGAGE_SMTP_FROM is not: set the address the digest \
             is sent from (e.g. Re-engage <reengage@agency.example>)",
        )?;
        from.parse::<Mailbox>().map_err(|error| {
            format!("REENGAGE_SMTP_FROM: “{from}” is not an e-mail address ({error})")
        })?;
        let username = given(username);
        let password = password.filter(|p| !p.is_empty()).map(str::to_owned);
        if username.is_some() != password.is_some() {
            return Err(
                "Set both REENGAGE_SMTP_USERNAME and REENGAGE_SMTP_PASSWORD, or neither".into(),
            );
        }
        Ok(Some(Self {
            host,
            port,
            starttls,
            username,
            password,
            from,
        }))
    }
}

/// Why an e-mail was not sent, in words a log may keep: never the address, nor the SMTP
/// server's own reply text, which often repeats it ("550 <x@y>: no such user").
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the e-mail could not be made: {0}")]
    Message(String),
    #[error("the SMTP server did not take the e-mail: {}", smtp_reason(.0))]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// An SMTP failure by its kind and reply code alone.
fn smtp_reason(error: &lettre::transport::smtp::Error) -> String {
    let kind = if error.is_permanent() {
        "refused for good"
    } else if error.is_transient() {
        "refused for now"
    } else if error.is_timeout() {
        "no answer in time"
    } else if error.is_tls() {
        "the TLS connection failed"
    } else {
        "the connection or the exchange failed"
    };
    match error.status() {
        Some(code) => format!("{kind} (reply {code})"),
        None => kind.to_owned(),
    }
}

/// An SMTP client for the configured server; each send opens its own connection.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    settings: SmtpSettings,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    pub fn new(settings: SmtpSettings) -> Result<Self, String> {
        let from = settings.from.parse::<Mailbox>().map_err(|error| {
            format!(
                "REENGAGE_SMTP_FROM: “{}” is not an e-mail address ({error})",
                settings.from
            )
        })?;
        let tls = if settings.starttls {
            let parameters = TlsParameters::new(settings.host.clone())
                .map_err(|error| format!("cannot prepare TLS for {}: {error}", settings.host))?;
            Tls::Required(parameters)
        } else {
            Tls::None
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let (Some(username), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            settings,
        })
    }

    /// The From address as configured.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Where e-mail goes: `host:port`, for the log.
    pub fn server(&self) -> String {
        format!("{}:{}", self.settings.host, self.settings.port)
    }

    /// Sends a plain-text e-mail (UTF-8) to `to`.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|_| MailError::Message("the recipient's address is not one".to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|error| MailError::Message(error.to_string()))?;
        self.transport.send(message).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_host_no_mail_is_sent_and_with_one_the_from_address_is_needed() {
        assert_eq!(
            SmtpSettings::from_settings(None, 587, true, None, None, None),
            Ok(None)
        );
        assert_eq!(
            SmtpSettings::from_settings(Some("  "), 587, true, None, None, Some("a@b.example")),
            Ok(None)
        );
        let missing =
            SmtpSettings::from_settings(Some("smtp.example"), 587, true, None, None, None)
                .unwrap_err();
        assert!(missing.contains("REENGAGE_SMTP_FROM"), "{missing}");
        let bad =
            SmtpSettings::from_settings(Some("smtp.example"), 587, true, None, None, Some("nope"))
                .unwrap_err();
        assert!(bad.contains("not an e-mail address"), "{bad}");
        let half = SmtpSettings::from_settings(
            Some("smtp.example"),
            587,
            true,
            Some("user"),
            None,
            Some("Re-engage <reengage@agency.example>"),
        )
        .unwrap_err();
        assert!(half.contains("REENGAGE_SMTP_PASSWORD"), "{half}");
        let settings = SmtpSettings::from_settings(
            Some("smtp.example"),
            2525,
            false,
            Some("user"),
            Some("secret words"),
            Some("Re-engage <reengage@agency.example>"),
        )
        .unwrap()
        .unwrap();
        assert!(!format!("{settings:?}").contains("secret words"));
        let mailer = Mailer::new(settings).unwrap();
        assert_eq!(mailer.server(), "smtp.example:2525");
        assert_eq!(mailer.from().email.to_string(), "reengage@agency.example");
    }

    /// An SMTP server on loopback that refuses every recipient with a reply naming them, as
    /// real servers do.
    async fn refusing_server() -> u16 {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 test ready\r\n").await.unwrap();
            while let Ok(Some(line)) = lines.next_line().await {
                let upper = line.to_ascii_uppercase();
                let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                    b"250 test\r\n"
                } else if upper.starts_with("MAIL") {
                    b"250 ok\r\n"
                } else if upper.starts_with("RCPT") {
                    b"550 5.1.1 <dana.coach@agency.example>: Recipient address rejected\r\n"
                } else if upper.starts_with("QUIT") {
                    b"221 bye\r\n"
                } else {
                    b"250 ok\r\n"
                };
                if write.write_all(reply).await.is_err() {
                    break;
                }
            }
        });
        port
    }

    /// What a failed send says, which the digest logs, names neither the recipient nor what
    /// the SMTP server replied about them: only the kind of failure and the reply code.
    #[tokio::test]
    async fn a_refused_recipient_is_logged_by_reply_code_never_by_address() {
        let port = refusing_server().await;
        let settings = SmtpSettings::from_settings(
            Some("127.0.0.1"),
            port,
            false,
            None,
            None,
            Some("Re-engage <reengage@agency.example>"),
        )
        .unwrap()
        .unwrap();
        let mailer = Mailer::new(settings).unwrap();
        let error = mailer
            .send("dana.coach@agency.example", "Today", "body".into())
            .await
            .expect_err("the server refuses the recipient");
        let said = error.to_string();
        assert!(said.contains("refused for good (reply 550)"), "{said}");
        assert!(!said.contains("dana.coach"), "{said}");
        let unaddressable = mailer
            .send("dana.coach at agency", "Today", "body".into())
            .await
            .expect_err("not an address");
        assert!(
            !unaddressable.to_string().contains("dana.coach"),
            "{unaddressable}"
        );
    }
}
