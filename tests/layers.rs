//! The layers stay as the README draws them: a module imports only modules of a lower layer,
//! and modules of one layer import each other without a cycle. Test code (a `#[cfg(test)]`
//! part of a file, or a file declared test-only) may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its layer, lowest first.
const LAYERS: &[(&str, u8)] = &[
    ("points", 0),
    ("lang", 0),
    ("shared", 0),
    ("text", 1),
    ("vocab", 1),
    ("output", 1),
    ("spreadsheet", 1),
    ("rubric", 2),
    ("score", 3),
    ("store", 4),
    ("caselist", 5),
    ("demo", 6),
    ("merge", 7),
    ("export", 7),
    ("report", 7),
    ("ledger", 7),
    ("review", 7),
    ("organise", 7),
    ("tui", 8),
    ("cli", 9),
];

/// The `.rs` files of a module, each with whether the whole file is test code.
fn files(module: &str) -> Vec<(PathBuf, bool)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let single = src.join(format!("{module}.rs"));
    if single.exists() {
        return vec![(single, false)];
    }
    let mut out = Vec::new();
    walk(&src.join(module), false, &mut out);
    out
}

/// Collects a module directory's files; a file is test code when its `mod` line (in `mod.rs`)
/// follows `#[cfg(test)]`, or when its directory's module is.
fn walk(dir: &Path, test_only: bool, out: &mut Vec<(PathBuf, bool)>) {
    let parent = std::fs::read_to_string(dir.join("mod.rs")).unwrap_or_default();
    let declared_for_tests = |name: &str| {
        let lines: Vec<&str> = parent.lines().map(str::trim).collect();
        lines
            .windows(2)
            .any(|w| w[0] == "#[cfg(test)]" && (w[1] == format!("mod {name};") || w[1] == format!("pub mod {name};")))
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("module directory")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let test = test_only || declared_for_tests(&name);
        if path.is_dir() {
            walk(&path, test, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path, test));
        }
    }
}

/// The top-level modules a file's non-test code names as `crate::…`.
fn imports(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).expect("source");
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        for (i, _) in line.match_indices("crate::") {
            let name: String = line[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_module_imports_only_lower_layers_and_no_cycle_within_one() {
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if !matches!(name.as_str(), "lib" | "main") {
            assert!(
                layer.contains_key(name.as_str()),
                "module `{name}` has no layer in this test"
            );
        }
    }
    let mut wrong = Vec::new();
    let mut same_layer: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for &(module, rank) in LAYERS {
        for (file, test_only) in files(module) {
            if test_only {
                continue;
            }
            for used in imports(&file) {
                let Some(&theirs) = layer.get(used.as_str()) else {
                    continue;
                };
                if used == module {
                    continue;
                }
                if theirs > rank {
                    wrong.push(format!("{} uses the higher `{used}`", file.display()));
                } else if theirs == rank {
                    same_layer.entry(module).or_default().insert(used);
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Within a layer: no module reaches itself through the others.
    for &start in same_layer.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = same_layer[start].iter().cloned().collect();
        while let Some(m) = todo.pop() {
            assert_ne!(m, start, "a cycle within one layer through `{start}`: {same_layer:?}");
            if seen.insert(m.clone()) {
                todo.extend(same_layer.get(m.as_str()).into_iter().flatten().cloned());
            }
        }
    }
}
