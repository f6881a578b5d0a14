//! Evaluate a million generated assessments on the default rule set across every core, and
//! print the throughput.
//!
//! ```sh
//! cargo run --release --example throughput            # a million
//! cargo run --release --example throughput -- 200000  # or as many as you say
//! ```
//!
//! The assessments are generated first (deterministically), then split into one chunk per
//! thread; every thread shares one `&RuleSet` and reuses one `Outcome`, so the timed part
//! allocates nothing.

#[path = "../tests/support/generate.rs"]
mod generate;

mod support;
use support::say;

use std::time::Instant;

use patella::{Level, Outcome, RuleSet};

fn main() {
    let n: usize = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 1_000_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: throughput [COUNT]   (a positive number of assessments)");
            std::process::exit(2);
        }
    };
    let rules = RuleSet::default();
    let mut lcg = generate::Lcg::new(2026);
    let assessments: Vec<_> = (0..n).map(|_| generate::assessment(&mut lcg)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let chunk = n.div_ceil(threads);

    let start = Instant::now();
    let counts: Vec<[usize; 5]> = std::thread::scope(|s| {
        let handles: Vec<_> = assessments
            .chunks(chunk)
            .map(|part| {
                let rules = &rules;
                s.spawn(move || {
                    let mut outcome = Outcome::new();
                    let mut by_level = [0usize; 5];
                    for a in part {
                        rules.evaluate_into(a, &mut outcome);
                        let at = Level::ALL.iter().position(|l| *l == outcome.level());
                        by_level[at.unwrap_or(0)] += 1;
                    }
                    by_level
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let elapsed = start.elapsed();

    let mut by_level = [0usize; 5];
    for c in &counts {
        for (total, x) in by_level.iter_mut().zip(c) {
            *total += x;
        }
    }
    let secs = elapsed.as_secs_f64();
    say!(
        "{n} assessments on {threads} thread{} in {:.3} s: {:.2} million a second, {:.0} ns each per thread",
        if threads == 1 { "" } else { "s" },
        secs,
        n as f64 / secs / 1e6,
        secs * 1e9 * threads as f64 / n as f64,
    );
    for (level, count) in Level::ALL.iter().zip(by_level) {
        say!("  {:<15} {count}", level.name());
    }
}
