//! The `callsim` binary: parse arguments, run, map errors to exit codes (0 ok, 2 bad input, 1 other).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = callsim::cli::Cli::parse(); // clap exits with code 2 on usage errors
    callsim::cli::install_signal_cleanup();
    match callsim::cli::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
