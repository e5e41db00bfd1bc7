//! `BlueGreen`: two Deployments and a Service that sends traffic to one colour.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

use super::canary::{Canary, TrafficStep};
use super::common::{self, Allowed, Rollout};
use super::web_app::WebApp;
use super::workload::{Workload, DEPLOYMENT_POD_SPEC};
use crate::crd::{Endpoint, ServiceMonitor, ServiceMonitorSpec};
use crate::labels;
use terrane_core::construct::Construct;

use crate::manifests::Manifests;
use crate::pod::{Health, PodBuilder, PodTemplate, Spread};

/// One of the two colours of a [`BlueGreen`] deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Blue.
    Blue,
    /// Green.
    Green,
}

impl Colour {
    /// `blue` or `green`.
    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Blue => "blue",
            Colour::Green => "green",
        }
    }
}

/// Blue/green: Deployments `<name>-blue` and `<name>-green` both run; Service
/// `<name>` selects the active colour. Switching is one call, `.active(Colour::Green)`,
/// and one changed line in the rendered Service.
///
/// ```
/// use terrane_k8s::{BlueGreen, Colour, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// BlueGreen::new("web", "registry.example.com/web:2.0.0").blue_image("registry.example.com/web:1.9.0").active(Colour::Green).add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/services.yaml"].contains("terrane.dev/colour: green"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BlueGreen {
    name: String,
    namespace: Option<String>,
    pod: PodTemplate,
    blue_image: Option<String>,
    green_image: Option<String>,
    active: Colour,
    replicas: i32,
    autoscale: Option<(i32, i32)>,
    host: Option<String>,
    canary: Option<TrafficStep>,
    allow_from: Vec<String>,
    rate_limit_rpm: Option<u32>,
}

impl BlueGreen {
    /// Application `name`; both colours run `image` until one is changed.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            pod: PodTemplate::new(image, Some(8000), Health::Http("/health".into())),
            blue_image: None,
            green_image: None,
            active: Colour::Blue,
            replicas: 2,
            autoscale: None,
            host: None,
            canary: None,
            allow_from: Vec::new(),
            rate_limit_rpm: None,
        }
    }

    /// Requests per minute per client IP on the host's Ingress, as
    /// [`WebApp::rate_limit_per_minute`].
    pub fn rate_limit_per_minute(mut self, rpm: u32) -> Self {
        self.rate_limit_rpm = Some(rpm);
        self
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Image of the blue Deployment.
    pub fn blue_image(mut self, image: impl Into<String>) -> Self {
        self.blue_image = Some(image.into());
        self
    }

    /// Image of the green Deployment.
    pub fn green_image(mut self, image: impl Into<String>) -> Self {
        self.green_image = Some(image.into());
        self
    }

    /// The colour that receives traffic (default blue).
    pub fn active(mut self, colour: Colour) -> Self {
        self.active = colour;
        self
    }

    /// Replicas of each colour (default 2).
    pub fn replicas(mut self, n: i32) -> Self {
        self.replicas = n;
        self
    }

    /// Each colour scaled by its own HPA between `min` and `max` (70% CPU, 80%
    /// memory), with a PDB, instead of fixed replicas.
    pub fn autoscale(mut self, min: i32, max: i32) -> Self {
        self.autoscale = Some((min, max));
        self
    }

    /// Public host: an Ingress to the active colour with a cert-manager certificate,
    /// `/metrics` denied.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Shifts `step` of the host's traffic to the inactive colour (Service
    /// `<name>-<colour>`) through a canary Ingress; with 100% reached, switch
    /// [`BlueGreen::active`] and drop the canary.
    pub fn canary(mut self, step: TrafficStep) -> Self {
        self.canary = Some(step);
        self
    }

    /// Lets pods of application `app` reach this one.
    pub fn allow_from(mut self, app: impl Into<String>) -> Self {
        self.allow_from.push(app.into());
        self
    }
}

impl BlueGreen {
    /// The Deployment `<name>-<colour>`: the pod template with the colour's image,
    /// its pods labelled and selected by colour.
    fn colour_deployment(&self, m: &Manifests, w: &Workload<'_>, colour: Colour) -> Deployment {
        let mut pod = self.pod.clone();
        let image = match colour {
            Colour::Blue => self.blue_image.clone(),
            Colour::Green => self.green_image.clone(),
        };
        if let Some(image) = image {
            pod.image = image;
        }
        let mut sel = w.selector.clone();
        sel.insert(labels::COLOUR.into(), colour.as_str().into());
        let mut pod_labels = w.labels.all();
        pod_labels.insert(labels::COLOUR.into(), colour.as_str().into());
        if let Some(tag) = labels::image_tag(&pod.image) {
            pod_labels.insert(labels::VERSION.into(), tag.into());
        }
        let dname = format!("{}-{}", w.name, colour.as_str());
        let mut dmeta = m.meta(&dname, &w.namespace, &w.labels);
        dmeta
            .labels
            .get_or_insert_with(Default::default)
            .insert(labels::COLOUR.into(), colour.as_str().into());
        let template = pod.to_k8s(w.name, pod_labels, &sel, Spread::AcrossZones);
        let replicas = self.autoscale.is_none().then_some(self.replicas);
        common::deployment(dmeta, &sel, replicas, Rollout::RollingUpdate, template)
    }

