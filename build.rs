//! Puts the build's commit into `pingcha --version` when the build says which one it is.
//!
//! `scripts/dist` sets `PINGCHA_BUILD_COMMIT` (from git) so that a binary on a USB stick can be
//! traced back to its source; a plain `cargo build` (or a build outside git) shows the version only.

fn main() {
    println!("cargo:rerun-if-env-changed=PINGCHA_BUILD_COMMIT");
    let version = env!("CARGO_PKG_VERSION");
    let full = match std::env::var("PINGCHA_BUILD_COMMIT") {
        Ok(commit) if !commit.trim().is_empty() => format!("{version} ({})", commit.trim()),
        _ => version.to_owned(),
    };
    println!("cargo:rustc-env=PINGCHA_VERSION={full}");
}
