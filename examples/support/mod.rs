//! What the examples share: printing that ends quietly when the reader goes away.

/// `println!` for examples: when the output pipe closes (`| head`), the program ends at once
/// with success instead of panicking with "Broken pipe".
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("cannot write the output: {e}");
            std::process::exit(1);
        }
    }};
}
pub(crate) use say;

/// The command line of an example that takes flags and one file: the flags given (each one of
/// `flags`) and the file. `-h` prints `usage` and ends with success; anything else unexpected
/// prints it and ends with 2.
#[allow(dead_code)] // not every example takes a file
pub(crate) fn flags_and_file(name: &str, usage: &str, flags: &[&str]) -> (Vec<String>, String) {
    let mut given = Vec::new();
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "-h" | "--help" => {
                say!("{usage}");
                std::process::exit(0);
            }
            f if flags.contains(&f) => given.push(arg),
            _ if file.is_none() && !arg.starts_with("--") => file = Some(arg),
            _ => {
                eprintln!("{name}: unexpected argument `{arg}`\n{usage}");
                std::process::exit(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    (given, file)
}