    /// HPA and PDB of each colour, when autoscaled.
    fn scaling(&self, m: &mut Manifests, w: &Workload<'_>) {
        let Some((min, max)) = self.autoscale else {
            return;
        };
        for colour in [Colour::Blue, Colour::Green] {
            let name = format!("{}-{}", w.name, colour.as_str());
            let mut meta = w.meta.clone();
            meta.name = Some(name.clone());
            let mut sel = w.selector.clone();
            sel.insert(labels::COLOUR.into(), colour.as_str().into());
            m.push(common::hpa(
                meta.clone(),
                "Deployment",
                &name,
                min,
                max,
                vec![
                    common::resource_metric("cpu", 70),
                    common::resource_metric("memory", 80),
                ],
            ));
            m.push(common::pdb(meta, &sel, None));
        }
    }

    /// Ingress of the host to the active colour, the `/metrics` deny, the canary.
    fn ingresses(&self, m: &mut Manifests, w: &Workload<'_>) {
        let Some(host) = &self.host else {
            return;
        };
        let mut web = WebApp::new(w.name, "unused:0").host(host);
        if let Some(rpm) = self.rate_limit_rpm {
            web = web.rate_limit_per_minute(rpm);
        }
        m.push(web.ingress(w.meta.clone(), host));
        let mut deny = w.meta.clone();
        deny.name = Some(format!("{}-metrics-deny", w.name));
        m.push(web.metrics_deny_ingress(deny, host));
        if let Some(step) = self.canary {
            let inactive = match self.active {
                Colour::Blue => Colour::Green,
                Colour::Green => Colour::Blue,
            };
            Canary::new(
                format!("{}-canary", w.name),
                host,
                format!("{}-{}", w.name, inactive.as_str()),
            )
            .step(step)
            .add_to(m);
        }
    }
}

impl PodBuilder for BlueGreen {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl Construct<Manifests> for BlueGreen {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, self.namespace.as_deref(), "web");
        w.service_account(m, self.pod.irsa_role.as_ref());
        for colour in [Colour::Blue, Colour::Green] {
            let object = format!("{}-{}", w.name, colour.as_str());
            w.bridge_pod(m, &self.pod, "Deployment", &object, DEPLOYMENT_POD_SPEC);
            m.push(self.colour_deployment(m, &w, colour));
        }
        let mut sel = w.selector.clone();
        sel.insert(labels::COLOUR.into(), self.active.as_str().into());
        m.push(common::http_service(w.meta.clone(), &sel));
        // One fixed Service per colour, for smoke tests and the canary: switching
        // changes only the selector of Service `<name>`.
        for colour in [Colour::Blue, Colour::Green] {
            let mut colour_sel = w.selector.clone();
            colour_sel.insert(labels::COLOUR.into(), colour.as_str().into());
            let mut meta = w.meta.clone();
            meta.name = Some(format!("{}-{}", w.name, colour.as_str()));
            meta.labels
                .get_or_insert_with(Default::default)
                .insert(labels::COLOUR.into(), colour.as_str().into());
            m.push(common::http_service(meta, &colour_sel));
        }
        self.scaling(m, &w);
        self.ingresses(m, &w);
        // Scrape through the colour Services only: each pod once, both colours.
        let mut monitored = common::selector(&w.selector);
        monitored.match_expressions = Some(vec![LabelSelectorRequirement {
            key: labels::COLOUR.into(),
            operator: "Exists".into(),
            values: None,
        }]);
        m.push(ServiceMonitor {
            metadata: m.monitor_meta(w.name, &w.namespace, &w.labels),
            spec: ServiceMonitorSpec {
                job_label: Some(labels::NAME.into()),
                selector: monitored,
                namespace_selector: None,
                endpoints: vec![Endpoint {
                    port: "http".into(),
                    path: Some("/metrics".into()),
                    interval: Some("30s".into()),
                    scrape_timeout: Some("10s".into()),
                }],
            },
        });
        m.push(common::app_network_policy(
            w.meta,
            &w.selector,
            Some("http"),
            &Allowed {
                ingress_controller: true,
                monitoring: true,
                apps: self.allow_from.clone(),
            },
        ));
    }
}
