//! Rule `k8s/coherence/references`: every IngressClass, cert-manager issuer,
//! StorageClass and PriorityClass an object (or a Helm release's values) names
//! exists in the target, as an object or created by a release or by EKS.
//!
//! Facts: ingress-nginx creates IngressClass `nginx` (not the default) and
//! aws-load-balancer-controller creates `alb` (docs/facts/charts.toml,
//! `ingress_class`); cert-manager's chart creates no issuer; a new EKS cluster has
//! StorageClass `gp2` only (docs/facts/eks-versions.toml, `storage_classes`).

use std::collections::BTreeSet;

use serde_json::Value;
use terrane_core::Diagnostic;

use super::platform::Platform;
use super::{as_json, values, Deployed, Scope};
use crate::object::Object;

/// PriorityClasses every cluster has.
/// Source: <https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/>.
const BUILT_IN_PRIORITY_CLASSES: &[&str] = &["system-cluster-critical", "system-node-critical"];

const CLUSTER_ISSUER_ANNOTATION: &str = "cert-manager.io/cluster-issuer";
const ISSUER_ANNOTATION: &str = "cert-manager.io/issuer";

/// Runs the rule on every overlay, then on the Helm values.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    for d in scope.deployed {
        let classes = ingress_classes(&scope.platform, &d.objects);
        for o in &d.objects {
            ingress_class(scope, d, o, &classes, out);
            acme_solver_classes(scope, d, o, &classes, out);
            issuers(scope, d, o, out);
            storage_classes_of_object(scope, d, o, out);
            priority_class(scope, d, o, out);
        }
    }
    storage_classes_of_releases(scope, out);
}

/// IngressClass names of the target, and the default one, if any (or a
/// controller that serves Ingresses naming no class).
struct IngressClasses {
    names: BTreeSet<String>,
    default: Option<String>,
}

fn ingress_classes(p: &Platform, objects: &[Object]) -> IngressClasses {
    let mut c = IngressClasses {
        names: BTreeSet::new(),
        default: None,
    };
    for o in objects.iter().filter(|o| o.kind() == "IngressClass") {
        c.names.insert(o.name().to_string());
        let annotations = o.metadata().annotations.clone().unwrap_or_default();
        if annotations
            .get("ingressclass.kubernetes.io/is-default-class")
            .map(String::as_str)
            == Some("true")
        {
            c.default = Some(o.name().to_string());
        }
    }
    let charts = [
        (
            "ingress-nginx",
            "controller.ingressClassResource.enabled",
            "controller.ingressClassResource.name",
            "nginx",
            "controller.ingressClassResource.default",
        ),
        (
            "aws-load-balancer-controller",
            "createIngressClassResource",
            "ingressClass",
            "alb",
            "ingressClassConfig.default",
        ),
    ];
    // ingress-nginx's controller.watchIngressWithoutClass (default false) serves
    // Ingresses that name no class.
    for r in p.releases_of("ingress-nginx") {
        if values::flag(&r.values, "controller.watchIngressWithoutClass", false) {
            c.default = Some(
                values::text(&r.values, "controller.ingressClassResource.name")
                    .unwrap_or("nginx")
                    .to_string(),
            );
        }
    }
    for (chart, enabled, name, default_name, is_default) in charts {
        for r in p
            .releases_of(chart)
            .filter(|r| values::flag(&r.values, enabled, true))
        {
            let n = values::text(&r.values, name)
                .unwrap_or(default_name)
                .to_string();
            if values::flag(&r.values, is_default, false) {
                c.default = Some(n.clone());
            }
            c.names.insert(n);
        }
    }
    c
}

