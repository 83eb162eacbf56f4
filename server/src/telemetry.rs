//! Structured logs with `tracing`: text for a person, or one JSON object per line for a log
//! collector (`REENGAGE_LOG_FORMAT=json`). Each line written while a request is answered
//! carries its request id (`web::observe`): in text as `request{id=…}:`, in JSON in the list of
//! spans it was written in, `"spans":[{"name":"request","id":…},…]`.

use tracing_subscriber::EnvFilter;

use crate::cli::config::LogFormat;

/// Logs to standard error in `format`, filtered by `filter` (falls back to `info` if it
/// cannot be read).
pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => logs.try_init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .try_init(),
    };
}
