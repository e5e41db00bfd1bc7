//! Runs one job per stack in graph order: a stack starts when everything it waits
//! for has finished (its producers, or for `destroy` its consumers), up to
//! `parallelism` at once. A stack whose producer failed is skipped; one whose
//! producer is not ready (planned but never applied) waits. Jobs run on threads and
//! report through a channel; the caller's `on_event` sees every event on the
//! calling thread, so it alone writes the output.

use std::sync::mpsc::{channel, Sender};
use std::time::Duration;

use super::graph::Graph;

/// Resource action counts of a plan (`terraform show -json`), as terraform's own
/// `Plan:` line counts them (a replacement is one add and one destroy).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Resources to create.
    pub add: usize,
    /// Resources to update in place.
    pub change: usize,
    /// Resources to destroy.
    pub destroy: usize,
}

/// How a stack ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Ran: "planned", "applied", "destroyed", or for a producer not selected,
    /// "applied before" / "never applied".
    Ok(String),
    /// Not run because a producer has never been applied (plan only).
    Waits(String),
    /// Terraform or its preparation failed: why.
    Failed(String),
    /// Not run because a stack it waits for failed or was skipped.
    Skipped(String),
}

/// A stack's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// Whether the stacks waiting for it can run: its outputs exist (applied), or it
    /// is destroyed.
    pub ready: bool,
    /// The plan's counts, when a plan was made.
    pub counts: Option<Counts>,
    /// Time it ran.
    pub elapsed: Option<Duration>,
}

impl Outcome {
    /// A stack that did not run, with why.
    pub fn not_run(status: Status) -> Outcome {
        Outcome {
            status,
            ready: false,
            counts: None,
            elapsed: None,
        }
    }

    fn blocks(&self) -> bool {
        matches!(self.status, Status::Failed(_) | Status::Skipped(_))
    }
}

/// What a job or the scheduler reports.
#[derive(Debug)]
pub enum Event {
    /// Stack started.
    Started(usize),
    /// A line of the stack's terraform output.
    Line(usize, String),
    /// The stack asks whether to apply its plan (summary given); answer on the sender.
    Confirm(usize, String, Sender<bool>),
    /// Stack finished (or was skipped / set waiting without running).
    Finished(usize, Outcome),
}

/// Where the run is: for the progress line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    /// Stacks finished (whatever the result).
    pub done: usize,
    /// Names of the stacks running now.
    pub running: Vec<String>,
    /// Stacks not started.
    pub waiting: usize,
}

/// Runs `job` for every stack whose outcome `pre` leaves open (`None`), and returns
/// every stack's outcome (`pre`'s own where given).
pub fn schedule<J, E>(
    graph: &Graph,
    pre: Vec<Option<Outcome>>,
    reverse: bool,
    parallelism: usize,
    job: J,
    mut on_event: E,
) -> Vec<Option<Outcome>>
where
    J: Fn(usize, &Sender<Event>) -> Outcome + Sync,
    E: FnMut(&Event, &Board),
{
    let mut outcomes = pre;
    let open: Vec<usize> = (0..outcomes.len())
        .filter(|&i| outcomes[i].is_none())
        .collect();
    let order: Vec<usize> = if reverse {
        open.into_iter().rev().collect()
    } else {
        open
    };
    let mut running: Vec<usize> = Vec::new();
    let board = |outcomes: &[Option<Outcome>], running: &[usize]| Board {
        done: order.iter().filter(|&&i| outcomes[i].is_some()).count(),
        running: running
            .iter()
            .map(|&i| graph.nodes[i].name.clone())
            .collect(),
        waiting: order
            .iter()
            .filter(|&&i| outcomes[i].is_none() && !running.contains(&i))
            .count(),
    };
    let (tx, rx) = channel::<Event>();
    let job = &job;
    std::thread::scope(|scope| loop {
        let mut progressed = true;
        while progressed {
            progressed = false;
            for &i in &order {
                if outcomes[i].is_some() || running.contains(&i) {
                    continue;
                }
                match readiness(graph, &outcomes, i, reverse) {
                    Readiness::Blocked => continue,
                    Readiness::Decided(o) => {
                        outcomes[i] = Some(o.clone());
                        on_event(&Event::Finished(i, o), &board(&outcomes, &running));
                        progressed = true;
                    }
                    Readiness::Ready if running.len() < parallelism.max(1) => {
                        running.push(i);
                        on_event(&Event::Started(i), &board(&outcomes, &running));
                        let tx = tx.clone();
                        scope.spawn(move || {
                            let outcome = job(i, &tx);
                            let _ = tx.send(Event::Finished(i, outcome));
                        });
                    }
                    Readiness::Ready => {}
                }
            }
        }
        if running.is_empty() {
            break;
        }
        let Ok(event) = rx.recv() else { break };
        if let Event::Finished(i, o) = &event {
            outcomes[*i] = Some(o.clone());
            running.retain(|r| r != i);
        }
        on_event(&event, &board(&outcomes, &running));
    });
    outcomes
}

