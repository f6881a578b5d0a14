//! Generated rule sets and assessments for benchmarks and scale tests: deterministic (a fixed
//! linear congruential generator), valid, and shaped like the default set's rules (a symptom
//! or two, a location, sometimes an age or load threshold, a suggestion with a weight).

#![allow(dead_code)] // each includer uses part of it

use patella::{Assessment, Location, Onset, Symptom};

/// A small deterministic generator; quality is irrelevant, repeatability is not.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A rule file with `rules` rules over 50 diagnoses and 50 steps, every entry used.
pub fn rule_set(rules: usize, seed: u64) -> String {
    let mut g = Lcg::new(seed);
    let diagnoses = 50;
    let mut out = String::from("RuleSet(name: \"generated\", version: \"1\",\n  diagnoses: [\n");
    for d in 0..diagnoses {
        out += &format!(
            "    Diagnosis(id: \"d{d}\", name: \"Condition {d}\", source: \"Generated\", steps: [\"s{d}\"]),\n"
        );
    }
    out += "  ],\n  steps: [\n";
    for s in 0..diagnoses {
        out += &format!("    Step(id: \"s{s}\", phase: ShortTerm, text: \"Step {s}.\"),\n");
    }
    out += "  ],\n  rules: [\n";
    for r in 0..rules {
        let mut parts = vec![format!(
            "Has({})",
            Symptom::ALL[g.below(Symptom::ALL.len())]
        )];
        if g.chance(50) {
            parts.push(format!(
                "Has({})",
                Symptom::ALL[g.below(Symptom::ALL.len())]
            ));
        }
        if g.chance(60) {
            parts.push(format!(
                "Location({})",
                Location::ALL[g.below(Location::ALL.len())]
            ));
        }
        if g.chance(30) {
            parts.push(format!("Age(AtLeast({}))", 10 + g.below(60)));
        }
        if g.chance(20) {
            parts.push(format!(
                "Onset({})",
                if g.chance(50) { "Acute" } else { "Chronic" }
            ));
        }
        let then = if r < diagnoses {
            // The first rules reach every diagnosis, so nothing is unused.
            format!("Suggest(\"d{r}\", 1.0)")
        } else if g.chance(5) {
            format!(
                "Escalate(Doctor, \"Reason {r}.\"), Suggest(\"d{}\", 0.5)",
                g.below(diagnoses)
            )
        } else {
            format!("Suggest(\"d{}\", {}.5)", g.below(diagnoses), g.below(3))
        };
        out += &format!(
            "    Rule(id: \"r{r}\", when: All([{}]), then: [{then}], source: \"Generated\"),\n",
            parts.join(", ")
        );
    }
    out += "  ],\n)\n";
    out
}

/// An assessment with a few symptoms known present and absent, a location, an age, and
/// sometimes a training history.
pub fn assessment(g: &mut Lcg) -> Assessment {
    let mut a = Assessment::new(if g.chance(40) {
        Onset::Acute
    } else {
        Onset::Chronic
    });
    a.age = Some(10 + g.below(70) as u32);
    for _ in 0..1 + g.below(4) {
        let s = Symptom::ALL[g.below(Symptom::ALL.len())];
        if !a.present.contains(&s) {
            a.present.push(s);
        }
    }
    for _ in 0..g.below(4) {
        let s = Symptom::ALL[g.below(Symptom::ALL.len())];
        if !a.present.contains(&s) && !a.absent.contains(&s) {
            a.absent.push(s);
        }
    }
    a.locations
        .push(Location::ALL[g.below(Location::ALL.len())]);
    if g.chance(50) {
        a.training.weekly_km = (0..4).map(|_| 10.0 + g.below(50) as f64).collect();
        a.training.longest_run_km = (0..4).map(|_| 5.0 + g.below(20) as f64).collect();
    }
    a
}
