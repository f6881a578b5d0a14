//! Criterion benchmarks of what a program pays: loading a rule set once, and evaluating
//! assessments many times, alone and across threads. Inputs are built outside the timed
//! closures; `Throughput::Elements` makes criterion report the time per assessment.
//!
//! `cargo bench --bench evaluate`; BENCHMARKS.md records the figures and what they mean.

#[path = "../tests/support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use patella::{Assessment, Case, DEFAULT_RULES, Outcome, RuleSet};

/// How many assessments the default-set benches cycle through.
const MIX: usize = 50;

/// Fifty realistic assessments: the vignettes of every case file and bundled example the
/// project can see, repeated in order until there are fifty.
fn realistic() -> Vec<Assessment> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/cases", "../shared/cases", "examples/assessments"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(entries.flatten().map(|e| e.path()));
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(case) = Case::from_ron(&text) {
            out.push(case.assessment);
        } else if let Ok(a) = Assessment::from_ron(&text) {
            out.push(a);
        }
    }
    assert!(!out.is_empty(), "no assessments found to benchmark");
    out.iter().cycle().take(MIX).cloned().collect()
}

fn load(c: &mut Criterion) {
    c.bench_function("load/default (parse, validate, compile)", |b| {
        b.iter(|| RuleSet::from_ron(black_box(DEFAULT_RULES)))
    });
}

fn evaluate(c: &mut Criterion) {
    let rules = RuleSet::default();
    let all = realistic();
    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(all.len() as u64));
    g.bench_function("report", |b| {
        b.iter(|| {
            for a in &all {
                black_box(rules.evaluate(black_box(a)));
            }
        })
    });
    // The report built in the memory of the one before.
    let mut report = rules.evaluate(&all[0]);
    g.bench_function("report in place", |b| {
        b.iter(|| {
            for a in &all {
                rules.evaluate_in_place(black_box(a), &mut report);
                black_box(&report);
            }
        })
    });
    // The same texts kept by `Arc` (a set loaded from text, not the process-wide default).
    let loaded = RuleSet::from_ron(DEFAULT_RULES).expect("the default set loads");
    g.bench_function("report, set loaded from text", |b| {
        b.iter(|| {
            for a in &all {
                black_box(loaded.evaluate(black_box(a)));
            }
        })
    });
    let mut outcome = Outcome::new();
    g.bench_function("into reused outcome", |b| {
        b.iter(|| {
            for a in &all {
                rules.evaluate_into(black_box(a), &mut outcome);
                black_box(outcome.level());
            }
        })
    });
    g.bench_function("explain", |b| {
        b.iter(|| {
            for a in &all {
                black_box(rules.explain(black_box(a)));
            }
        })
    });
    g.finish();

    // One report with everything in it: a runner with a log, training factors and a staged
    // return-to-running plan of nine weeks.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/assessments/patellar-tendinopathy.ron"),
    )
    .expect("the bundled tendinopathy runner");
    let heavy = Assessment::from_ron(&text).expect("a valid assessment");
    assert!(
        rules.evaluate(&heavy).plan.is_some(),
        "the bench needs a plan"
    );
    let mut g = c.benchmark_group("plan-heavy");
    g.throughput(Throughput::Elements(1));
    g.bench_function("report", |b| {
        b.iter(|| black_box(rules.evaluate(black_box(&heavy))))
    });
    g.bench_function("into reused outcome", |b| {
        b.iter(|| {
            rules.evaluate_into(black_box(&heavy), &mut outcome);
            black_box(outcome.level())
        })
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    let mut lcg = generate::Lcg::new(7);
    let assessments: Vec<Assessment> = (0..MIX).map(|_| generate::assessment(&mut lcg)).collect();
    for n in [100usize, 1_000, 10_000] {
        let text = generate::rule_set(n, 1);
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(BenchmarkId::new("load", n), &text, |b, text| {
            b.iter(|| RuleSet::from_ron(black_box(text)))
        });
        let rules = RuleSet::from_ron(&text).expect("generated sets are valid");
        g.throughput(Throughput::Elements(assessments.len() as u64));
        g.bench_with_input(BenchmarkId::new("evaluate", n), &rules, |b, rules| {
            b.iter(|| {
                for a in &assessments {
                    black_box(rules.evaluate(black_box(a)));
                }
            })
        });
        let mut outcome = Outcome::new();
        g.bench_with_input(BenchmarkId::new("into", n), &rules, |b, rules| {
            b.iter(|| {
                for a in &assessments {
                    rules.evaluate_into(black_box(a), &mut outcome);
                    black_box(outcome.level());
                }
            })
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let rules = RuleSet::default();
    let all = realistic();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = 20_000;
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements((threads * per_thread) as u64));
    g.bench_function(format!("{threads} threads, shared &RuleSet"), |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                for t in 0..threads {
                    let (rules, all) = (&rules, &all);
                    s.spawn(move || {
                        let mut outcome = Outcome::new();
                        for i in 0..per_thread {
                            rules.evaluate_into(&all[(i + t) % all.len()], &mut outcome);
                            black_box(outcome.level());
                        }
                    });
                }
            });
        })
    });
    g.finish();
}

criterion_group!(benches, load, evaluate, scaling, batch);
criterion_main!(benches);
