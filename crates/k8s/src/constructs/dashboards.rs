//! Grafana dashboards as ConfigMaps the Grafana sidecar loads.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use serde::Serialize;

use terrane_core::construct::Construct;

use crate::manifests::Manifests;

/// The label the Grafana dashboard sidecar watches for.
pub const GRAFANA_DASHBOARD_LABEL: &str = "grafana_dashboard";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DashboardJson<'a> {
    uid: &'a str,
    title: &'a str,
    tags: Vec<&'a str>,
    schema_version: u32,
    refresh: &'static str,
    time: TimeRange,
    panels: Vec<PanelJson>,
}

#[derive(Serialize)]
struct TimeRange {
    from: &'static str,
    to: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PanelJson {
    id: usize,
    title: String,
    #[serde(rename = "type")]
    type_: &'static str,
    datasource: Datasource,
    grid_pos: GridPos,
    targets: Vec<Target>,
}

#[derive(Serialize)]
struct Datasource {
    #[serde(rename = "type")]
    type_: &'static str,
    uid: &'static str,
}

#[derive(Serialize)]
struct GridPos {
    h: u32,
    w: u32,
    x: u32,
    y: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    expr: String,
    ref_id: &'static str,
}

/// A Grafana dashboard, written as a ConfigMap the Grafana sidecar picks up
/// (label `grafana_dashboard: "1"`, folder from the `grafana_folder` annotation).
///
/// ```
/// use terrane_k8s::{Construct, GrafanaDashboard, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// GrafanaDashboard::http_app("api").add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/config.yaml"].contains("grafana_dashboard: '1'"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GrafanaDashboard {
    name: String,
    title: String,
    panels: Vec<(String, String)>,
}

impl GrafanaDashboard {
    /// An empty dashboard `name` titled `title`.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            title: title.into(),
            panels: Vec::new(),
        }
    }

    /// Request rate, error ratio, p95 latency, CPU and memory of HTTP application `app`.
    pub fn http_app(app: &str) -> Self {
        Self::new(format!("{app}-dashboard"), format!("{app} overview"))
            .panel("Requests per second", format!("sum(rate(http_requests_total{{job=\"{app}\"}}[5m]))"))
            .panel(
                "Error ratio",
                format!("sum(rate(http_requests_total{{job=\"{app}\",status=~\"5..\"}}[5m])) / sum(rate(http_requests_total{{job=\"{app}\"}}[5m]))"),
            )
            .panel("p95 latency (s)", format!("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{job=\"{app}\"}}[5m])))"))
            .panel("CPU (cores)", format!("sum(rate(container_cpu_usage_seconds_total{{container=\"{app}\"}}[5m]))"))
            .panel("Memory (bytes)", format!("sum(container_memory_working_set_bytes{{container=\"{app}\"}})"))
    }

    /// A time series panel of PromQL `expr`.
    pub fn panel(mut self, title: impl Into<String>, expr: impl Into<String>) -> Self {
        self.panels.push((title.into(), expr.into()));
        self
    }

    fn json(&self) -> String {
        let d = DashboardJson {
            uid: &self.name,
            title: &self.title,
            tags: vec!["terrane"],
            schema_version: 39,
            refresh: "1m",
            time: TimeRange {
                from: "now-6h",
                to: "now",
            },
            panels: self
                .panels
                .iter()
                .enumerate()
                .map(|(i, (title, expr))| PanelJson {
                    id: i + 1,
                    title: title.clone(),
                    type_: "timeseries",
                    datasource: Datasource {
                        type_: "prometheus",
                        uid: "prometheus",
                    },
                    grid_pos: GridPos {
                        h: 8,
                        w: 12,
                        x: (i as u32 % 2) * 12,
                        y: (i as u32 / 2) * 8,
                    },
                    targets: vec![Target {
                        expr: expr.clone(),
                        ref_id: "A",
                    }],
                })
                .collect(),
        };
        // Plain structs of strings and integers cannot fail to serialize.
        serde_json::to_string_pretty(&d).unwrap_or_default()
    }
}

impl Construct<Manifests> for GrafanaDashboard {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "monitoring");
        let mut meta = m.meta(&self.name, &ns, &l);
        meta.labels
            .get_or_insert_with(Default::default)
            .insert(GRAFANA_DASHBOARD_LABEL.into(), "1".into());
        meta.annotations = Some(BTreeMap::from([(
            "grafana_folder".to_string(),
            m.part_of().to_string(),
        )]));
        m.push(ConfigMap {
            metadata: meta,
            data: Some(BTreeMap::from([(
                format!("{}.json", self.name),
                self.json(),
            )])),
            ..Default::default()
        });
    }
}
