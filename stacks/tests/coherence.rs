//! Every reference target passes every check, the cross-layer coherence rules
//! included (CRDs served by the pinned charts, monitors selected by Prometheus,
//! metrics servers and adapters, named classes and issuers, network policy
//! engine, GPU placement and capacity, quotas, EKS version support, deploy path,
//! names unique between targets sharing an account): no error and no warning.

#[test]
fn every_reference_target_passes_every_check_with_no_warning() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = app.targets().into_iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "prod",
            "staging",
            "aws-state",
            "eks-prod",
            "eks-staging",
            "fargate-prod"
        ]
    );
    for name in &names {
        match app.synth(name) {
            Ok(out) => assert!(
                out.warnings.is_empty(),
                "{name}: {:?}",
                out.warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ),
            Err(e) => panic!("{name}: {e}"),
        }
    }
}
