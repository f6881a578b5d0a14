//! Checks of the `training` section: every number in range and cited, zones in order, the
//! plan's diagnoses known. Positions point into the section: at the entry's field name, or at
//! the text at fault.

use std::collections::HashSet;

use super::TrainingDef;
use super::training::Cited;
use super::validate::Validator;
use crate::diagnostic::{DiagnosticKind as K, did_you_mean};

/// How a cited number must look.
struct Range {
    min: f64,
    /// Whether `min` itself is allowed.
    min_ok: bool,
    max: f64,
    whole: bool,
    words: &'static str,
}

impl Validator<'_> {
    pub(super) fn training(
        &mut self,
        t: &TrainingDef,
        diagnoses: &HashSet<&str>,
        steps: &HashSet<&str>,
    ) {
        // Below 1% a plan could not grow in steps of 0.1 km; above 100% it is no limit.
        let percent = Range {
            min: 1.0,
            min_ok: true,
            max: 100.0,
            whole: false,
            words: "a percentage from 1 to 100",
        };
        self.cited("weekly_limit", &t.weekly_limit, &percent);
        let zones = &t.acwr_zones;
        if zones.source.trim().is_empty() {
            self.in_training(K::Empty("source"), "acwr_zones", "acwr_zones", None);
        }
        if zones.zones.is_empty() {
            self.bad("acwr_zones", "list at least one zone", "acwr_zones");
        }
        let mut ids = HashSet::new();
        let mut last = 0.0;
        for (i, z) in zones.zones.iter().enumerate() {
            let needle = format!("\"{}\"", z.id);
            let field = format!("acwr_zones.{}", if z.id.is_empty() { "?" } else { &z.id });
            if z.id.trim().is_empty() || z.text.trim().is_empty() {
                self.bad(&field, "a zone needs an `id` and a `text`", &needle);
            }
            if !ids.insert(z.id.as_str()) {
                self.bad(&field, "this zone id is used twice", &needle);
            }
            let is_last = i + 1 == zones.zones.len();
            match z.below {
                None if !is_last => {
                    self.bad(&field, "only the last zone may leave out `below`", &needle);
                }
                Some(_) if is_last => self.bad(
                    &field,
                    "the last zone must leave out `below`, so that every ratio has a zone",
                    &needle,
                ),
                Some(b) if !(b.is_finite() && b > last) => self.bad(
                    &field,
                    &format!("`below: {b}` must be a number above the zone before ({last})"),
                    &needle,
                ),
                Some(b) => last = b,
                None => {}
            }
        }

        let Some(plan) = &t.plan else { return };
        self.cited(
            "plan.weeks",
            &plan.weeks,
            &Range {
                min: 1.0,
                min_ok: true,
                max: 52.0,
                whole: true,
                words: "a whole number of weeks from 1 to 52",
            },
        );
        self.cited(
            "plan.pain_limit",
            &plan.pain_limit,
            &Range {
                min: 0.0,
                min_ok: true,
                max: 10.0,
                whole: true,
                words: "a whole score from 0 to 10",
            },
        );
        if plan.start.is_empty() {
            self.bad("plan.start", "list at least one start", "start");
        }
        let mut planned = HashSet::new();
        for s in &plan.start {
            let first = s.diagnoses.first().map_or("start", String::as_str);
            let needle = format!("\"{first}\"");
            let field = format!("plan.start({first})");
            if !(s.fraction.is_finite() && s.fraction > 0.0 && s.fraction <= 1.0) {
                self.bad(
                    &field,
                    &format!(
                        "`fraction: {}` must be above 0 and at most 1: a plan never starts above the runner's recent distance",
                        s.fraction
                    ),
                    &needle,
                );
            }
            if s.diagnoses.is_empty() {
                self.bad(
                    "plan.start",
                    "list the diagnoses this start is for",
                    "diagnoses",
                );
            }
            if s.source.trim().is_empty() {
                let hint = format!("cite the published source of `training.{field}`");
                self.in_training(K::Empty("source"), &field, &needle, Some(hint));
            }
            for d in &s.diagnoses {
                if !planned.insert(d.as_str()) {
                    self.bad(
                        &field,
                        &format!("`{d}` already has a start: one fraction per diagnosis"),
                        &format!("\"{d}\""),
                    );
                }
                self.known_diagnosis(&field, d, diagnoses);
            }
        }
        self.plan_runs(plan, &percent);
        self.no_plan(plan, diagnoses);
        self.stages(plan, diagnoses, steps);
    }

    /// The entry criteria, runs, setbacks and stop signs of a plan.
    fn plan_runs(&mut self, plan: &super::PlanDef, percent: &Range) {
        for c in &plan.entry {
            if c.text.trim().is_empty() {
                self.bad("plan.entry", "a criterion needs its `text`", "entry");
            }
            if c.source.trim().is_empty() {
                let hint = "cite the published source of the criterion".to_owned();
                self.in_training(K::Empty("source"), "plan.entry", "entry", Some(hint));
            }
        }
        if let Some(runs) = &plan.runs {
            let whole = |min: f64, max: f64, words| Range {
                min,
                min_ok: true,
                max,
                whole: true,
                words,
            };
            self.cited(
                "plan.runs.per_week",
                &runs.per_week,
                &whole(1.0, 3.0, "1, 2 or 3: a rest day follows every run"),
            );
            self.cited(
                "plan.runs.single_run_limit",
                &runs.single_run_limit,
                percent,
            );
            self.cited(
                "plan.runs.effort",
                &runs.effort,
                &whole(1.0, 10.0, "a whole score from 1 to 10"),
            );
            if !runs.walk_run.is_empty() && runs.walk_run_source.trim().is_empty() {
                let hint = "cite the published source of the walk-run intervals".to_owned();
                self.in_training(
                    K::Empty("walk_run_source"),
                    "plan.runs",
                    "walk_run",
                    Some(hint),
                );
            }
            if runs.walk_run.iter().any(|i| i.run_min == 0) {
                self.bad(
                    "plan.runs.walk_run",
                    "every interval needs at least one minute of running (`run_min`)",
                    "walk_run",
                );
            }
        }
        if let Some(s) = &plan.setbacks {
            let r = Range {
                min: 1.0,
                min_ok: true,
                max: 10.0,
                whole: true,
                words: "a whole number of setbacks from 1 to 10",
            };
            self.cited("plan.setbacks", s, &r);
        }
        for s in &plan.stop {
            if s.text.trim().is_empty() || s.lines.is_empty() {
                self.bad(
                    "plan.stop",
                    "a stop sign needs its `text` and the policy `lines` it would fire",
                    "stop",
                );
            }
        }
    }

    /// The diagnoses that rule a plan out: known, with a rank, a reason and a source.
    fn no_plan(&mut self, plan: &super::PlanDef, diagnoses: &HashSet<&str>) {
        for n in &plan.no_plan {
            let first = n.diagnoses.first().map_or("no_plan", String::as_str);
            let field = format!("plan.no_plan({first})");
            let needle = format!("\"{first}\"");
            if n.diagnoses.is_empty() {
                self.bad(
                    "plan.no_plan",
                    "list the diagnoses that rule a plan out",
                    "no_plan",
                );
            }
            if !(1..=3).contains(&n.within_top) {
                self.bad(
                    &field,
                    &format!(
                        "`within_top: {}` must be 1, 2 or 3: the report names three diagnoses",
                        n.within_top
                    ),
                    "within_top",
                );
            }
            if n.reason.trim().is_empty() {
                self.bad(&field, "say why there is no plan in `reason`", "reason");
            }
            if n.source.trim().is_empty() {
                let hint = format!("cite the published source of `training.{field}`");
                self.in_training(K::Empty("source"), &field, &needle, Some(hint));
            }
            for d in &n.diagnoses {
                self.known_diagnosis(&field, d, diagnoses);
            }
        }
    }

    /// The stages of rehabilitation: for known diagnoses, each diagnosis once, no running in
    /// the first stage, every stage worded, its steps known.
    fn stages(&mut self, plan: &super::PlanDef, diagnoses: &HashSet<&str>, steps: &HashSet<&str>) {
        let mut staged = HashSet::new();
        for g in &plan.stages {
            let first = g.diagnoses.first().map_or("stages", String::as_str);
            let field = format!("plan.stages({first})");
            let needle = format!("\"{first}\"");
            if g.diagnoses.is_empty() {
                self.bad(
                    "plan.stages",
                    "list the diagnoses these stages are for",
                    "stages",
                );
            }
            for d in &g.diagnoses {
                self.known_diagnosis(&field, d, diagnoses);
                if !staged.insert(d.as_str()) {
                    self.bad(
                        &field,
                        &format!("`{d}` already has stages: one list per diagnosis"),
                        &format!("\"{d}\""),
                    );
                }
            }
            if g.source.trim().is_empty() {
                let hint = format!("cite the published source of `training.{field}`");
                self.in_training(K::Empty("source"), &field, &needle, Some(hint));
            }
            match g.stages.first() {
                None => self.bad(&field, "list at least one stage", &needle),
                Some(s) if s.runs => self.bad(
                    &field,
                    "the first stage must be `runs: false`: no running before the entry stage",
                    "runs",
                ),
                Some(_) => {}
            }
            for st in &g.stages {
                if [&st.name, &st.text, &st.until]
                    .iter()
                    .any(|t| t.trim().is_empty())
                {
                    self.bad(
                        &field,
                        "every stage needs its `name`, `text` and `until`",
                        "Stage",
                    );
                }
                for id in &st.steps {
                    if !steps.contains(id.as_str()) {
                        let hint = did_you_mean(id, steps.iter().copied())
                            .map(|m| format!("did you mean `{m}`?"));
                        let kind = K::UnknownReference {
                            what: "step",
                            id: id.clone(),
                        };
                        self.in_training(kind, &field, &format!("\"{id}\""), hint);
                    }
                }
            }
        }
    }

    /// A diagnosis named in the training section must be one of the set's.
    fn known_diagnosis(&mut self, field: &str, d: &str, diagnoses: &HashSet<&str>) {
        if !diagnoses.contains(d) {
            let hint =
                did_you_mean(d, diagnoses.iter().copied()).map(|m| format!("did you mean `{m}`?"));
            let kind = K::UnknownReference {
                what: "diagnosis",
                id: d.to_owned(),
            };
            self.in_training(kind, field, &format!("\"{d}\""), hint);
        }
    }

    /// A cited number: in range, and with a source.
    fn cited(&mut self, field: &str, c: &Cited, r: &Range) {
        // The last part of the path is the name written in the file.
        let name = field.rsplit('.').next().unwrap_or(field);
        let above_min = if r.min_ok {
            c.value >= r.min
        } else {
            c.value > r.min
        };
        let ok = c.value.is_finite()
            && above_min
            && c.value <= r.max
            && (!r.whole || c.value.fract() == 0.0);
        if !ok {
            self.bad(field, &format!("`{}` must be {}", c.value, r.words), name);
        }
        if c.source.trim().is_empty() {
            let hint = format!(
                "cite the published source of `training.{field}`: authors or body, year, title, journal"
            );
            self.in_training(K::Empty("source"), field, name, Some(hint));
        }
    }

    fn bad(&mut self, field: &str, problem: &str, needle: &str) {
        self.in_training(K::BadTraining(problem.to_owned()), field, needle, None);
    }
}
