//! Finds conditions that no assessment can make true: `Onset(Acute)` with `Onset(Chronic)`,
//! `Has(X)` with `Not(Has(X))`, `Age` above 60 and below 50, a pain score above 10.
//!
//! Each condition is summarised by the facts it *implies* when true and when false
//! ([`Implied`]): a leaf implies itself; `All` implies what each of its parts implies when
//! true; `Any` when false implies each part false; `Not` swaps the two. What a disjunction
//! implies is left out, so the analysis is sound (a conflict it reports is real) but not
//! complete (it misses conflicts spread across the branches of an `Any`). That is the trade
//! a validator wants: no false alarms, and linear time.

use std::collections::BTreeMap;
use std::fmt;

use super::{Cmp, Condition};
use crate::fields::{Field, Num};
use crate::vocab::{History, Location, Mechanism, Onset, Sex, Surface, Symptom};

/// A yes-or-no fact the rule language can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lit {
    Has(Symptom),
    Location(Location),
    History(History),
    Onset(Onset),
    Mechanism(Mechanism),
    Sex(Sex),
    Surface(Surface),
    Downhill,
    IntensityIncreased,
    NewToRunning,
}

impl Lit {
    /// Facts of which exactly one holds once known, and how many there are: a runner has one
    /// onset, one mechanism, one sex, one usual surface.
    fn group(self) -> Option<(u8, usize)> {
        match self {
            Lit::Onset(_) => Some((0, Onset::ALL.len())),
            Lit::Mechanism(_) => Some((1, Mechanism::ALL.len())),
            Lit::Sex(_) => Some((2, Sex::ALL.len())),
            Lit::Surface(_) => Some((3, Surface::ALL.len())),
            _ => None,
        }
    }

    /// The optional field a definite answer about this fact requires.
    fn field(self) -> Option<Field> {
        match self {
            Lit::Mechanism(_) => Some(Field::Mechanism),
            Lit::Sex(_) => Some(Field::Sex),
            _ => None,
        }
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Has(x) => write!(f, "Has({x})"),
            Lit::Location(x) => write!(f, "Location({x})"),
            Lit::History(x) => write!(f, "History({x})"),
            Lit::Onset(x) => write!(f, "Onset({x})"),
            Lit::Mechanism(x) => write!(f, "Mechanism({x})"),
            Lit::Sex(x) => write!(f, "Sex({x})"),
            Lit::Surface(x) => write!(f, "Surface({x})"),
            Lit::Downhill => f.write_str("Downhill"),
            Lit::IntensityIncreased => f.write_str("IntensityIncreased"),
            Lit::NewToRunning => f.write_str("NewToRunning"),
        }
    }
}

/// A set of reals between two bounds, each open or closed.
#[derive(Debug, Clone, Copy)]
struct Interval {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
}

impl Interval {
    fn of(cmp: Cmp) -> Interval {
        let inf = f64::INFINITY;
        let (lo, lo_open, hi, hi_open) = match cmp {
            Cmp::Above(t) => (t, true, inf, false),
            Cmp::AtLeast(t) => (t, false, inf, false),
            Cmp::Below(t) => (-inf, false, t, true),
            Cmp::AtMost(t) => (-inf, false, t, false),
            Cmp::Between(a, b) => (a, false, b, false),
        };
        Interval {
            lo,
            lo_open,
            hi,
            hi_open,
        }
    }

    fn meet(self, o: Interval) -> Interval {
        let (lo, lo_open) = if o.lo > self.lo || (o.lo == self.lo && o.lo_open) {
            (o.lo, o.lo_open)
        } else {
            (self.lo, self.lo_open)
        };
        let (hi, hi_open) = if o.hi < self.hi || (o.hi == self.hi && o.hi_open) {
            (o.hi, o.hi_open)
        } else {
            (self.hi, self.hi_open)
        };
        Interval {
            lo,
            lo_open,
            hi,
            hi_open,
        }
    }

    fn is_empty(self) -> bool {
        // NaN bounds compare false everywhere; they are reported as bad thresholds elsewhere.
        self.lo > self.hi || (self.lo == self.hi && (self.lo_open || self.hi_open))
    }
}

/// The comparison that is true exactly when `cmp` is false, for a known value.
fn negate(cmp: Cmp) -> Option<Cmp> {
    Some(match cmp {
        Cmp::Above(t) => Cmp::AtMost(t),
        Cmp::AtLeast(t) => Cmp::Below(t),
        Cmp::Below(t) => Cmp::AtLeast(t),
        Cmp::AtMost(t) => Cmp::Above(t),
        Cmp::Between(..) => return None,
    })
}

