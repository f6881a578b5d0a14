//! Criterion benchmarks of the two costs a program pays: loading the default rule set once,
//! and evaluating an assessment (many times). Inputs are built outside the timed closures.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use patella::{Assessment, Case, DEFAULT_RULES, RuleSet};

/// The assessments of every case file the project can see.
fn assessments() -> Vec<Assessment> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/cases", "../shared/cases", "examples/assessments"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            if let Ok(case) = Case::from_ron(&text) {
                out.push(case.assessment);
            } else if let Ok(a) = Assessment::from_ron(&text) {
                out.push(a);
            }
        }
    }
    out
}

fn load(c: &mut Criterion) {
    c.bench_function("load default rule set (parse, validate, compile)", |b| {
        b.iter(|| RuleSet::from_ron(black_box(DEFAULT_RULES)))
    });
}

fn evaluate(c: &mut Criterion) {
    let rules = RuleSet::default();
    let all = assessments();
    assert!(!all.is_empty(), "no assessments found to benchmark");
    c.bench_function(&format!("evaluate {} assessments", all.len()), |b| {
        b.iter(|| {
            for a in &all {
                black_box(rules.evaluate(black_box(a)));
            }
        })
    });
}

criterion_group!(benches, load, evaluate);
criterion_main!(benches);
