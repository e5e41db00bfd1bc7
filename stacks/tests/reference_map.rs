//! `docs/REFERENCE.md` cannot drift: every place it names (a Terraform block of a
//! stack, a Kubernetes object of a manifest file) is in the synthesized output of
//! the target it names, and every reference document has a section.

use std::collections::BTreeMap;

use terrane_core::Synthesized;

const MAP: &str = include_str!("../../docs/REFERENCE.md");

/// One row of the map: item, target, the places (backticked locators).
struct Row<'a> {
    line: usize,
    item: &'a str,
    target: &'a str,
    places: Vec<&'a str>,
}

fn rows() -> Vec<Row<'static>> {
    let mut out = Vec::new();
    for (i, line) in MAP.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| id | item | target | where |` gives 6 cells with the empty ends.
        if cells.len() != 6 || !cells[1].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let places = cells[4]
            .split('`')
            .enumerate()
            .filter(|(n, _)| n % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        out.push(Row {
            line: i + 1,
            item: cells[2],
            target: cells[3].trim_matches('`'),
            places,
        });
    }
    out
}

/// A block `STACK/TYPE.NAME` (also `STACK/data.TYPE.NAME`, `STACK/output.NAME`,
/// `STACK/variable.NAME`) in `STACK/main.tf.json`.
fn has_block(out: &Synthesized, place: &str) -> bool {
    let Some((stack, address)) = place.split_once('/') else {
        return false;
    };
    let Some(text) = out.file(&format!("{stack}/main.tf.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    let parts: Vec<&str> = address.split('.').collect();
    match parts.as_slice() {
        ["data", ty, name] => !json["data"][ty][name].is_null(),
        ["output", name] => !json["output"][name].is_null(),
        ["variable", name] => !json["variable"][name].is_null(),
        [ty, name] => !json["resource"][ty][name].is_null(),
        _ => false,
    }
}

/// An object `k8s/PATH#Kind/name`: a YAML document of that file with that kind and
/// `metadata.name`.
fn has_object(out: &Synthesized, place: &str) -> bool {
    let Some((path, object)) = place.split_once('#') else {
        return false;
    };
    let Some((kind, name)) = object.split_once('/') else {
        return false;
    };
    let Some(text) = out.file(path) else {
        return false;
    };
    text.split("\n---\n").any(|doc| {
        doc.lines().any(|l| l == format!("kind: {kind}"))
            && doc.lines().any(|l| l == format!("  name: {name}"))
    })
}

#[test]
fn every_place_the_reference_map_names_is_in_its_targets_output() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let mut outputs: BTreeMap<&str, Synthesized> = BTreeMap::new();
    let rows = rows();
    assert!(rows.len() >= 60, "the map lists {} items", rows.len());
    let mut missing = Vec::new();
    for row in &rows {
        if !outputs.contains_key(row.target) {
            let out = app.synth(row.target).unwrap_or_else(|e| {
                panic!("docs/REFERENCE.md:{}: target {}: {e}", row.line, row.target)
            });
            outputs.insert(row.target, out);
        }
        let out = &outputs[row.target];
        assert!(
            !row.places.is_empty(),
            "docs/REFERENCE.md:{}: {} names no place",
            row.line,
            row.item
        );
        for place in &row.places {
            let found = if place.starts_with("k8s/") {
                has_object(out, place)
            } else {
                has_block(out, place)
            };
            if !found {
                missing.push(format!(
                    "docs/REFERENCE.md:{}: {} ({}): {place} is not in the output",
                    row.line, row.item, row.target
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_reference_document_has_items_in_the_map() {
    // Item ids are `<document>.<n>`, the document being the file name prefix that
    // /work/shared/reference/README.md maps to targets.
    for doc in ["000", "001", "002", "003", "004"] {
        assert!(
            MAP.lines().any(|l| l.starts_with(&format!("| {doc}."))),
            "docs/REFERENCE.md has no item of document {doc}"
        );
    }
}

#[test]
fn a_place_that_is_not_in_the_output_is_reported() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let out = app.synth("eks-prod").unwrap_or_else(|e| panic!("{e}"));
    assert!(has_block(&out, "cluster/aws_eks_cluster.prod"));
    assert!(!has_block(&out, "cluster/aws_eks_cluster.nope"));
    assert!(!has_block(&out, "nostack/aws_eks_cluster.prod"));
    assert!(has_object(
        &out,
        "k8s/base/namespace.yaml#Namespace/platform"
    ));
    assert!(!has_object(&out, "k8s/base/namespace.yaml#Namespace/nope"));
}
