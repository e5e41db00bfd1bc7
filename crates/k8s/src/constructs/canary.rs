//! `Canary`: gradual traffic shifting to a second Service through ingress-nginx's
//! canary Ingress, 10% -> 50% -> 100%, the step one value of the program.

use std::collections::BTreeMap;

use terrane_core::construct::Construct;

use super::web_app::WebApp;
use crate::manifests::Manifests;

/// How much of a host's traffic the canary receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrafficStep {
    /// 10 % of requests.
    Percent10,
    /// Half the requests.
    Percent50,
    /// Every request (before switching the primary over and removing the canary).
    Percent100,
}

impl TrafficStep {
    /// The weight, in percent.
    pub fn weight(self) -> u32 {
        match self {
            TrafficStep::Percent10 => 10,
            TrafficStep::Percent50 => 50,
            TrafficStep::Percent100 => 100,
        }
    }
}

/// A canary Ingress: `step` of the requests to `host` go to Service `service` (port
/// `http`) instead of the host's primary Ingress. ingress-nginx needs the primary
/// Ingress of the same host to exist; the canary's own TLS is ignored, so it has none.
///
/// ```
/// use terrane_k8s::{Canary, Construct, Manifests, TrafficStep, WebApp};
/// let mut m = Manifests::new("shop", "shop");
/// WebApp::new("api", "api:1.0.0").host("api.example.com").add_to(&mut m);
/// WebApp::new("api-next", "api:1.1.0").add_to(&mut m);
/// Canary::new("api-canary", "api.example.com", "api-next").step(TrafficStep::Percent50).add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/ingress.yaml"].contains("canary-weight: '50'"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canary {
    name: String,
    host: String,
    service: String,
    step: TrafficStep,
}

impl Canary {
    /// Canary Ingress `name` sending traffic of `host` to Service `service`, 10 % first.
    pub fn new(
        name: impl Into<String>,
        host: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            host: host.into(),
            service: service.into(),
            step: TrafficStep::Percent10,
        }
    }

    /// The share of traffic (default 10 %).
    pub fn step(mut self, step: TrafficStep) -> Self {
        self.step = step;
        self
    }
}

impl Construct<Manifests> for Canary {
    type Handle = ();

    /// Adds the canary Ingress to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "canary");
        let backend = WebApp::new(&self.service, "unused:0").host(&self.host);
        let mut ingress = backend.ingress(m.meta(&self.name, &ns, &l), &self.host);
        ingress.metadata.annotations = Some(BTreeMap::from([
            (
                "nginx.ingress.kubernetes.io/canary".to_string(),
                "true".to_string(),
            ),
            (
                "nginx.ingress.kubernetes.io/canary-weight".to_string(),
                self.step.weight().to_string(),
            ),
        ]));
        if let Some(spec) = ingress.spec.as_mut() {
            spec.tls = None;
        }
        m.push(ingress);
    }
}