fn cmp_text(n: Num, cmp: Cmp) -> String {
    let t = |x: f64| format!("{x}");
    let inner = match cmp {
        Cmp::Above(x) => format!("Above({})", t(x)),
        Cmp::AtLeast(x) => format!("AtLeast({})", t(x)),
        Cmp::Below(x) => format!("Below({})", t(x)),
        Cmp::AtMost(x) => format!("AtMost({})", t(x)),
        Cmp::Between(a, b) => format!("Between({}, {})", t(a), t(b)),
    };
    format!("{}({inner})", n.name())
}

/// What a condition requires of the facts when it holds: every entry must be so.
#[derive(Debug, Clone, Default)]
pub(crate) struct Required {
    lits: BTreeMap<Lit, bool>,
    /// Per numeric fact, the comparisons it must pass and the interval they leave.
    nums: BTreeMap<Num, (Interval, Vec<Cmp>)>,
    /// Fields that must be given, and fields that must be missing, by `Field` index.
    given: u16,
    missing: u16,
    /// Why no assessment can satisfy these facts, and whether that was already so in a
    /// pattern used here (and so reported there).
    conflict: Option<(String, bool)>,
}

fn field_name(mask: u16) -> &'static str {
    Field::of_bit(mask).map_or("?", Field::name)
}

impl Required {
    /// The reason these facts cannot all hold, unless it was found (and reported) in a
    /// pattern they came from.
    pub(crate) fn own_conflict(&self) -> Option<&str> {
        match &self.conflict {
            Some((why, false)) => Some(why),
            _ => None,
        }
    }

    /// The same facts, as seen from a condition that uses the pattern they belong to.
    pub(crate) fn inherited(&self) -> Required {
        let mut f = self.clone();
        if let Some((_, from_pattern)) = &mut f.conflict {
            *from_pattern = true;
        }
        f
    }

    fn lit(l: Lit, value: bool) -> Required {
        let mut f = Required::default();
        f.add_lit(l, value);
        f
    }

    fn clash(&mut self, why: String) {
        if self.conflict.is_none() {
            self.conflict = Some((why, false));
        }
    }

    fn add_lit(&mut self, l: Lit, value: bool) {
        let text = |l: Lit, v: bool| {
            if v {
                format!("`{l}`")
            } else {
                format!("`Not({l})`")
            }
        };
        if let Some(&old) = self.lits.get(&l) {
            if old != value {
                self.clash(format!(
                    "{} and {} cannot both hold",
                    text(l, true),
                    text(l, false)
                ));
            }
            return;
        }
        if let Some((g, size)) = l.group() {
            let same_group = || {
                self.lits
                    .iter()
                    .filter(move |(k, _)| k.group().map(|x| x.0) == Some(g))
            };
            if value {
                if let Some((&other, _)) = same_group().find(|&(_, &v)| v) {
                    self.clash(format!(
                        "{} and {} cannot both hold",
                        text(other, true),
                        text(l, true)
                    ));
                }
            } else if same_group().filter(|&(_, &v)| !v).count() + 1 == size {
                self.clash(format!("every value of `{}` is ruled out", group_name(g)));
            }
        }
        if let Some(field) = l.field() {
            self.require(field, false, &text(l, value));
        }
        self.lits.insert(l, value);
    }

    /// Records that `field` must be missing (`true`) or given (`false`), because of `by`.
    fn require(&mut self, field: Field, missing: bool, by: &str) {
        self.require_bit(Field::bit(field), missing, Some(by));
    }

    fn add_num(&mut self, n: Num, cmp: Cmp) {
        let (lo, hi, range) = n.domain();
        let domain = Interval {
            lo,
            lo_open: false,
            hi,
            hi_open: false,
        };
        self.require(n.field(), false, &format!("`{}`", cmp_text(n, cmp)));
        let (interval, cmps) = self.nums.entry(n).or_insert((domain, Vec::new()));
        *interval = interval.meet(Interval::of(cmp));
        cmps.push(cmp);
        if interval.is_empty() {
            let why = if cmps.len() == 1 {
                format!(
                    "`{}` is never true: the valid range is {range}",
                    cmp_text(n, cmp)
                )
            } else {
                let all: Vec<String> = cmps
                    .iter()
                    .map(|&c| format!("`{}`", cmp_text(n, c)))
                    .collect();
                format!("{} leave no possible value", all.join(" and "))
            };
            self.clash(why);
        }
    }

