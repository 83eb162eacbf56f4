use std::process::ExitCode;

use clap::Parser;
use reengage_server::{Cli, run, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.log);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line a person can act on; the log has the rest.
            eprintln!("reengage: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
