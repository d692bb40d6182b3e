//! The `pingcha` binary: parse arguments, run the command, map errors to an exit code.

#![warn(clippy::unwrap_used)]

/// `println!` for the whole CLI, shadowing std's (a macro defined here is in scope in every
/// module below): the same output, but a reader that went away ends the command quietly on
/// Windows too, where std's `println!` panics (see `cli::stdout`).
macro_rules! println {
    () => {
        $crate::cli::stdout::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::stdout::line(format_args!($($arg)*))
    };
}

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