    /// Both hold.
    pub(crate) fn and(&mut self, other: &Required) {
        if self.conflict.is_none() {
            self.conflict.clone_from(&other.conflict);
        }
        for (&l, &v) in &other.lits {
            self.add_lit(l, v);
        }
        for (&n, (_, cmps)) in &other.nums {
            for &c in cmps {
                self.add_num(n, c);
            }
        }
        for i in 0..16 {
            let b = 1u16 << i;
            if other.given & b != 0 {
                self.require_bit(b, false, None);
            }
            if other.missing & b != 0 {
                self.require_bit(b, true, None);
            }
        }
    }

    fn require_bit(&mut self, b: u16, missing: bool, by: Option<&str>) {
        let clash = if missing {
            self.given & b
        } else {
            self.missing & b
        };
        if clash != 0 {
            let name = field_name(b);
            let by = by.map_or_else(|| format!("a test of `{name}`"), str::to_owned);
            self.clash(format!("`Missing({name})` and {by} cannot both hold"));
        }
        if missing {
            self.missing |= b;
        } else {
            self.given |= b;
        }
    }
}

fn group_name(g: u8) -> &'static str {
    match g {
        0 => "Onset",
        1 => "Mechanism",
        2 => "Sex",
        _ => "Surface",
    }
}

/// What a condition implies when true and when false.
#[derive(Debug, Clone, Default)]
pub(crate) struct Implied {
    pub(crate) when_true: Required,
    pub(crate) when_false: Required,
}

impl Implied {
    /// The swap `Not` makes.
    pub(crate) fn not(self) -> Implied {
        Implied {
            when_true: self.when_false,
            when_false: self.when_true,
        }
    }

    /// A pattern's summary, used through `Is`. Only a conflict of the pattern being true was
    /// reported at the pattern; one of it being false (so that `Not(Is(p))` can never hold)
    /// is the using rule's to report.
    pub(crate) fn inherited(&self) -> Implied {
        Implied {
            when_true: self.when_true.inherited(),
            when_false: self.when_false.clone(),
        }
    }

    /// `All` of the parts when `all` is true, `Any` of them otherwise; `AtLeast(n, ..)` is
    /// `All` when n is the length and `Any` when n is 1.
    pub(crate) fn combine(parts: &[Implied], all: bool, any: bool) -> Implied {
        let mut out = Implied::default();
        for p in parts {
            if all {
                out.when_true.and(&p.when_true);
            }
            if any {
                out.when_false.and(&p.when_false);
            }
        }
        out
    }

    /// A leaf condition. Numeric tests with thresholds outside their field's range are left
    /// out: the validator reports those on their own.
    pub(crate) fn leaf(c: &Condition) -> Implied {
        let both = |l: Lit| Implied {
            when_true: Required::lit(l, true),
            when_false: Required::lit(l, false),
        };
        match c {
            Condition::Has(x) => both(Lit::Has(*x)),
            Condition::Location(x) => both(Lit::Location(*x)),
            Condition::History(x) => both(Lit::History(*x)),
            Condition::Onset(x) => both(Lit::Onset(*x)),
            Condition::Mechanism(x) => both(Lit::Mechanism(*x)),
            Condition::Sex(x) => both(Lit::Sex(*x)),
            Condition::Surface(x) => both(Lit::Surface(*x)),
            Condition::Downhill => both(Lit::Downhill),
            Condition::IntensityIncreased => both(Lit::IntensityIncreased),
            Condition::NewToRunning => both(Lit::NewToRunning),
            Condition::Missing(field) => {
                let mut t = Required::default();
                t.require(*field, true, "");
                let mut f = Required::default();
                f.require(*field, false, "");
                Implied {
                    when_true: t,
                    when_false: f,
                }
            }
            _ => match c.number() {
                Some((n, cmp)) if in_domain(n, cmp) => {
                    let mut t = Required::default();
                    t.add_num(n, cmp);
                    let mut f = Required::default();
                    match negate(cmp) {
                        Some(neg) => f.add_num(n, neg),
                        None => f.require(n.field(), false, ""),
                    }
                    Implied {
                        when_true: t,
                        when_false: f,
                    }
                }
                _ => Implied::default(),
            },
        }
    }
}

