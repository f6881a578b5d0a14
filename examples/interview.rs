//! A triage interview in the terminal: one question at a time on standard input, red flags
//! first, then the report. Plain lines, so it can be scripted:
//!
//! ```sh
//! cargo run --example interview
//! printf 'y\ny\ny\n' | cargo run --example interview     # acute, then yes, yes ...
//! ```
//!
//! Answer `y` or `n`, `?` (or an empty line) for don't know, or a number where one is asked.
//! The interview ends when no answer left could change the escalation or the top diagnosis,
//! or when the input ends.

use std::io::{BufRead, Write};

use patella::{Answer, Assessment, Interview, Onset, RuleSet};

fn main() {
    let rules = RuleSet::default();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines().map_while(Result::ok);
    let mut out = std::io::stdout();

    // The onset is the one thing every assessment needs.
    let onset = loop {
        ask(
            &mut out,
            "Did it start suddenly, at one moment (y), or build up over time (n)?",
        );
        match lines.next().as_deref().map(str::trim) {
            Some("y" | "yes") => break Onset::Acute,
            Some("n" | "no") => break Onset::Chronic,
            // No answer at all: the cautious reading, as an injury.
            None => break Onset::Acute,
            Some(other) => say(&mut out, &format!("  please answer y or n, not `{other}`")),
        }
    };

    let mut interview = Interview::new(&rules, Assessment::new(onset));
    let mut asked = 0;
    'questions: while let Some(q) = interview.next() {
        let prompt = match (&q.unit, q.range) {
            (Some(unit), Some((lo, hi))) => format!("{} ({unit}, {lo} to {hi})", q.text),
            (None, Some((lo, hi))) => format!("{} ({lo} to {hi})", q.text),
            _ => format!("{} (y/n/?)", q.text),
        };
        loop {
            ask(&mut out, &prompt);
            let Some(line) = lines.next() else {
                say(&mut out, "\n(no more answers: the rest stays unknown)");
                break 'questions;
            };
            let answer = match line.trim() {
                "y" | "yes" => Answer::Yes,
                "n" | "no" => Answer::No,
                "" | "?" => Answer::DontKnow,
                text => match text.parse::<f64>() {
                    Ok(x) => Answer::Number(x),
                    Err(_) => {
                        say(&mut out, "  please answer y, n, ? or a number");
                        continue;
                    }
                },
            };
            match interview.answer(q.fact, answer) {
                Ok(()) => break,
                Err(e) => say(&mut out, &format!("  {e}")),
            }
        }
        asked += 1;
    }

    say(&mut out, &format!("\n{asked} questions asked.\n"));
    say(&mut out, &interview.report().to_string());
}

fn ask(out: &mut impl Write, prompt: &str) {
    // A closed terminal is not worth a panic: the answers simply end.
    let _ = write!(out, "{prompt} ");
    let _ = out.flush();
}

fn say(out: &mut impl Write, text: &str) {
    let _ = writeln!(out, "{text}");
}
