//! The `pingcha` binary: parse arguments, run the command, map errors to an exit code.

#![warn(clippy::unwrap_used)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
