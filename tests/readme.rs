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
