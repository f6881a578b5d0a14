//! The project's case files, for tests that run every one of them.

#![allow(dead_code)] // each includer uses part of it

use std::path::Path;

use patella::Case;

/// Every case of `tests/cases/` and `../shared/cases/`, sorted by id.
pub fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/cases", "../shared/cases"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).expect("readable case file");
            out.push(Case::from_ron(&text).expect("valid case"));
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
