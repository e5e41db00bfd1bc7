//! Monitoring: alert rules by severity P0-P3, Alertmanager routing by severity
//! to PagerDuty, Slack and e-mail, and Grafana dashboards as ConfigMaps.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use serde::Serialize;

use crate::crd::{
    AlertmanagerConfig, AlertmanagerConfigSpec, EmailConfig, InhibitRule, Matcher, PagerDutyConfig,
    PrometheusRule, PrometheusRuleSpec, Receiver, Route, Rule, RuleGroup, SecretKeySelector,
    SlackConfig,
};
use terrane_core::construct::{Construct, Percent};

use crate::manifests::Manifests;
use crate::ExternalSecretEnv;

/// Alert severities: P0 pages and posts, P1 pages, P2 posts to Slack, P3 e-mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Outage: page now.
    P0,
    /// Degraded: page.
    P1,
    /// Needs attention today.
    P2,
    /// Worth a look.
    P3,
}

impl Severity {
    /// `P0` ... `P3`, the value of the `severity` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::P0 => "P0",
            Severity::P1 => "P1",
            Severity::P2 => "P2",
            Severity::P3 => "P3",
        }
    }
}

/// A PrometheusRule with the platform's standard alerts.
///
/// ```
/// use terrane_k8s::{AlertRules, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// AlertRules::new("shop-alerts").http_app("api").queue_backlog("celery_queue_length", 1000).db_connections(80).add_to(&mut m);
/// let y = &m.render("t").unwrap()["base/monitoring.yaml"];
/// assert!(y.contains("alert: ApiHighErrorRate"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRules {
    name: String,
    groups: Vec<RuleGroup>,
    pending: Vec<(String, Vec<Rule>)>,
    latency_p95_seconds: f64,
}

fn camel(name: &str) -> String {
    name.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn alert(name: String, expr: String, for_: &str, severity: Severity, summary: String) -> Rule {
    Rule {
        alert: Some(name),
        record: None,
        expr,
        for_: Some(for_.into()),
        labels: BTreeMap::from([("severity".to_string(), severity.as_str().to_string())]),
        annotations: BTreeMap::from([("summary".to_string(), summary)]),
    }
}

impl AlertRules {
    /// An empty rule set named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            groups: Vec::new(),
            pending: Vec::new(),
            latency_p95_seconds: 1.0,
        }
    }

    /// p95 latency above which [`AlertRules::http_app`] alerts (default 1 s); set before `http_app`.
    pub fn latency_p95_seconds(mut self, seconds: f64) -> Self {
        self.latency_p95_seconds = seconds;
        self
    }

    /// Error rate (P0 above 20%, P1 above 5%), p95 latency (P2) and restarts (P3) of
    /// HTTP application `app` (scraped with `job=<app>`).
    pub fn http_app(mut self, app: &str) -> Self {
        let c = camel(app);
        let errors = format!(
            "sum(rate(http_requests_total{{job=\"{app}\",status=~\"5..\"}}[5m]))\n  / sum(rate(http_requests_total{{job=\"{app}\"}}[5m]))"
        );
        let latency = format!("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{job=\"{app}\"}}[5m])))");
        self.pending.push((
            app.to_string(),
            vec![
                alert(
                    format!("{c}ErrorRateCritical"),
                    format!("{errors} > 0.2"),
                    "2m",
                    Severity::P0,
                    format!("{app}: more than 20% of requests fail"),
                ),
                alert(
                    format!("{c}HighErrorRate"),
                    format!("{errors} > 0.05"),
                    "10m",
                    Severity::P1,
                    format!("{app}: more than 5% of requests fail"),
                ),
                alert(
                    format!("{c}HighLatencyP95"),
                    format!("{latency} > {}", self.latency_p95_seconds),
                    "10m",
                    Severity::P2,
                    format!("{app}: p95 latency above {}s", self.latency_p95_seconds),
                ),
            ],
        ));
        self.pod_restarts(app)
    }

    /// Restarts of `app`'s containers (P3, more than 3 in an hour).
    pub fn pod_restarts(mut self, app: &str) -> Self {
        let c = camel(app);
        let rule = alert(
            format!("{c}PodRestarts"),
            format!(
                "increase(kube_pod_container_status_restarts_total{{container=\"{app}\"}}[1h]) > 3"
            ),
            "5m",
            Severity::P3,
            format!("{app}: containers restart repeatedly"),
        );
        match self.pending.iter_mut().find(|(n, _)| n == app) {
            Some((_, rules)) => rules.push(rule),
            None => self.pending.push((app.to_string(), vec![rule])),
        }
        self
    }

    /// Queue backlog (P2): the metric `metric` summed above `threshold` for 15 minutes.
    pub fn queue_backlog(mut self, metric: &str, threshold: u64) -> Self {
        self.pending.push((
            "queues".into(),
            vec![alert(
                "QueueBacklog".into(),
                format!("sum by (queue) ({metric}) > {threshold}"),
                "15m",
                Severity::P2,
                format!("queue backlog above {threshold} messages"),
            )],
        ));
        self
    }

    /// Database connections (P1) above `threshold` percent of `max_connections`
    /// (`80` for 80 %; postgres-exporter metrics, compared as the fraction 0.8).
    pub fn db_connections(mut self, threshold: impl Into<Percent>) -> Self {
        let threshold: Percent = threshold.into();
        let ratio = threshold.fraction();
        self.pending.push((
            "database".into(),
            vec![alert(
                "DatabaseConnectionsHigh".into(),
                format!("sum(pg_stat_database_numbackends) / max(pg_settings_max_connections) > {ratio}"),
                "10m",
                Severity::P1,
                format!("database connections above {}% of max_connections", threshold.value().round()),
            )],
        ));
        self
    }
}

