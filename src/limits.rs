//! Limits on what the crate reads from outside, so that a hostile or broken rule file or
//! assessment is refused with a clear error instead of exhausting memory, time or the stack.
//! Each limit is far above what real input needs.

/// Largest rule file read, in bytes (16 MiB). The default set is about 0.12 MiB; a generated
/// set of 10,000 rules about 1.3 MiB. Larger text is refused before parsing (`E0007`).
pub const MAX_RULE_FILE_BYTES: usize = 16 << 20;

/// Largest assessment or case read, in bytes (1 MiB). A full assessment is under 2 KiB.
pub const MAX_ASSESSMENT_BYTES: usize = 1 << 20;

/// Most entries any one list of a rule set may hold: rules, patterns, diagnoses, steps or
/// factors (`E0115`). Loading stays linear well beyond it; the limit bounds memory.
pub const MAX_ENTRIES: usize = 100_000;

/// Deepest nesting of brackets the RON parser follows (`E0006`). Deep enough for any sensible
/// rule (the condition limit below is reached first), shallow enough that parsing stays well
/// inside a thread's stack.
pub const MAX_NESTING: usize = 128;

/// Deepest nesting of conditions, patterns expanded (`E0110`). Real rules need a handful.
pub const MAX_CONDITION_DEPTH: usize = 32;

/// The most weeks of training `TrainingLoad::weekly_km` may hold.
pub const MAX_WEEKS: usize = 12;

/// The longest single run `TrainingLoad::longest_run_km` may name, in km.
pub const MAX_RUN_KM: f64 = 500.0;
