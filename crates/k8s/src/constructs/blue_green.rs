//! `BlueGreen`: two Deployments and a Service that sends traffic to one colour.

use k8s_openapi::api::apps::v1::Deployment;

use super::common::{self, Allowed, Rollout};
use super::workload::{Workload, DEPLOYMENT_POD_SPEC};
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
    allow_from: Vec<String>,
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
            allow_from: Vec::new(),
        }
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
        common::deployment(
            dmeta,
            &sel,
            Some(self.replicas),
            Rollout::RollingUpdate,
            template,
        )
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
