//! Analyses over codings: fishbone counts, matrices, saturation and inter-coder agreement.

pub mod agreement;
pub mod fishbone;
pub mod framework;
pub mod icr;
pub mod matrix;
pub mod saturation;
pub mod stats;

/// A percentage given on the command line, with or without `%` ("5", "5%", "2.5 %"), as a
/// fraction; `flag` names the option in the message.
pub fn parse_percent(flag: &str, text: &str) -> Result<f64, String> {
    let marked = text.trim().ends_with('%');
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<f64>() {
        // "0.05" is 5 % written as a fraction far more often than 0.05 %: ask, never guess.
        Ok(p) if !marked && p > 0.0 && p < 1.0 => Err(format!(
            "{flag} {text:?}: a percentage, so this is {p} %; write {} for {} %, or {text}% if {p} % is meant",
            saturation::percent(p),
            saturation::percent(p),
        )),
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ => Err(format!(
            "{flag} {text:?}: give a percentage between 0 and 100, e.g. 5 or 5%"
        )),
    }
}
