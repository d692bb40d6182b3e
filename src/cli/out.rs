//! Where a command's `-o` goes: a file through [`pingcha::output`], or standard output for `-`.

use super::error::{CliError, CliResult};
use pingcha::output::{self, Rules};
use std::path::Path;

/// Whether `-o` asks for standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `bytes` to `path` (`-`: standard output, for text formats only), refusing to write
/// over `inputs` or an existing file without `force`.
pub fn write(path: &Path, force: bool, inputs: &[&Path], bytes: &[u8], text: bool) -> CliResult {
    if is_stdout(path) {
        if !text {
            return Err(binary_to_stdout());
        }
        super::stdout::bytes(bytes);
        return Ok(());
    }
    output::write(path, &Rules::new(force, inputs), bytes).map_err(CliError::Output)
}

/// `-o -` with a format that is not text.
pub fn binary_to_stdout() -> CliError {
    CliError::Usage(
        "只有 json 和 csv 能写到标准输出（-o -）；xlsx、docx 请给出文件名".into(),
        "only json and csv can go to standard output (-o -); give a file name for xlsx and docx".into(),
    )
}
