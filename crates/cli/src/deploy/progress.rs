//! The one progress line: done / running / waiting and the time since the start.
//! On a terminal (and without `NO_COLOR`) an indicatif spinner redrawn in place
//! below the streamed output; otherwise a plain line printed whenever a stack
//! starts or ends, so logs show the progress too.
//!
//! The spinner is redrawn on each event (every line of terraform output), from the
//! thread that writes the output, never from a ticker thread: `terrane_cli::run`
//! holds the stderr lock for the whole command, so a drawing thread would wait on it
//! forever.

use std::io::Write;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::scheduler::Board;

/// The progress display of one run.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    total: usize,
}

impl Progress {
    /// A spinner when `fancy`, plain lines otherwise; `total` stacks to run.
    pub fn new(fancy: bool, total: usize) -> Progress {
        let bar = fancy.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}, {elapsed} elapsed") {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            total,
        }
    }

    /// Whether the display is fancy (stdout and stderr are terminals, `NO_COLOR`
    /// unset, `TERM` not dumb).
    pub fn fancy_here() -> bool {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal()
            && std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none()
            && std::env::var("TERM").map_or(true, |t| t != "dumb")
    }

    /// Shows the state of the run.
    pub fn update(&self, board: &Board, out: &mut dyn Write) {
        match &self.bar {
            Some(bar) => bar.set_message(counts(board, self.total)),
            None => {
                let line = progress_line(board, self.total, self.start.elapsed());
                let _ = writeln!(out, "{line}");
            }
        }
    }

    /// Prints a line of output above the progress line.
    pub fn print(&self, out: &mut dyn Write, text: &str) {
        match &self.bar {
            Some(bar) => {
                bar.suspend(|| {
                    let _ = writeln!(out, "{text}");
                });
                bar.tick();
            }
            None => {
                let _ = writeln!(out, "{text}");
            }
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `progress: 1/5 done, 2 running (network, app), 2 waiting, 0:12 elapsed`.
pub fn progress_line(board: &Board, total: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    format!(
        "{}, {}:{:02} elapsed",
        counts(board, total),
        secs / 60,
        secs % 60
    )
}

/// `progress: 1/5 done, 2 running (network, app), 2 waiting`.
fn counts(board: &Board, total: usize) -> String {
    let running = if board.running.is_empty() {
        "0 running".to_string()
    } else {
        format!(
            "{} running ({})",
            board.running.len(),
            board.running.join(", ")
        )
    };
    format!(
        "progress: {}/{total} done, {running}, {} waiting",
        board.done, board.waiting
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_progress_line() {
        let board = Board {
            done: 1,
            running: vec!["cluster".into(), "data".into()],
            waiting: 2,
        };
        assert_eq!(
            progress_line(&board, 5, Duration::from_secs(75)),
            "progress: 1/5 done, 2 running (cluster, data), 2 waiting, 1:15 elapsed"
        );
        let mut out = Vec::new();
        Progress::new(false, 5).update(&Board::default(), &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "progress: 0/5 done, 0 running, 0 waiting, 0:00 elapsed\n"
        );
    }
}
