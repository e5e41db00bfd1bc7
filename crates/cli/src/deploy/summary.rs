//! The table printed at the end of a run: each stack's plan counts, result and time.

use super::graph::Graph;
use super::scheduler::{Outcome, Status};

/// One row per stack that had a part in the run (`outcomes[i]` set), in graph order:
/// stack, the plan's add / change / destroy counts, time, result.
pub fn table(graph: &Graph, outcomes: &[Option<Outcome>]) -> String {
    let rows: Vec<[String; 6]> = graph
        .nodes
        .iter()
        .zip(outcomes)
        .filter_map(|(node, o)| o.as_ref().map(|o| row(&graph.target, &node.name, o)))
        .collect();
    let header = ["stack", "add", "change", "destroy", "time", "result"].map(String::from);
    let mut widths = [0usize; 5];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.len());
        }
    }
    let mut text = String::new();
    for r in std::iter::once(&header).chain(&rows) {
        let mut line = format!("{:<w$}", r[0], w = widths[0]);
        for (cell, w) in r[1..5].iter().zip(&widths[1..]) {
            line.push_str(&format!("  {cell:>w$}"));
        }
        line.push_str("  ");
        line.push_str(&r[5]);
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn row(target: &str, stack: &str, o: &Outcome) -> [String; 6] {
    let count = |f: fn(&super::scheduler::Counts) -> usize| {
        o.counts
            .as_ref()
            .map_or("-".to_string(), |c| f(c).to_string())
    };
    let result = match &o.status {
        Status::Ok(verb) => verb.clone(),
        Status::Waits(why) => why.clone(),
        Status::Failed(_) => "FAILED".to_string(),
        Status::Skipped(why) => format!("skipped ({why})"),
    };
    let time = o
        .elapsed
        .map_or("-".to_string(), |d| format!("{:.1}s", d.as_secs_f64()));
    [
        format!("{target}/{stack}"),
        count(|c| c.add),
        count(|c| c.change),
        count(|c| c.destroy),
        time,
        result,
    ]
}

#[cfg(test)]
mod tests {
    use super::super::scheduler::Counts;
    use super::*;
    use std::time::Duration;

    #[test]
    fn renders_counts_results_and_times() {
        let g = Graph::from_pairs(
            "prod",
            &[
                ("network".into(), vec![]),
                ("app".into(), vec!["network".into()]),
                ("observability".into(), vec!["app".into()]),
            ],
        )
        .unwrap();
        let outcomes = vec![
            Some(Outcome {
                status: Status::Ok("applied".into()),
                ready: true,
                counts: Some(Counts {
                    add: 42,
                    change: 0,
                    destroy: 1,
                }),
                elapsed: Some(Duration::from_millis(12_340)),
            }),
            Some(Outcome {
                status: Status::Failed("terraform apply failed".into()),
                ready: false,
                counts: Some(Counts::default()),
                elapsed: Some(Duration::from_millis(800)),
            }),
            Some(Outcome::not_run(Status::Skipped("app failed".into()))),
        ];
        assert_eq!(
            table(&g, &outcomes),
            "stack               add  change  destroy   time  result\n\
             prod/network         42       0        1  12.3s  applied\n\
             prod/app              0       0        0   0.8s  FAILED\n\
             prod/observability    -       -        -      -  skipped (app failed)\n"
        );
    }
}
