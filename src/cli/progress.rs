//! The command line's progress bar: the library's [`Progress`] drawn with indicatif on
//! stderr when stderr is a terminal and `--quiet` was not given, and nothing otherwise, so
//! pipes, scripts and `--json` output stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Progress, Stage};

/// A progress bar for one command; it clears itself when dropped, so the command's own
/// output is all that stays on the screen.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar that draws only where a person is watching.
    pub fn new(quiet: bool) -> Bar {
        Bar::with_target(quiet || !std::io::stderr().is_terminal())
    }

    fn with_target(hidden: bool) -> Bar {
        let target = if hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        if !hidden {
            // Ticks keep the elapsed time and the spinner moving through a stage that
            // reports no units (committing the index), so the terminal never looks hung.
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Bar { bar }
    }

    /// Run `f` (which prints) with the bar out of the way, so lines and bar do not mix.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Units of the current stage not yet done.
    pub fn remaining(&self) -> u64 {
        self.bar
            .length()
            .unwrap_or(0)
            .saturating_sub(self.bar.position())
    }
}

fn template(stage: Stage, total: u64) -> String {
    if total == 0 {
        format!("{{spinner}} {} … {{elapsed}}", stage.describe())
    } else {
        format!(
            "{{spinner}} {} [{{bar:30}}] {{pos}}/{{len}} {} ({{rate}}, {{eta}} left)",
            stage.describe(),
            stage.unit()
        )
    }
}

fn style(stage: Stage, total: u64) -> ProgressStyle {
    ProgressStyle::with_template(&template(stage, total))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        // Whole units a second: "164/s", not indicatif's "164.3214/s".
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", state.per_sec());
            },
        )
        .progress_chars("=> ")
}

impl Progress for Bar {
    fn stage(&self, stage: Stage, total: u64) {
        self.bar.set_style(style(stage, total));
        self.bar.set_length(total);
        self.bar.reset();
    }

    fn advance(&self, units: u64) {
        self.bar.inc(units);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_bar_counts_but_draws_nothing() {
        let bar = Bar::with_target(true);
        bar.stage(Stage::Indexing, 10);
        bar.advance(4);
        assert_eq!(bar.bar.position(), 4);
        assert!(bar.bar.is_hidden());
        bar.stage(Stage::Committing, 0);
        assert_eq!(bar.bar.position(), 0);
    }

    #[test]
    fn every_stage_has_a_valid_template() {
        for stage in [Stage::Indexing, Stage::Committing, Stage::Exporting] {
            for total in [0, 7] {
                assert!(ProgressStyle::with_template(&template(stage, total)).is_ok());
            }
        }
    }
}
