//! The core's architecture, checked: modules only use the layers below them (and never each
//! other in a circle), SQL lives only in `store`, and no source file grows past the size a
//! newcomer can read. `docs/ARCHITECTURE.md` explains the layers; this keeps them true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer of a module path (`store::feeds` → the store's layer). Lower layers know
/// nothing of higher ones.
fn layer(module: &str) -> usize {
    match module.split("::").next().unwrap_or("") {
        "model" => 0,
        "error" | "support" => 1,
        "store" => 2,
        "services" => 3,
        "library" | "handle" => 4,
        "usecases" => 5,
        other => {
            panic!("module `{other}` has no layer: add it to this test and to ARCHITECTURE.md")
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file with its module path (`store/feeds.rs` → `store::feeds`).
fn modules() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src()).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|p| p == "mod") {
                    parts.pop();
                }
                out.push((parts.join("::"), path));
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without comments and without its `#[cfg(test)]` module (tests may
/// reach anywhere; a comment may name any module).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file uses, as `crate::a::b` paths cut to the module a file stands for.
fn uses(code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        // The longest prefix that is a module of this crate.
        for n in (1..=parts.len()).rev() {
            let candidate = parts[..n].join("::");
            if known.contains(&candidate) {
                out.insert(candidate);
                break;
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.iter().map(|(m, _)| m.clone()).collect();
    modules
        .iter()
        .filter(|(m, _)| m != "lib")
        .map(|(m, path)| {
            let mut used = uses(&code(path), &known);
            used.remove(m);
            used.remove("lib");
            (m.clone(), used)
        })
        .collect()
}

#[test]
fn modules_only_use_the_layers_below_them() {
    let mut wrong = Vec::new();
    for (module, used) in graph() {
        for u in used {
            // A module may use its own children (`store` opens `store::feeds`).
            if u.starts_with(&format!("{module}::")) {
                continue;
            }
            if layer(&u) > layer(&module) {
                wrong.push(format!("{module} uses {u}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a lower layer must not know a higher one, or every change ripples down:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_modules_use_each_other_in_a_circle() {
    let graph = graph();
    // Depth-first search for a back edge.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            // A parent module declaring its children is not a use.
            if next.starts_with(&format!("{m}::")) {
                continue;
            }
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "modules that use each other cannot be understood one at a time: {}",
                cycle.join(" → ")
            );
        }
    }
}

#[test]
fn sql_lives_only_in_the_store() {
    let mut found = Vec::new();
    for (module, path) in modules() {
        if module.starts_with("store") {
            continue;
        }
        for (n, line) in code(&path).lines().enumerate() {
            let upper = line.to_ascii_uppercase();
            for kw in [
                "\"SELECT ",
                "\"INSERT ",
                "\"UPDATE ",
                "\"DELETE FROM",
                "PRAGMA ",
            ] {
                if upper.contains(kw) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside `store` escapes its migrations and its tests:\n{}",
        found.join("\n")
    );
}

#[test]
fn source_files_stay_readable() {
    let long: Vec<String> = modules()
        .into_iter()
        .filter_map(|(m, path)| {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            (lines > 600).then(|| format!("{m}: {lines} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over 600 lines become grab-bags; split by domain:\n{}",
        long.join("\n")
    );
}
