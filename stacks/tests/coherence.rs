//! Every reference target passes every check, the cross-layer coherence rules
//! included (CRDs served by the pinned charts, monitors selected by Prometheus,
//! metrics servers and adapters, named classes and issuers, network policy
//! engine, GPU placement and capacity, quotas, EKS version support, deploy path,
//! names unique between targets sharing an account): no error and no warning but
//! the operator's steps (`k8s/coherence/operator-secrets`: the Secrets Manager
//! secrets an operator fills before the manifests are applied).

/// The Kubernetes Secrets of the EKS targets copied from Secrets Manager secrets an
/// operator fills (webhook URLs, routing keys, application settings, Grafana's admin).
const OPERATOR_FILLED: [&str; 5] = [
    "monitoring/grafana-admin",
    "monitoring/prometheus-basic-auth",
    "platform/api-env",
    "platform/ml-api-env",
    "platform/platform-alerts-receivers",
];

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
            "fargate-prod",
            "fargate-staging"
        ]
    );
    for name in &names {
        let warnings: Vec<String> = match app.synth(name) {
            Ok(out) => out.warnings.iter().map(ToString::to_string).collect(),
            Err(e) => panic!("{name}: {e}"),
        };
        let expected: Vec<String> = if name.starts_with("eks-") {
            OPERATOR_FILLED
                .iter()
                .map(|s| format!("Secret {s} ("))
                .collect()
        } else {
            Vec::new()
        };
        assert_eq!(warnings.len(), expected.len(), "{name}: {warnings:?}");
        for (w, secret) in warnings.iter().zip(&expected) {
            assert!(
                w.contains(secret.as_str()) && w.contains("creates with no value"),
                "{name}: {w}"
            );
        }
    }
}