/// Every threshold finite and inside the field's valid range, and a `Between` not reversed.
pub(crate) fn in_domain(n: Num, cmp: Cmp) -> bool {
    let (lo, hi, _) = n.domain();
    cmp.thresholds()
        .all(|t| t.is_finite() && lo <= t && t <= hi)
        && !matches!(cmp, Cmp::Between(a, b) if a > b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_ron;

    /// Why `condition` (RON) can never be true, if the analysis finds a reason.
    fn never(condition: &str) -> Option<String> {
        let c: Condition = parse_ron(condition, usize::MAX).unwrap();
        summarise(&c).when_true.own_conflict().map(str::to_owned)
    }

    /// The summary of a condition without patterns, as the validator builds it.
    fn summarise(c: &Condition) -> Implied {
        match c {
            Condition::All(l) | Condition::Any(l) => {
                let all = matches!(c, Condition::All(_));
                let single = l.len() == 1;
                let parts: Vec<Implied> = l.iter().map(summarise).collect();
                Implied::combine(&parts, all || single, !all || single)
            }
            Condition::AtLeast(n, l) => {
                let parts: Vec<Implied> = l.iter().map(summarise).collect();
                Implied::combine(&parts, *n as usize == l.len(), *n == 1)
            }
            Condition::Not(inner) => summarise(inner).not(),
            leaf => Implied::leaf(leaf),
        }
    }

    #[test]
    fn finds_conditions_no_assessment_satisfies() {
        for c in [
            "All([Onset(Acute), Onset(Chronic)])",
            "All([Not(Onset(Acute)), Not(Onset(Chronic))])",
            "All([Has(Fever), Not(Any([Has(Swelling), Has(Fever)]))])",
            "All([Has(Fever), Not(Not(Not(Has(Fever))))])",
            "All([Age(Above(60)), Age(Below(50))])",
            "All([Age(AtLeast(50)), Age(Below(50))])",
            "All([Age(Above(50)), Not(Age(Above(40)))])",
            "PainScore(Below(0))",
            "PainScore(Above(10))",
            "All([Missing(Mechanism), Not(Mechanism(Fall))])",
            "All([Missing(Age), Age(Between(10, 20))])",
            "All([Mechanism(Twisting), Mechanism(Fall)])",
            "AtLeast(2, [Sex(Female), Sex(Male)])",
            "All([Location(OuterKnee), All([Not(Location(OuterKnee))])])",
            "All([Downhill, Not(Downhill)])",
        ] {
            assert!(never(c).is_some(), "{c} was not caught");
        }
    }

    #[test]
    fn a_pattern_that_always_holds_cannot_be_negated() {
        // `Not(Is(p))` where p always holds is never true: the using rule must say so, even
        // though the pattern itself is fine.
        let p: Condition = parse_ron("PainScore(AtMost(10))", usize::MAX).unwrap();
        let through = summarise(&p).inherited().not();
        assert!(through.when_true.own_conflict().is_some());
        // A conflict of the pattern being true was reported at the pattern, not again.
        let q: Condition = parse_ron("PainScore(Above(10))", usize::MAX).unwrap();
        assert!(summarise(&q).inherited().when_true.own_conflict().is_none());
    }

    #[test]
    fn never_flags_a_condition_that_can_hold() {
        // Each of these is true for some assessment; a false alarm would refuse a good rule.
        for c in [
            "All([Onset(Acute), Not(Onset(Chronic))])",
            "All([Age(AtLeast(50)), Age(AtMost(50))])",
            "All([Age(Above(50)), Not(Age(Above(60)))])",
            "Any([Has(Fever), Not(Has(Fever))])",
            "All([Has(Fever), Not(Not(Has(Fever)))])",
            "All([Mechanism(Twisting), Not(Mechanism(Fall))])",
            "All([Not(Missing(Age)), Age(Above(3))])",
            "AtLeast(1, [Onset(Acute), Onset(Chronic)])",
            "All([Location(OuterKnee), Location(InnerJointLine)])",
            "All([Not(Age(Between(20, 30))), Age(Between(25, 26))])", // age unknown is not false
            "Any([All([Onset(Acute), Onset(Chronic)]), Has(Fever)])",
            "All([WeeklyIncreasePct(AtLeast(-100)), Acwr(Above(1.5))])",
            "All([Missing(Sex), Not(Has(Fever))])",
            "PainScore(AtLeast(10))",
        ] {
            assert_eq!(never(c), None, "{c} was flagged");
        }
    }
}
