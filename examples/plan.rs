//! Print a runner's training figures and return-to-running plan as tables.
//!
//! ```sh
//! cargo run --example plan                                   # the ITB runner with a load spike
//! cargo run --example plan -- examples/assessments/pfps.ron
//! ```
//!
//! FILE is an `Assessment` in RON with a training log. Exits 0 with a plan, 1 when the report
//! has none (and says why), and 2 when the file cannot be read or parsed.

mod support;
use support::say;

use std::process::ExitCode;

use patella::{Assessment, Level, Report, RuleSet};

const DEFAULT_FILE: &str = "examples/assessments/itbs.ron";

fn main() -> ExitCode {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT_FILE.to_owned());
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let assessment = match Assessment::from_ron(&text) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{file}:{e}");
            return ExitCode::from(2);
        }
    };
    let rules = RuleSet::default();
    let report = rules.evaluate(&assessment);

    say!("{file}: {:?}", report.escalation.level);
    if let Some(top) = report.top() {
        say!("Most likely: {}", top.name);
    }
    say!();
    figures(&report);
    say!();
    match &report.plan {
        Some(_) => {
            plan(&report);
            ExitCode::SUCCESS
        }
        None => {
            say!("No return-to-running plan: {}.", why_none(&report));
            ExitCode::from(1)
        }
    }
}

/// The training figures, one per line, each with what it is read against.
fn figures(r: &Report) {
    let l = &r.load;
    say!("Training figures");
    let row = |name: &str, value: Option<String>, note: String| {
        if let Some(v) = value {
            say!("  {name:<16} {v:>6} km  {note}");
        }
    };
    row("this week", l.week_km.map(km), String::new());
    row(
        "last week",
        l.previous_week_km.map(km),
        match (l.weekly_change_pct, l.weekly_limit_km) {
            (Some(pct), Some(most)) => {
                format!(
                    "this week {pct:+.0}%, where the weekly limit allows {} km",
                    km(most)
                )
            }
            (Some(pct), None) => format!("this week {pct:+.0}%"),
            _ => String::new(),
        },
    );
    row(
        &format!("{}-week average", l.chronic_weeks),
        l.chronic_km.map(km),
        match (l.acwr, &l.acwr_zone) {
            (Some(r), Some(zone)) => format!("acute:chronic ratio {r:.2} ({zone})"),
            (Some(r), None) => format!("acute:chronic ratio {r:.2}"),
            _ => String::new(),
        },
    );
    row(
        "longest run",
        l.longest_run_km.map(km),
        match (l.longest_run_change_pct, l.longest_before_km) {
            (Some(pct), Some(before)) => {
                format!("{pct:+.0}% on the longest before ({} km)", km(before))
            }
            _ => String::new(),
        },
    );
    row(
        "shoes",
        l.shoe_km.map(km),
        l.shoe_limit_km
            .map(|x| format!("replace at about {} km", km(x)))
            .unwrap_or_default(),
    );
    if !r.factors.is_empty() {
        say!("\nWhat may have contributed");
        for f in &r.factors {
            match &f.figure {
                Some(fig) => say!("  - {}: {fig}", f.text),
                None => say!("  - {}", f.text),
            }
        }
    }
}

/// The plan as a table, the exercises with their doses, and the sources of its numbers.
fn plan(r: &Report) {
    let Some(p) = &r.plan else { return };
    say!(
        "Return to running: start at {:.0}% of {} km a week, add at most {}% a week, pain at most {}/10",
        p.start_fraction * 100.0,
        km(p.recent_km),
        km(p.weekly_limit_pct),
        p.pain_limit
    );
    if !p.entry.is_empty() {
        say!("\nBefore the first run (until then: cross-training and strength work only)");
        for c in &p.entry {
            say!("  - {c}");
        }
    }
    if !p.stages.is_empty() {
        say!("\nStages, each until its criterion is met");
        for (i, st) in p.stages.iter().enumerate() {
            say!("  {}. {st}", i + 1);
        }
    }
    say!();
    say!(
        "  week  distance  change  if pain goes above {}/10",
        p.pain_limit
    );
    say!("  ----  --------  ------  ----------------------------");
    for w in &p.weeks {
        let change = if w.week == 1 {
            "start".to_owned()
        } else {
            format!("{:+.1}%", w.change_pct)
        };
        let back = w.step_back_km.map_or_else(
            || "rest from running, cross-train".to_owned(),
            |k| format!("repeat {} km", km(k)),
        );
        say!("  {:>4}  {:>5} km  {change:>6}  {back}", w.week, km(w.km));
    }
    if p.weeks.iter().any(|w| !w.runs.is_empty()) {
        let effort = p
            .effort
            .map_or_else(String::new, |e| format!(", effort {e}/10"));
        let cap = p
            .longest_run_cap_km
            .map_or_else(String::new, |c| format!(", none above {} km", km(c)));
        say!("\nRuns, a rest day after each{effort}{cap}");
        for w in &p.weeks {
            let runs: Vec<String> = w.runs.iter().map(ToString::to_string).collect();
            say!("  week {:>2}: {}", w.week, runs.join(", "));
        }
    }
    let step = |id: &patella::Text| {
        r.steps.iter().find(|s| &s.id == id).map(|s| match &s.dose {
            Some(d) => format!("{} ({d})", s.text),
            None => s.text.to_string(),
        })
    };
    for (heading, ids) in [
        ("On the days between runs", &p.rest_days),
        ("Strength work, as often as each dose says", &p.strength),
        ("After each run", &p.after_runs),
    ] {
        if !ids.is_empty() {
            say!("\n{heading}");
            for s in ids.iter().filter_map(step) {
                say!("  - {s}");
            }
        }
    }
    say!("\nPain rule: {}", p.pain_rule);
    if let Some(rule) = &p.setback_rule {
        say!("\nSetbacks: {rule}");
    }
    if !p.stop.is_empty() {
        say!("\nStop running and report it in a new assessment if");
        for s in &p.stop {
            let lines: Vec<&str> = s.lines.iter().map(|l| &**l).collect();
            say!("  - {} (policy {})", s.text, lines.join(", "));
        }
    }
    say!("\nWhere the numbers come from");
    for (what, source) in ["start", "weekly growth", "pain limit", "length"]
        .iter()
        .zip(&p.sources)
    {
        say!("  {what}: {source}");
    }
    for source in p.sources.iter().skip(4) {
        say!("  criteria, runs, setbacks and stages: {source}");
    }
}

fn why_none(r: &Report) -> &'static str {
    if r.escalation.level >= Level::Doctor {
        "the knee needs a doctor first"
    } else if r.load.week_km.is_none() {
        "the log has no weekly distances"
    } else if r.top().is_none() {
        "no condition stands out"
    } else {
        "the rule set has no plan for the most likely condition, or the log shows no recent distance"
    }
}

fn km(x: f64) -> String {
    if (x - x.round()).abs() < 0.05 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}
