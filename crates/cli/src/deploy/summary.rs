//! The table printed at the end of a run: each stack's plan counts, result and time.

use super::graph::Graph;
use super::scheduler::{Outcome, Status};

/// One row per stack that had a part in the run (`outcomes[i]` set), in graph order.
pub fn table(graph: &Graph, outcomes: &[Option<Outcome>]) -> String {
    let rows: Vec<[String; 5]> = graph
        .nodes
        .iter()
        .zip(outcomes)
        .filter_map(|(node, o)| o.as_ref().map(|o| row(&graph.target, &node.name, o)))
        .collect();
    let header = ["stack", "add", "change", "destroy", "result"].map(String::from);
    let mut widths = [0usize; 4];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.len());
        }
    }
    let mut text = String::new();
    for r in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn row(target: &str, stack: &str, o: &Outcome) -> [String; 5] {
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
        .map(|d| format!(" in {:.1}s", d.as_secs_f64()))
        .unwrap_or_default();
    [
        format!("{target}/{stack}"),
        count(|c| c.add),
        count(|c| c.change),
        count(|c| c.destroy),
        format!("{result}{time}"),
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
            "stack               add  change  destroy  result\n\
             prod/network         42       0        1  applied in 12.3s\n\
             prod/app              0       0        0  FAILED in 0.8s\n\
             prod/observability    -       -        -  skipped (app failed)\n"
        );
    }
}
