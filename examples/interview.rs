//! A triage interview in the terminal: one question at a time on standard input, warning signs
//! first, then the report. Plain lines, so it can be scripted:
//!
//! ```sh
//! cargo run --example interview
//! printf 'n\n0\n0\n0\n1\n' | cargo run --example interview   # gradual; no signs; ...
//! cargo run --example interview -- --simulate examples/assessments/itbs.ron
//! ```
//!
//! Answers: `y` or `n` to a yes-or-no question; a number where one is asked; on a list, the
//! numbers of the options that apply (`1 3`), or `0` for none of these; height and weight as
//! `180 75`; `?` or an empty line for don't know, to anything. The interview ends when no
//! answer left could change the escalation or the top diagnosis, or when the input ends.
//!
//! `--simulate FILE` answers every question from an assessment or case file as that runner
//! would (what the file does not say is "don't know"; on a checklist the items the file gives
//! as present are ticked), starting from the onset and the training log only. It prints the
//! questions and their count, then the level and the top three, and exits with 1 when they
//! differ from evaluating the whole file.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use patella::{Answer, Assessment, Case, Interview, Onset, Question, QuestionKind, RuleSet};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rules = RuleSet::default();
    match args.as_slice() {
        [] => {
            interactive(&rules);
            ExitCode::SUCCESS
        }
        [flag, file] if flag == "--simulate" => simulate(&rules, file),
        _ => {
            eprintln!("usage: interview [--simulate FILE]");
            ExitCode::from(2)
        }
    }
}

/// Answers every question as the runner of `file` would, and compares the end with the file.
fn simulate(rules: &RuleSet, file: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let full = match Case::from_ron(&text) {
        Ok(case) => case.assessment,
        Err(_) => match Assessment::from_ron(&text) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("{file}:{e}");
                return ExitCode::from(2);
            }
        },
    };
    // What an app holds before asking: the onset and the runner's training log.
    let mut start = Assessment::new(full.onset);
    start.training = full.training.clone();
    start.training.new_to_running = None;
    let mut interview = Interview::new(rules, start);
    let mut out = std::io::stdout();
    let mut asked = 0;
    while let Some(q) = interview.next() {
        let answer = q.answer_for(&full);
        say(
            &mut out,
            &format!("{:2}. {} -> {}", asked + 1, q.text, shown(&q, &answer)),
        );
        if let Err(e) = interview.answer(&q.id, answer) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
        asked += 1;
    }
    let got = interview.report();
    let want = rules.evaluate(&full);
    let top3 = |r: &patella::Report| {
        r.diagnoses
            .iter()
            .take(3)
            .map(|d| d.id.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    say(&mut out, &format!("\n{asked} questions"));
    say(
        &mut out,
        &format!("interview: {} [{}]", got.escalation.level, top3(&got)),
    );
    say(
        &mut out,
        &format!("full file: {} [{}]", want.escalation.level, top3(&want)),
    );
    let same = got.escalation.level == want.escalation.level
        && got.top().map(|d| &d.id) == want.top().map(|d| &d.id);
    if same {
        ExitCode::SUCCESS
    } else {
        say(&mut out, "the interview ended elsewhere than the full file");
        ExitCode::FAILURE
    }
}

/// An answer in words, for the simulation's transcript.
fn shown(q: &Question, answer: &Answer) -> String {
    match answer {
        Answer::Yes => "yes".to_owned(),
        Answer::No => "no".to_owned(),
        Answer::Number(x) => format!("{x}"),
        Answer::Picked(picked) if picked.is_empty() => "none".to_owned(),
        Answer::Picked(picked) => {
            let options = match &q.kind {
                QuestionKind::OneOf { options } | QuestionKind::AnyOf { options, .. } => {
                    options.as_slice()
                }
                _ => &[],
            };
            options
                .iter()
                .filter(|o| picked.contains(&o.fact))
                .map(|o| o.text.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        }
        Answer::HeightWeight {
            height_cm,
            weight_kg,
        } => format!("{height_cm:.0} cm, {weight_kg:.0} kg"),
        _ => "don't know".to_owned(),
    }
}

fn interactive(rules: &RuleSet) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines().map_while(Result::ok);
    let mut out = std::io::stdout();

    // The onset is the one thing every assessment needs.
    let onset = loop {
        ask(
            &mut out,
            "Did it start at one moment, such as a fall or a twist (y), or build up over time (n)?",
        );
        match lines.next().as_deref().map(str::trim) {
            Some("y" | "yes") => break Onset::Acute,
            Some("n" | "no") => break Onset::Chronic,
            // No answer at all: the cautious reading, as an injury.
            None => break Onset::Acute,
            Some(other) => say(&mut out, &format!("  please answer y or n, not `{other}`")),
        }
    };

    let mut interview = Interview::new(rules, Assessment::new(onset));
    let mut asked = 0;
    'questions: while let Some(q) = interview.next() {
        show(&mut out, &q);
        loop {
            ask(&mut out, ">");
            let Some(line) = lines.next() else {
                say(&mut out, "\n(no more answers: the rest stays unknown)");
                break 'questions;
            };
            let answer = match parse(&q, line.trim()) {
                Ok(a) => a,
                Err(help) => {
                    say(&mut out, &format!("  {help}"));
                    continue;
                }
            };
            match interview.answer(&q.id, answer) {
                Ok(()) => break,
                Err(e) => say(&mut out, &format!("  {e}")),
            }
        }
        asked += 1;
    }

    say(&mut out, &format!("\n{asked} questions asked.\n"));
    say(&mut out, &interview.report().to_string());
}

