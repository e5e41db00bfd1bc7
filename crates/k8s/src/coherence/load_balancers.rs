//! Rule `k8s/coherence/load-balancers`: Service annotations and load balancer
//! classes that only the AWS Load Balancer Controller acts on need that
//! controller in the target; without it the Service never gets an address (and a
//! Helm release waiting for it times out).
//!
//! Facts (docs/facts/charts.toml, aws-load-balancer-controller 3.5.0,
//! `service_annotations_acted_on`, inferred from
//! <https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/nlb/>):
//! `service.beta.kubernetes.io/aws-load-balancer-type: external` (or `nlb-ip`),
//! `service.beta.kubernetes.io/aws-load-balancer-nlb-target-type` and
//! `spec.loadBalancerClass: service.k8s.aws/nlb` are the controller's; the in-tree
//! cloud provider ignores them.

use terrane_core::Diagnostic;

use super::{values, Scope};
use crate::object::Object;

const TYPE: &str = "service.beta.kubernetes.io/aws-load-balancer-type";
const TARGET_TYPE: &str = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type";
const CLASS: &str = "service.k8s.aws/nlb";

/// Whether an annotation is one only the controller acts on.
fn controller_only(key: &str, value: &str) -> bool {
    (key == TYPE && (value == "external" || value == "nlb-ip")) || key == TARGET_TYPE
}

const MESSAGE: &str = "only the AWS Load Balancer Controller acts on it, and the target installs no aws-load-balancer-controller release: the Service never gets an address";

/// Runs the rule on every overlay's Services and on every release's values.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    if scope
        .platform
        .releases_of("aws-load-balancer-controller")
        .next()
        .is_some()
    {
        return;
    }
    for d in scope.deployed {
        for o in &d.objects {
            let Object::Service(s) = o else { continue };
            for (k, v) in s.metadata.annotations.iter().flatten() {
                if controller_only(k, v) {
                    out.push(scope.object_error(
                        &d.overlay,
                        o,
                        &format!("metadata.annotations.{k}"),
                        MESSAGE,
                    ));
                }
            }
            if s.spec
                .as_ref()
                .and_then(|s| s.load_balancer_class.as_deref())
                == Some(CLASS)
            {
                out.push(scope.object_error(&d.overlay, o, "spec.loadBalancerClass", MESSAGE));
            }
        }
    }
    for r in &scope.platform.releases {
        for (path, value) in values::find_strings(&r.values, &[TYPE, TARGET_TYPE]) {
            let key = if path.ends_with(TARGET_TYPE) {
                TARGET_TYPE
            } else {
                TYPE
            };
            if controller_only(key, &value) {
                out.push(scope.block_error(&r.at, &format!("values.{path}"), MESSAGE));
            }
        }
    }
}
