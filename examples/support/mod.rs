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
