//! The README explains a rule of the default set line by line; the copy must not drift from the
//! file. (The README's Rust example is compiled and run as a doc test through lib.rs.)

use patella::DEFAULT_RULES;

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_readme_rule_is_the_rule_in_the_file() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("## A first rule")
        .nth(1)
        .expect("the README has a section on a first rule");
    let block = section
        .split("```ron")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section shows the rule in a ron block");
    let rule = squash(block).trim_end_matches(',').to_owned();
    assert!(rule.starts_with("Rule("), "{rule}");
    assert!(
        squash(DEFAULT_RULES).contains(&rule),
        "the README's rule is not in rules/runner_knee.ron:\n{rule}"
    );
}

/// The rule and pattern shown in docs/RULES.md are the ones in the default set, word for word.
#[test]
fn the_rules_guide_quotes_the_default_set() {
    let guide = include_str!("../docs/RULES.md");
    let mut quoted = 0;
    for block in guide.split("```ron").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        let text = squash(block).trim_end_matches(',').to_owned();
        if text.starts_with("Rule(") || text.starts_with("Pattern(") {
            assert!(
                squash(DEFAULT_RULES).contains(&text),
                "docs/RULES.md quotes what is not in rules/runner_knee.ron:\n{text}"
            );
            quoted += 1;
        }
    }
    assert!(quoted >= 2, "the guide quotes {quoted} rules and patterns");
}
