//! Overlays: per-environment changes (replicas, resources, hosts) written as
//! kustomize JSON 6902 patches, and applied to the typed objects so that checks
//! see what each environment will really run.

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
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

/// The patches collected while an overlay is applied, one entry per object.
#[derive(Default)]
struct Patches(Vec<ObjectPatch>);

impl Patches {
    /// Adds `op` to the patch of `o`, starting that patch on the object's first op.
    fn record(&mut self, o: &Object, op: &'static str, path: impl Into<String>, value: PatchValue) {
        let op = PatchOp {
            op,
            path: path.into(),
            value,
        };
        if let Some(p) = self
            .0
            .iter_mut()
            .find(|p| p.kind == o.kind() && p.name == o.name() && p.namespace == o.namespace())
        {
            p.ops.push(op);
            return;
        }
        let version = o
            .api_version()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        self.0.push(ObjectPatch {
            group: o.group(),
            version,
            kind: o.kind(),
            name: o.name().to_string(),
            namespace: o.namespace().to_string(),
            ops: vec![op],
        });
    }
}

/// An operation whose object does not exist: the overlay field that asked for it and
/// the kinds looked for.
struct Missing {
    field: &'static str,
    kinds: &'static str,
}

impl OverlayOp {
    /// The application the operation changes.
    fn app(&self) -> &str {
        match self {
            OverlayOp::Scale { app, .. }
            | OverlayOp::Resources { app, .. }
            | OverlayOp::Host { app, .. } => app,
        }
    }

    /// Applies the operation to `objects`, recording the same change as patches.
    fn apply(&self, objects: &mut [Object], patches: &mut Patches) -> Result<(), Missing> {
        match self {
            OverlayOp::Scale { app, min, max } => scale(objects, patches, app, *min, *max),
            OverlayOp::Resources { app, resources } => {
                set_resources(objects, patches, app, resources)
            }
            OverlayOp::Host { app, host } => set_host(objects, patches, app, host),
        }
    }
}

impl Overlay {
    /// Applies the overlay to `objects` and returns the patches that do the same in kustomize.
    /// An operation whose target does not exist becomes a diagnostic.
    pub(crate) fn apply(
        &self,
        target: &str,
        objects: &mut [Object],
    ) -> (Vec<ObjectPatch>, Vec<Diagnostic>) {
        let mut patches = Patches::default();
        let mut diags = Vec::new();
        for op in &self.ops {
            if let Err(Missing { field, kinds }) = op.apply(objects, &mut patches) {
                diags.push(
                    located(
                        format!("no {kinds} named {} to patch", op.app()),
                        target,
                        &self.name,
                        &object_address("", "Overlay", &self.name),
                    )
                    .field(field),
                );
            }
        }
        (patches.0, diags)
    }
}

/// The HPA range of `app`, or without an HPA the replicas (`min`) of its workload.
fn scale(
    objects: &mut [Object],
    patches: &mut Patches,
    app: &str,
    min: i32,
    max: i32,
) -> Result<(), Missing> {
    if let Some(o) = find(objects, &["HorizontalPodAutoscaler"], app) {
        if let Object::HorizontalPodAutoscaler(h) = o {
            if let Some(s) = h.spec.as_mut() {
                s.min_replicas = Some(min);
                s.max_replicas = max;
            }
        }
        patches.record(o, "add", "/spec/minReplicas", PatchValue::Int(min));
        patches.record(o, "add", "/spec/maxReplicas", PatchValue::Int(max));
        return Ok(());
    }
    let Some(o) = find(objects, &["Deployment", "StatefulSet"], app) else {
        return Err(Missing {
            field: "scale",
            kinds: "HorizontalPodAutoscaler, Deployment or StatefulSet",
        });
    };
    match o {
        Object::Deployment(d) => {
            if let Some(s) = d.spec.as_mut() {
                s.replicas = Some(min);
            }
        }
        Object::StatefulSet(d) => {
            if let Some(s) = d.spec.as_mut() {
                s.replicas = Some(min);
            }
        }
        _ => {}
    }
    patches.record(o, "add", "/spec/replicas", PatchValue::Int(min));
    Ok(())
}

/// The resources of the main container of workload `app`; extended resources (GPUs)
/// stay as the base sets them.
fn set_resources(
    objects: &mut [Object],
    patches: &mut Patches,
    app: &str,
    resources: &Resources,
) -> Result<(), Missing> {
    let Some(o) = find(objects, &["Deployment", "StatefulSet", "CronJob"], app) else {
        return Err(Missing {
            field: "resources",
            kinds: "Deployment, StatefulSet or CronJob",
        });
    };
    let Some((p, _)) = o.pod_template() else {
        return Ok(());
    };
    let path = format!("/{}/spec/containers/0/resources", p.replace('.', "/"));
    let mut value = resources.to_k8s();
    if let Some(c) = o
        .pod_template_mut()
        .and_then(|t| t.spec.as_mut())
        .and_then(|spec| spec.containers.first_mut())
    {
        let keep: Vec<(String, Quantity)> = c
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
    patches.record(o, "add", path, PatchValue::Resources(Box::new(value)));
    Ok(())
}

/// The host of Ingress `app`: its first rule and, when it has one, its TLS entry.
fn set_host(
    objects: &mut [Object],
    patches: &mut Patches,
    app: &str,
    host: &str,
) -> Result<(), Missing> {
    let Some(o) = find(objects, &["Ingress"], app) else {
        return Err(Missing {
            field: "host",
            kinds: "Ingress",
        });
    };
    let mut has_tls = false;
    if let Object::Ingress(i) = o {
        if let Some(spec) = i.spec.as_mut() {
            if let Some(r) = spec.rules.as_mut().and_then(|r| r.first_mut()) {
                r.host = Some(host.to_string());
            }
            if let Some(t) = spec.tls.as_mut().and_then(|t| t.first_mut()) {
                t.hosts = Some(vec![host.to_string()]);
                has_tls = true;
            }
        }
    }
    patches.record(
        o,
        "add",
        "/spec/rules/0/host",
        PatchValue::Str(host.to_string()),
    );
    if has_tls {
        patches.record(
            o,
            "replace",
            "/spec/tls/0/hosts/0",
            PatchValue::Str(host.to_string()),
        );
    }
    Ok(())
}
