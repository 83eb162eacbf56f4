use std::process::ExitCode;

use clap::Parser;
use reengage_server::cli::{Cli, run};
use reengage_server::telemetry;

/// A page is hundreds of small allocations (rows, strings, the HTML) across the runtime's and
/// the database's threads; mimalloc serves them from per-thread pages where the system
/// allocator spent a sixth of a page's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.log, cli.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line a person can act on; the log has the rest.
            eprintln!("reengage: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