fn listed(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn ingress_class(
    scope: &Scope<'_>,
    d: &Deployed,
    o: &Object,
    classes: &IngressClasses,
    out: &mut Vec<Diagnostic>,
) {
    let Object::Ingress(i) = o else { return };
    let legacy = i
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubernetes.io/ingress.class"));
    let (field, class) = match (
        i.spec.as_ref().and_then(|s| s.ingress_class_name.as_ref()),
        legacy,
    ) {
        (Some(c), _) => ("spec.ingressClassName", c),
        (None, Some(c)) => ("metadata.annotations.kubernetes.io/ingress.class", c),
        (None, None) => {
            if classes.default.is_none() {
                out.push(scope.object_error(&d.overlay, o, "spec.ingressClassName", format!(
                    "names no IngressClass, and no IngressClass of the target is the default (IngressClasses: {}): no controller serves it",
                    listed(&classes.names)
                )));
            }
            return;
        }
    };
    if !classes.names.contains(class) {
        out.push(scope.object_error(&d.overlay, o, field, format!(
            "IngressClass {class} exists nowhere in the target, as an object or from a release (IngressClasses: {}): no controller serves this Ingress",
            listed(&classes.names)
        )));
    }
}

/// The IngressClass an issuer's ACME HTTP-01 solvers answer challenges through
/// (`spec.acme.solvers[].http01.ingress.ingressClassName`, or the older `class`).
fn acme_solver_classes(
    scope: &Scope<'_>,
    d: &Deployed,
    o: &Object,
    classes: &IngressClasses,
    out: &mut Vec<Diagnostic>,
) {
    if !matches!(o.kind(), "ClusterIssuer" | "Issuer") {
        return;
    }
    let json = as_json(o);
    let solvers = values::get(&json, "spec.acme.solvers").and_then(Value::as_array);
    for (i, solver) in solvers.into_iter().flatten().enumerate() {
        for key in ["ingressClassName", "class"] {
            let Some(class) = values::text(solver, &format!("http01.ingress.{key}")) else {
                continue;
            };
            if !classes.names.contains(class) {
                out.push(scope.object_error(&d.overlay, o, &format!("spec.acme.solvers[{i}].http01.ingress.{key}"), format!(
                    "IngressClass {class} exists nowhere in the target (IngressClasses: {}): no HTTP-01 challenge is answered, so no certificate is issued",
                    listed(&classes.names)
                )));
            }
        }
    }
}

fn issuers(scope: &Scope<'_>, d: &Deployed, o: &Object, out: &mut Vec<Diagnostic>) {
    let annotations = o.metadata().annotations.clone().unwrap_or_default();
    for (annotation, kind, namespaced) in [
        (CLUSTER_ISSUER_ANNOTATION, "ClusterIssuer", false),
        (ISSUER_ANNOTATION, "Issuer", true),
    ] {
        let Some(name) = annotations.get(annotation) else {
            continue;
        };
        let exists = d.objects.iter().any(|x| {
            x.kind() == kind && x.name() == name && (!namespaced || x.namespace() == o.namespace())
        });
        let field = format!("metadata.annotations.{annotation}");
        if !exists {
            out.push(scope.object_error(&d.overlay, o, &field, format!(
                "{kind} {name} exists nowhere in the target (cert-manager's chart creates no issuer): no certificate is issued"
            )));
        } else if scope.platform.releases_of("cert-manager").next().is_none() {
            out.push(scope.object_error(&d.overlay, o, &field, format!(
                "{kind} {name} is used, and the target installs no cert-manager release to act on it: no certificate is issued"
            )));
        }
    }
}

/// StorageClasses of the target: objects, `gp2` on EKS, and those the EBS CSI
/// driver add-on (or chart) creates from its configuration.
fn storage_classes(p: &Platform, objects: &[Object]) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = objects
        .iter()
        .filter(|o| o.kind() == "StorageClass")
        .map(|o| o.name().to_string())
        .collect();
    if p.eks_cluster {
        names.insert("gp2".into());
    }
    let configs = p
        .addons
        .iter()
        .filter(|a| a.name == "aws-ebs-csi-driver")
        .map(|a| &a.configuration)
        .chain(p.releases_of("aws-ebs-csi-driver").map(|r| &r.values));
    for config in configs {
        // The driver's chart: templates/storageclass.yaml (default class) and storageClasses[].
        if values::flag(config, "defaultStorageClass.enabled", false) {
            names.insert("ebs-csi-default-sc".into());
        }
        for sc in values::get(config, "storageClasses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = sc.get("name").and_then(Value::as_str) {
                names.insert(n.to_string());
            }
        }
    }
    names
}

/// Whether StorageClasses can be checked: only where the target creates the
/// cluster (EKS), so that its built-in classes are known.
fn knows_storage(p: &Platform) -> bool {
    p.eks_cluster
}

fn missing_storage_class(class: &str, known: &BTreeSet<String>) -> Option<String> {
    (!class.is_empty() && class != "-" && !known.contains(class)).then(|| {
        format!(
            "StorageClass {class} exists nowhere in the target (StorageClasses: {}): the volume is never provisioned and its pod stays Pending",
            listed(known)
        )
    })
}

fn storage_classes_of_object(
    scope: &Scope<'_>,
    d: &Deployed,
    o: &Object,
    out: &mut Vec<Diagnostic>,
) {
    if !knows_storage(&scope.platform) {
        return;
    }
    let known = storage_classes(&scope.platform, &d.objects);
    let mut wanted: Vec<(String, String)> = Vec::new();
    if let Object::StatefulSet(s) = o {
        let templates = s
            .spec
            .as_ref()
            .and_then(|s| s.volume_claim_templates.as_ref());
        for (i, t) in templates.into_iter().flatten().enumerate() {
            if let Some(c) = t.spec.as_ref().and_then(|s| s.storage_class_name.clone()) {
                wanted.push((
                    format!("spec.volumeClaimTemplates[{i}].spec.storageClassName"),
                    c,
                ));
            }
        }
    }
    if o.kind() == "PersistentVolumeClaim" {
        if let Some(c) = values::text(&as_json(o), "spec.storageClassName") {
            wanted.push(("spec.storageClassName".into(), c.to_string()));
        }
    }
    for (field, class) in wanted {
        if let Some(m) = missing_storage_class(&class, &known) {
            out.push(scope.object_error(&d.overlay, o, &field, m));
        }
    }
}

fn storage_classes_of_releases(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    if !knows_storage(&scope.platform) {
        return;
    }
    let objects = scope
        .deployed
        .first()
        .map(|d| d.objects.as_slice())
        .unwrap_or_default();
    let known = storage_classes(&scope.platform, objects);
    for r in &scope.platform.releases {
        for (path, class) in values::find_strings(&r.values, &["storageClassName", "storageClass"])
        {
            if let Some(m) = missing_storage_class(&class, &known) {
                out.push(scope.block_error(&r.at, &format!("values.{path}"), m));
            }
        }
    }
}

fn priority_class(scope: &Scope<'_>, d: &Deployed, o: &Object, out: &mut Vec<Diagnostic>) {
    let Some((path, template)) = o.pod_template() else {
        return;
    };
    let Some(class) = template
        .spec
        .as_ref()
        .and_then(|s| s.priority_class_name.as_ref())
    else {
        return;
    };
    let exists = BUILT_IN_PRIORITY_CLASSES.contains(&class.as_str())
        || d.objects
            .iter()
            .any(|x| x.kind() == "PriorityClass" && x.name() == class);
    if !exists {
        out.push(scope.object_error(
            &d.overlay,
            o,
            &format!("{path}.spec.priorityClassName"),
            format!(
            "PriorityClass {class} exists nowhere in the target: the API server rejects the pods"
        ),
        ));
    }
}
