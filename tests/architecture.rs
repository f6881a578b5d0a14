//! The shape of `src/`: every file is on the README's module map, and no module or file depends
//! on another that depends back on it. Dependencies are read from the code itself: every
//! `crate::` and `super::` path outside comments, resolved to the file that defines the item it
//! names (a re-export is followed to where the item is declared). A parent declaring its
//! children is not a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, as its path relative to `src/` with `/` separators.
fn files(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).expect("under src");
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read_to_string(&p).expect("readable"));
        }
    }
}

/// The module path of a file: `engine/run.rs` is `engine::run`, `engine/mod.rs` is `engine`.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The code of a file without comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare in this crate; the cost of a wrong cut is
            // a missed path, never a false cycle.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path that starts with `crate::` or `super::`, with `use` groups expanded.
fn paths(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for head in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(i) = rest.find(head) {
            let before = rest[..i].chars().next_back();
            let after = &rest[i + head.len()..];
            rest = after;
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let root = head.trim_end_matches("::").to_owned();
            // The path up to a `{`, a space or punctuation that ends it.
            let end = after
                .find(|c: char| !(is_ident(c) || c == ':'))
                .unwrap_or(after.len());
            let segs: Vec<String> = after[..end]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if after[end..].starts_with('{') {
                let group_end = after[end..].find('}').map_or(after.len(), |j| end + j);
                for item in after[end + 1..group_end].split(',') {
                    let item: Vec<String> = item
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .split("::")
                        .filter(|s| !s.is_empty() && *s != "self" && *s != "{")
                        .map(|s| s.trim_matches('{').to_owned())
                        .collect();
                    let mut full = segs.clone();
                    full.extend(item);
                    out.push((root.clone(), full));
                }
            } else {
                out.push((root, segs));
            }
        }
    }
    out
}

/// Where each item name is declared (`struct`, `enum`, `fn`, `trait`, `type`, `const`,
/// `static`, `macro_rules!`).
fn declarations(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in files {
        for line in code(text).lines() {
            let words: Vec<&str> = line
                .split(|c: char| !(is_ident(c) || c == '!'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                if matches!(
                    pair[0],
                    "struct"
                        | "enum"
                        | "fn"
                        | "trait"
                        | "type"
                        | "const"
                        | "static"
                        | "macro_rules!"
                ) {
                    out.entry(pair[1].to_owned())
                        .or_default()
                        .insert(file.clone());
                }
            }
        }
    }
    out
}

/// The file-level dependency graph.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = BTreeMap::new();
    files(&root, &root, &mut all);
    let by_module: BTreeMap<Vec<String>, String> =
        all.keys().map(|f| (module_of(f), f.clone())).collect();
    let declared = declarations(&all);
    let resolve = |segs: &[String]| -> Option<String> {
        // The longest prefix that is a module, then the item after it, followed to its
        // declaration when it is declared once below that module.
        for k in (0..=segs.len()).rev() {
            let Some(file) = by_module.get(&segs[..k]) else {
                continue;
            };
            let Some(item) = segs.get(k) else {
                return Some(file.clone());
            };
            let dir = file.trim_end_matches("mod.rs").trim_end_matches(".rs");
            let found: Vec<&String> = declared
                .get(item)
                .map(|s| s.iter().filter(|f| k == 0 || f.starts_with(dir)).collect())
                .unwrap_or_default();
            return match found.as_slice() {
                [one] => Some((*one).clone()),
                _ => Some(file.clone()),
            };
        }
        None
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &all {
        let here = module_of(file);
        let mut out = BTreeSet::new();
        for (root, segs) in paths(&code(text)) {
            let full: Vec<String> = if root == "crate" {
                segs
            } else {
                let mut base = here.clone();
                base.pop();
                base.extend(segs);
                base
            };
            if let Some(target) = resolve(&full) {
                out.insert(target);
            }
        }
        edges.insert(file.clone(), out);
    }
    // A parent declaring its child, and the crate root re-exporting, are not dependencies.
    for (file, out) in edges.iter_mut() {
        let here = module_of(file);
        out.retain(|t| {
            let there = module_of(t);
            let parent_child = (there.len() == here.len() + 1 && there.starts_with(&here))
                || (here.len() == there.len() + 1 && here.starts_with(&there));
            t != file && t != "lib.rs" && !parent_child
        });
    }
    edges
}

/// The cycles of a graph: its strongly connected components of more than one node.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Reachability by repeated search: small graphs, plain code.
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|k| (k, reach(k))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for a in edges.keys() {
        let comp: Vec<String> = edges
            .keys()
            .filter(|b| a != *b && reachable[a].contains(*b) && reachable[*b].contains(a))
            .cloned()
            .chain(std::iter::once(a.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if comp.len() > 1 && !out.contains(&comp) {
            out.push(comp);
        }
    }
    out
}

#[test]
fn no_file_depends_on_a_file_that_depends_back_on_it() {
    let edges = graph();
    assert!(edges.len() > 20, "read {} files", edges.len());
    // Not vacuous: the engine reads the rule language, evaluation reads the facts.
    assert!(
        edges["engine/lower.rs"].contains("rules/mod.rs"),
        "{:?}",
        edges["engine/lower.rs"]
    );
    assert!(
        edges["engine/run.rs"].contains("facts.rs"),
        "{:?}",
        edges["engine/run.rs"]
    );
    let found = cycles(&edges);
    assert!(found.is_empty(), "import cycles between files: {found:?}");
}

#[test]
fn no_module_depends_on_a_module_that_depends_back_on_it() {
    let top = |f: &str| {
        f.split('/')
            .next()
            .unwrap_or(f)
            .trim_end_matches(".rs")
            .to_owned()
    };
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, out) in graph() {
        let entry = modules.entry(top(&file)).or_default();
        entry.extend(out.iter().map(|t| top(t)).filter(|t| *t != top(&file)));
    }
    assert!(modules["engine"].contains("rules"));
    let found = cycles(&modules);
    assert!(found.is_empty(), "import cycles between modules: {found:?}");
}

/// The README's module map names every file of `src/`, and no file that is not there.
#[test]
fn the_readme_maps_every_source_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = BTreeMap::new();
    files(&root, &root, &mut all);
    let readme = include_str!("../README.md");
    for file in all.keys().filter(|f| *f != "lib.rs") {
        assert!(
            readme.contains(&format!("`src/{file}`")),
            "README lacks src/{file}"
        );
    }
    for named in readme.split("`src/").skip(1) {
        let name = named.split('`').next().unwrap_or_default();
        if name.ends_with(".rs") {
            assert!(
                all.contains_key(name),
                "README names src/{name}, which does not exist"
            );
        }
    }
}