/// Shows a question with its options and how to answer.
fn show(out: &mut impl Write, q: &Question) {
    say(out, &format!("\n{}", q.text));
    match &q.kind {
        QuestionKind::YesNo { .. } => say(out, "  (y/n, ? for don't know)"),
        QuestionKind::Number { unit, range, .. } => {
            let unit = unit
                .as_deref()
                .map(|u| format!("{u}, "))
                .unwrap_or_default();
            say(
                out,
                &format!("  ({unit}{} to {}; ? for don't know)", range.0, range.1),
            );
        }
        QuestionKind::OneOf { options } => {
            for (i, o) in options.iter().enumerate() {
                say(out, &format!("  {}. {}", i + 1, o.text));
            }
            say(out, "  (the number of one; ? for don't know)");
        }
        QuestionKind::AnyOf { options, none } => {
            for (i, o) in options.iter().enumerate() {
                say(out, &format!("  {}. {}", i + 1, o.text));
            }
            if let Some(none) = none {
                say(out, &format!("  0. {none}"));
            }
            say(
                out,
                "  (the numbers of every one that applies; ? for don't know)",
            );
        }
        QuestionKind::HeightWeight => say(
            out,
            "  (height in cm and weight in kg, such as `180 75`; ? for don't know)",
        ),
        _ => {}
    }
}

/// Reads an answer to `q` from a line; the help to show when it cannot.
fn parse(q: &Question, line: &str) -> Result<Answer, &'static str> {
    if line.is_empty() || line == "?" {
        return Ok(Answer::DontKnow);
    }
    let numbers = || -> Option<Vec<f64>> {
        line.split([' ', ','])
            .filter(|w| !w.is_empty())
            .map(|w| w.parse().ok())
            .collect()
    };
    match &q.kind {
        QuestionKind::YesNo { .. } => match line {
            "y" | "yes" => Ok(Answer::Yes),
            "n" | "no" => Ok(Answer::No),
            _ => Err("please answer y, n or ?"),
        },
        QuestionKind::Number { .. } => line
            .parse()
            .map(Answer::Number)
            .map_err(|_| "please answer with a number, or ?"),
        QuestionKind::OneOf { options } | QuestionKind::AnyOf { options, .. } => {
            let picks = numbers().ok_or("please answer with the numbers of the options, or ?")?;
            let mut picked = Vec::new();
            for n in picks {
                if n == 0.0 {
                    continue;
                }
                let i = n as usize;
                let o = options
                    .get(i.wrapping_sub(1))
                    .filter(|_| n.fract() == 0.0)
                    .ok_or("a number is not one of the options")?;
                picked.push(o.fact);
            }
            Ok(Answer::Picked(picked))
        }
        QuestionKind::HeightWeight => match numbers().as_deref() {
            Some([height_cm, weight_kg]) => Ok(Answer::HeightWeight {
                height_cm: *height_cm,
                weight_kg: *weight_kg,
            }),
            _ => Err("please answer with two numbers: height in cm and weight in kg, or ?"),
        },
        _ => Err("this question cannot be answered here"),
    }
}

fn ask(out: &mut impl Write, prompt: &str) {
    // A closed terminal is not worth a panic: the answers simply end.
    let _ = write!(out, "{prompt} ");
    let _ = out.flush();
}

fn say(out: &mut impl Write, text: &str) {
    let _ = writeln!(out, "{text}");
}
