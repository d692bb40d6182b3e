//! Command-line mistakes (a missing or unknown argument, a bad value) in Chinese, before clap's
//! own English detail and usage line.

use clap::error::{ContextKind, ContextValue, Error, ErrorKind};
use pingcha::lang::Lang;

/// The language asked for on the command line or in `PINGCHA_LANG`, read without clap (which
/// has just failed to parse the arguments).
pub fn requested_lang() -> Lang {
    // args_os: an argument that is not valid UTF-8 (a Chinese character cut in half by a shell
    // pipeline) must not panic here; clap reports it properly.
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let from_args = args
        .windows(2)
        .find(|w| w[0] == "--lang")
        .map(|w| w[1].clone())
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=").map(str::to_owned)));
    match from_args.or_else(|| std::env::var("PINGCHA_LANG").ok()).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

fn context(e: &Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The one-line Chinese explanation of a parse error, when there is one for its kind.
pub fn chinese(e: &Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let suggested = context(e, ContextKind::SuggestedArg);
    let hint = if suggested.is_empty() {
        String::new()
    } else {
        format!("（是否想用 {suggested}？）")
    };
    Some(match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数：{arg}"),
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            if valid.is_empty() {
                format!("参数 {arg} 缺少取值或取值「{value}」无效")
            } else {
                format!("参数 {arg} 的值「{value}」无效，可用：{valid}")
            }
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的值「{value}」无效"),
        ErrorKind::UnknownArgument => format!("无法识别的参数「{arg}」{hint}"),
        ErrorKind::InvalidSubcommand => {
            format!("无法识别的命令「{}」", context(e, ContextKind::InvalidSubcommand))
        }
        ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", context(e, ContextKind::PriorArg))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少子命令，请用 --help 查看可用命令".to_owned()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct T {
        #[arg(long)]
        db: String,
        #[arg(long, value_parser = ["日常", "全面"])]
        kind: Option<String>,
    }

    #[test]
    fn parse_errors_are_explained_in_chinese() {
        let e = T::try_parse_from(["t"]).unwrap_err();
        assert_eq!(chinese(&e).unwrap(), "缺少必填参数：--db <DB>");
        let e = T::try_parse_from(["t", "--db", "x", "--kind", "专项"]).unwrap_err();
        assert_eq!(
            chinese(&e).unwrap(),
            "参数 --kind <KIND> 的值「专项」无效，可用：日常、全面"
        );
        let e = T::try_parse_from(["t", "--db", "x", "--dbb"]).unwrap_err();
        assert!(chinese(&e).unwrap().starts_with("无法识别的参数「--dbb」"));
    }
}