impl Construct<Manifests> for AlertRules {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(mut self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "monitoring");
        for (group, rules) in std::mem::take(&mut self.pending) {
            self.groups.push(RuleGroup {
                name: group,
                interval: Some("1m".into()),
                rules,
            });
        }
        m.push(PrometheusRule {
            metadata: m.meta(&self.name, &ns, &l),
            spec: PrometheusRuleSpec {
                groups: self.groups,
            },
        });
    }
}

/// Alertmanager routing by severity: P0 to PagerDuty and Slack, P1 to PagerDuty,
/// P2 to Slack, P3 to e-mail; a P0 mutes lower severities of the same alert.
/// Receiver secrets (Slack webhook, PagerDuty routing key, SMTP password) come
/// from an ExternalSecret, never literals.
///
/// ```
/// use terrane_k8s::{AlertRouting, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// AlertRouting::new("shop-alerts", "aws-secrets").slack_channel("#shop-alerts").email("oncall@example.com").add_to(&mut m);
/// let y = &m.render("t").unwrap()["base/monitoring.yaml"];
/// assert!(y.contains("kind: AlertmanagerConfig"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRouting {
    name: String,
    store: String,
    remote_secret: Option<String>,
    slack_channel: String,
    email_to: String,
    email_from: String,
    smarthost: String,
}

/// Keys of the receivers' Secret.
pub const SLACK_WEBHOOK_KEY: &str = "slack-webhook-url";
/// PagerDuty Events API v2 routing key.
pub const PAGERDUTY_KEY: &str = "pagerduty-routing-key";
/// SMTP password.
pub const SMTP_PASSWORD_KEY: &str = "smtp-password";

impl AlertRouting {
    /// Routing named `name`; receiver secrets read through SecretStore `store`
    /// from the remote secret `<namespace>/alertmanager` unless [`AlertRouting::remote_secret`] says otherwise.
    pub fn new(name: impl Into<String>, store: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            store: store.into(),
            remote_secret: None,
            slack_channel: "#alerts".into(),
            email_to: "oncall@example.com".into(),
            email_from: "alertmanager@example.com".into(),
            smarthost: "email-smtp.eu-west-1.amazonaws.com:587".into(),
        }
    }

    /// Remote secret holding `slack-webhook-url`, `pagerduty-routing-key` and `smtp-password`.
    pub fn remote_secret(mut self, key: impl Into<String>) -> Self {
        self.remote_secret = Some(key.into());
        self
    }

    /// Slack channel for P0 and P2.
    pub fn slack_channel(mut self, channel: impl Into<String>) -> Self {
        self.slack_channel = channel.into();
        self
    }

    /// Recipient of P3 mail.
    pub fn email(mut self, to: impl Into<String>) -> Self {
        self.email_to = to.into();
        self
    }

    /// Sender and SMTP server (`host:port`) of P3 mail.
    pub fn smtp(mut self, from: impl Into<String>, smarthost: impl Into<String>) -> Self {
        self.email_from = from.into();
        self.smarthost = smarthost.into();
        self
    }
}

