//! Overlays: per-environment changes (replicas, resources, hosts) written as
//! kustomize JSON 6902 patches, and applied to the typed objects so that checks
//! see what each environment will really run.

use k8s_openapi::api::core::v1::ResourceRequirements;
use serde::Serialize;

use terrane_core::Diagnostic;

use crate::checks::{located, object_address};
use crate::object::Object;
use crate::pod::Resources;

/// One environment's changes to the base.
///
/// ```
/// use terrane_k8s::{Overlay, Resources};
/// let staging = Overlay::new("staging")
///     .scale("api", 1, 3)
///     .resources("api", Resources::requests("100m", "128Mi").limits("500m", "256Mi"))
///     .host("api", "api.staging.example.com");
/// assert_eq!(staging.name(), "staging");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub(crate) name: String,
    pub(crate) ops: Vec<OverlayOp>,
}

/// A change an overlay makes to one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverlayOp {
    /// HPA min/max of `app`; without an HPA, the workload's `replicas` (`min`).
    Scale {
        /// Application (object) name.
        app: String,
        /// Minimum replicas.
        min: i32,
        /// Maximum replicas.
        max: i32,
    },
    /// Resources of the main container of workload `app`.
    Resources {
        /// Workload name.
        app: String,
        /// New requests and limits.
        resources: Resources,
    },
    /// Host of Ingress `app` (rule and TLS).
    Host {
        /// Ingress name.
        app: String,
        /// New host.
        host: String,
    },
}

impl Overlay {
    /// An overlay named `name` (`staging`), with no changes yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ops: Vec::new(),
        }
    }

    /// The overlay's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the HPA range of `app` (or its replicas, `min`, if it has no HPA).
    pub fn scale(mut self, app: impl Into<String>, min: i32, max: i32) -> Self {
        self.ops.push(OverlayOp::Scale {
            app: app.into(),
            min,
            max,
        });
        self
    }

    /// Sets the resources of the main container of `app`.
    pub fn resources(mut self, app: impl Into<String>, resources: Resources) -> Self {
        self.ops.push(OverlayOp::Resources {
            app: app.into(),
            resources,
        });
        self
    }

    /// Sets the host of the Ingress of `app`.
    pub fn host(mut self, app: impl Into<String>, host: impl Into<String>) -> Self {
        self.ops.push(OverlayOp::Host {
            app: app.into(),
            host: host.into(),
        });
        self
    }
}

/// One JSON 6902 operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PatchOp {
    pub op: &'static str,
    pub path: String,
    pub value: PatchValue,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum PatchValue {
    Int(i32),
    Str(String),
    Resources(Box<ResourceRequirements>),
}

/// The patches of one object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectPatch {
    pub group: &'static str,
    pub version: String,
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub ops: Vec<PatchOp>,
}

fn find<'a>(objects: &'a mut [Object], kinds: &[&str], name: &str) -> Option<&'a mut Object> {
    objects
        .iter_mut()
        .find(|o| kinds.contains(&o.kind()) && o.name() == name)
}