enum Readiness {
    /// Something it waits for has not finished.
    Blocked,
    /// It will not run: skipped or waiting.
    Decided(Outcome),
    /// It can start.
    Ready,
}

fn readiness(graph: &Graph, outcomes: &[Option<Outcome>], i: usize, reverse: bool) -> Readiness {
    let deps = graph.waits_for(i, reverse);
    let mut not_ready = None;
    for &d in &deps {
        let name = &graph.nodes[d].name;
        match &outcomes[d] {
            None => return Readiness::Blocked,
            Some(o) if o.blocks() => {
                let why = match o.status {
                    Status::Failed(_) => format!("{name} failed"),
                    _ => format!("{name} skipped"),
                };
                return Readiness::Decided(Outcome::not_run(Status::Skipped(why)));
            }
            Some(o) if !o.ready => not_ready = not_ready.or(Some(name.clone())),
            Some(_) => {}
        }
    }
    match not_ready {
        Some(name) => {
            Readiness::Decided(Outcome::not_run(Status::Waits(format!("waits for {name}"))))
        }
        None => Readiness::Ready,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Instant;

    fn graph() -> Graph {
        Graph::of(&[
            ("network", &[]),
            ("data", &["network"]),
            ("platform", &["data"]),
            ("observability", &["data"]),
        ])
    }

    fn ok(ready: bool) -> Outcome {
        Outcome {
            status: Status::Ok("applied".into()),
            ready,
            counts: None,
            elapsed: None,
        }
    }

    #[test]
    fn a_failed_stack_skips_its_dependents_only() {
        let g = graph();
        let out = schedule(
            &g,
            vec![None; 4],
            false,
            2,
            |i, _| {
                if i == 2 {
                    Outcome::not_run(Status::Failed("boom".into()))
                } else {
                    ok(true)
                }
            },
            |_, _| {},
        );
        let g2 = Graph::of(&[("a", &[]), ("b", &["a"]), ("c", &["b"])]);
        let chain = schedule(
            &g2,
            vec![None; 3],
            false,
            2,
            |i, _| {
                if i == 0 {
                    Outcome::not_run(Status::Failed("boom".into()))
                } else {
                    ok(true)
                }
            },
            |_, _| {},
        );
        assert_eq!(out[3], Some(ok(true)));
        assert_eq!(
            chain[1].as_ref().map(|o| o.status.clone()),
            Some(Status::Skipped("a failed".into()))
        );
        assert_eq!(
            chain[2].as_ref().map(|o| o.status.clone()),
            Some(Status::Skipped("b skipped".into()))
        );
    }

    #[test]
    fn a_consumer_of_a_stack_never_applied_waits() {
        let out = schedule(
            &graph(),
            vec![None; 4],
            false,
            2,
            |_, _| ok(false),
            |_, _| {},
        );
        let statuses: Vec<Status> = out.into_iter().flatten().map(|o| o.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Ok("applied".into()),
                Status::Waits("waits for network".into()),
                Status::Waits("waits for data".into()),
                Status::Waits("waits for data".into()),
            ]
        );
    }

    #[test]
    fn independent_stacks_overlap_and_destroy_runs_in_reverse() {
        let spans = Mutex::new(Vec::new());
        schedule(
            &graph(),
            vec![None; 4],
            false,
            2,
            |i, _| {
                let start = Instant::now();
                std::thread::sleep(Duration::from_millis(150));
                spans.lock().unwrap().push((i, start, Instant::now()));
                ok(true)
            },
            |_, _| {},
        );
        let spans = spans.into_inner().unwrap();
        let span = |i: usize| spans.iter().find(|s| s.0 == i).copied().unwrap();
        let (p, o) = (span(2), span(3));
        assert!(p.1 < o.2 && o.1 < p.2, "platform and observability overlap");
        let order = Mutex::new(Vec::new());
        schedule(
            &graph(),
            vec![None; 4],
            true,
            1,
            |i, _| {
                order.lock().unwrap().push(i);
                ok(true)
            },
            |_, _| {},
        );
        assert_eq!(order.into_inner().unwrap(), [3, 2, 1, 0]);
    }
}
