//! `docs/REFERENCE.md` cannot drift: every check it states (a Terraform block of a
//! stack, a Kubernetes object of a manifest file, and where a row gives one, the
//! value of a field) holds in the synthesized output of the target it names, every
//! row has a known status, and every reference document has a section.

#[path = "reference_map/check.rs"]
mod check;

use std::collections::BTreeMap;

use terrane_core::Synthesized;

use check::{failure, malformed, rows, STATUSES};

const MAP: &str = include_str!("../../docs/REFERENCE.md");

#[test]
fn every_check_the_reference_map_states_holds_in_its_targets_output() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let mut outputs: BTreeMap<&str, Synthesized> = BTreeMap::new();
    let rows = rows(MAP);
    assert!(rows.len() >= 200, "the map lists {} items", rows.len());
    let mut problems = Vec::new();
    for row in &rows {
        let at = format!("docs/REFERENCE.md:{}: {} {}", row.line, row.id, row.item);
        if !STATUSES.iter().any(|s| row.status.starts_with(s)) {
            problems.push(format!(
                "{at}: status `{}` is not one of {STATUSES:?}",
                row.status
            ));
        }
        let claims_expressed =
            row.status.starts_with("expressed") || row.status.starts_with("differs:");
        if claims_expressed && row.checks.is_empty() {
            problems.push(format!("{at}: says `{}` but names no place", row.status));
        }
        if row.checks.is_empty() {
            continue;
        }
        if !outputs.contains_key(row.target) {
            let out = app
                .synth(row.target)
                .unwrap_or_else(|e| panic!("{at}: target {}: {e}", row.target));
            outputs.insert(row.target, out);
        }
        for check in &row.checks {
            if let Some(why) = failure(&outputs[row.target], check) {
                problems.push(format!("{at} ({}): {why}", row.target));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_reference_document_has_items_in_the_map() {
    // Item ids are `<document>.<n>`, the document being the file name prefix that
    // /work/shared/reference/README.md maps to targets.
    assert_eq!(
        malformed(MAP),
        Vec::<usize>::new(),
        "docs/REFERENCE.md: these lines start like a row but do not have six cells"
    );
    let rows = rows(MAP);
    for doc in ["000", "001", "002", "003", "004"] {
        assert!(
            rows.iter().any(|r| r.id.starts_with(&format!("{doc}."))),
            "docs/REFERENCE.md has no item of document {doc}"
        );
    }
    let mut ids: Vec<&str> = rows.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "docs/REFERENCE.md repeats an item id");
}

#[test]
fn the_checker_reports_missing_places_and_wrong_values() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let out = app.synth("eks-prod").unwrap_or_else(|e| panic!("{e}"));
    let holds = [
        "cluster/aws_eks_cluster.prod",
        "k8s/base/namespace.yaml#Namespace/platform",
        "k8s/base/scaling.yaml#HorizontalPodAutoscaler/worker spec.minReplicas=3",
        "cluster/aws_eks_node_group.prod_general scaling_config.max_size~",
        "k8s/base/workloads.yaml#Deployment/worker spec.template.spec.containers.name=worker",
    ];
    for check in holds {
        assert_eq!(failure(&out, check), None, "{check}");
    }
    let fails = [
        (
            "cluster/aws_eks_cluster.nope",
            "cluster/aws_eks_cluster.nope is not in the output",
        ),
        (
            "nostack/aws_eks_cluster.prod",
            "nostack/main.tf.json is not in the output",
        ),
        (
            "k8s/base/namespace.yaml#Namespace/nope",
            "k8s/base/namespace.yaml#Namespace/nope is not in the output",
        ),
        (
            "k8s/base/scaling.yaml#HorizontalPodAutoscaler/worker spec.minReplicas=4",
            "k8s/base/scaling.yaml#HorizontalPodAutoscaler/worker spec.minReplicas is 3 (want =4)",
        ),
        (
            "k8s/base/scaling.yaml#HorizontalPodAutoscaler/worker spec.noSuchField=4",
            "k8s/base/scaling.yaml#HorizontalPodAutoscaler/worker has no spec.noSuchField",
        ),
        (
            "cluster/aws_eks_cluster.prod version~0.1",
            "cluster/aws_eks_cluster.prod version is ",
        ),
        (
            "cluster/aws_eks_cluster.prod version",
            "`version` is not FIELD=VALUE or FIELD~TEXT",
        ),
        (
            "cluster/aws_eks_cluster.prod x..y=1",
            "`x..y` has an empty key",
        ),
    ];
    for (check, want) in fails {
        let got = failure(&out, check).unwrap_or_else(|| panic!("{check} should fail"));
        assert!(got.starts_with(want), "{check}: {got}");
    }
}

#[test]
fn rows_parse_with_their_status_and_checks() {
    let map = "| id | item | reference | target | where | status |\n\
               |---|---|---|---|---|---|\n\
               | 9.1 | thing | §1 | `eks-prod` | `a/b.c x=1`, `k8s/p#K/n` | expressed |\n\
               | 9.2 | other | §2 | `eks-prod` | | not expressed: why |\n";
    let rows = rows(map);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 3);
    assert_eq!(rows[0].target, "eks-prod");
    assert_eq!(rows[0].checks, ["a/b.c x=1", "k8s/p#K/n"]);
    assert_eq!(rows[0].status, "expressed");
    assert!(rows[1].checks.is_empty());
    assert_eq!(rows[1].status, "not expressed: why");
    assert!(malformed(map).is_empty());
    let broken = "| 9.3 | a `x|y` pipe | §3 | `eks-prod` | | expressed |\n";
    assert!(check::rows(broken).is_empty());
    assert_eq!(malformed(broken), [1]);
}