impl Overlay {
    /// Applies the overlay to `objects` and returns the patches that do the same in kustomize.
    /// An operation whose target does not exist becomes a diagnostic.
    pub(crate) fn apply(
        &self,
        target: &str,
        objects: &mut [Object],
    ) -> (Vec<ObjectPatch>, Vec<Diagnostic>) {
        let mut patches: Vec<ObjectPatch> = Vec::new();
        let mut diags = Vec::new();
        let mut record = |o: &Object, op: PatchOp| {
            let version = o
                .api_version()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            if let Some(p) = patches
                .iter_mut()
                .find(|p| p.kind == o.kind() && p.name == o.name() && p.namespace == o.namespace())
            {
                p.ops.push(op);
            } else {
                patches.push(ObjectPatch {
                    group: o.group(),
                    version,
                    kind: o.kind(),
                    name: o.name().to_string(),
                    namespace: o.namespace().to_string(),
                    ops: vec![op],
                });
            }
        };
        for op in &self.ops {
            let missing = |app: &str, field: &str, what: &str| {
                located(
                    format!("no {what} named {app} to patch"),
                    target,
                    &self.name,
                    &object_address("", "Overlay", &self.name),
                )
                .field(field)
            };
            match op {
                OverlayOp::Scale { app, min, max } => {
                    if let Some(o) = find(objects, &["HorizontalPodAutoscaler"], app) {
                        if let Object::HorizontalPodAutoscaler(h) = o {
                            if let Some(s) = h.spec.as_mut() {
                                s.min_replicas = Some(*min);
                                s.max_replicas = *max;
                            }
                        }
                        record(
                            o,
                            PatchOp {
                                op: "add",
                                path: "/spec/minReplicas".into(),
                                value: PatchValue::Int(*min),
                            },
                        );
                        record(
                            o,
                            PatchOp {
                                op: "add",
                                path: "/spec/maxReplicas".into(),
                                value: PatchValue::Int(*max),
                            },
                        );
                    } else if let Some(o) = find(objects, &["Deployment", "StatefulSet"], app) {
                        match o {
                            Object::Deployment(d) => {
                                if let Some(s) = d.spec.as_mut() {
                                    s.replicas = Some(*min);
                                }
                            }
                            Object::StatefulSet(d) => {
                                if let Some(s) = d.spec.as_mut() {
                                    s.replicas = Some(*min);
                                }
                            }
                            _ => {}
                        }
                        record(
                            o,
                            PatchOp {
                                op: "add",
                                path: "/spec/replicas".into(),
                                value: PatchValue::Int(*min),
                            },
                        );
                    } else {
                        diags.push(missing(
                            app,
                            "scale",
                            "HorizontalPodAutoscaler, Deployment or StatefulSet",
                        ));
                    }
                }
                OverlayOp::Resources { app, resources } => {
                    if let Some(o) = find(objects, &["Deployment", "StatefulSet", "CronJob"], app) {
                        let path = match o.pod_template() {
                            Some((p, _)) => {
                                format!("/{}/spec/containers/0/resources", p.replace('.', "/"))
                            }
                            None => continue,
                        };
                        let mut value = resources.to_k8s();
                        if let Some(t) = o.pod_template_mut() {
                            if let Some(spec) = t.spec.as_mut() {
                                if let Some(c) = spec.containers.first_mut() {
                                    // Extended resources (GPUs) stay as the base sets them.
                                    let keep: Vec<(
                                        String,
                                        k8s_openapi::apimachinery::pkg::api::resource::Quantity,
                                    )> = c
                                        .resources
                                        .as_ref()
                                        .and_then(|r| r.limits.as_ref())
                                        .map(|l| {
                                            l.iter()
                                                .filter(|(k, _)| k.contains('/'))
                                                .map(|(k, v)| (k.clone(), v.clone()))
                                                .collect()
                                        })
                                        .unwrap_or_default();
                                    if !keep.is_empty() {
                                        value
                                            .limits
                                            .get_or_insert_with(Default::default)
                                            .extend(keep);
                                    }
                                    c.resources = Some(value.clone());
                                }
                            }
                        }
                        record(
                            o,
                            PatchOp {
                                op: "add",
                                path,
                                value: PatchValue::Resources(Box::new(value)),
                            },
                        );
                    } else {
                        diags.push(missing(
                            app,
                            "resources",
                            "Deployment, StatefulSet or CronJob",
                        ));
                    }
                }
                OverlayOp::Host { app, host } => {
                    if let Some(o) = find(objects, &["Ingress"], app) {
                        let mut has_tls = false;
                        if let Object::Ingress(i) = o {
                            if let Some(spec) = i.spec.as_mut() {
                                if let Some(r) = spec.rules.as_mut().and_then(|r| r.first_mut()) {
                                    r.host = Some(host.clone());
                                }
                                if let Some(t) = spec.tls.as_mut().and_then(|t| t.first_mut()) {
                                    t.hosts = Some(vec![host.clone()]);
                                    has_tls = true;
                                }
                            }
                        }
                        record(
                            o,
                            PatchOp {
                                op: "add",
                                path: "/spec/rules/0/host".into(),
                                value: PatchValue::Str(host.clone()),
                            },
                        );
                        if has_tls {
                            record(
                                o,
                                PatchOp {
                                    op: "replace",
                                    path: "/spec/tls/0/hosts/0".into(),
                                    value: PatchValue::Str(host.clone()),
                                },
                            );
                        }
                    } else {
                        diags.push(missing(app, "host", "Ingress"));
                    }
                }
            }
        }
        (patches, diags)
    }
}