impl Construct<Manifests> for AlertRouting {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let secret = format!("{}-receivers", self.name);
        let remote = self
            .remote_secret
            .clone()
            .unwrap_or_else(|| format!("{ns}/alertmanager"));
        ExternalSecretEnv::new(&secret, &self.store)
            .key(SLACK_WEBHOOK_KEY, &remote, SLACK_WEBHOOK_KEY)
            .key(PAGERDUTY_KEY, &remote, PAGERDUTY_KEY)
            .key(SMTP_PASSWORD_KEY, &remote, SMTP_PASSWORD_KEY)
            .add_to(m);
        let l = m.app_labels(&self.name, "monitoring");
        m.push(AlertmanagerConfig {
            metadata: m.meta(&self.name, &ns, &l),
            spec: AlertmanagerConfigSpec {
                route: routes(),
                receivers: self.receivers(&secret),
                inhibit_rules: vec![InhibitRule {
                    source_match: vec![Matcher::eq("severity", Severity::P0.as_str())],
                    target_match: vec![Matcher {
                        name: "severity".into(),
                        value: "P1|P2|P3".into(),
                        match_type: "=~".into(),
                    }],
                    equal: vec!["alertname".into()],
                }],
            },
        });
    }
}

impl AlertRouting {
    /// Receivers: PagerDuty, Slack and email, their credentials read from `secret`.
    fn receivers(&self, secret: &str) -> Vec<Receiver> {
        vec![
            Receiver {
                name: "pagerduty".into(),
                pagerduty_configs: vec![PagerDutyConfig {
                    routing_key: SecretKeySelector::new(secret, PAGERDUTY_KEY),
                    severity: Some("critical".into()),
                    send_resolved: Some(true),
                }],
                ..Default::default()
            },
            Receiver {
                name: "slack".into(),
                slack_configs: vec![SlackConfig {
                    api_url: SecretKeySelector::new(secret, SLACK_WEBHOOK_KEY),
                    channel: Some(self.slack_channel.clone()),
                    send_resolved: Some(true),
                }],
                ..Default::default()
            },
            Receiver {
                name: "email".into(),
                email_configs: vec![EmailConfig {
                    to: self.email_to.clone(),
                    from: Some(self.email_from.clone()),
                    smarthost: Some(self.smarthost.clone()),
                    auth_username: Some(self.email_from.clone()),
                    auth_password: Some(SecretKeySelector::new(secret, SMTP_PASSWORD_KEY)),
                    require_tls: Some(true),
                    send_resolved: Some(false),
                }],
                ..Default::default()
            },
        ]
    }
}

/// The routing tree: P0 pages and posts, P1 pages, P2 posts, P3 mails once a day.
fn routes() -> Route {
    let sev = |s: Severity| vec![Matcher::eq("severity", s.as_str())];
    let route = |receiver: &str, s: Severity| Route {
        receiver: receiver.into(),
        matchers: sev(s),
        ..Default::default()
    };
    Route {
        receiver: "slack".into(),
        group_by: vec!["alertname".into(), "namespace".into()],
        group_wait: Some("30s".into()),
        group_interval: Some("5m".into()),
        repeat_interval: Some("4h".into()),
        routes: vec![
            Route {
                continue_: Some(true),
                ..route("pagerduty", Severity::P0)
            },
            route("slack", Severity::P0),
            route("pagerduty", Severity::P1),
            route("slack", Severity::P2),
            Route {
                repeat_interval: Some("24h".into()),
                ..route("email", Severity::P3)
            },
        ],
        ..Default::default()
    }
}

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
