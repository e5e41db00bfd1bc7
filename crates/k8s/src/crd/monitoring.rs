//! prometheus-operator resources: ServiceMonitor and PrometheusRule
//! (monitoring.coreos.com/v1) and AlertmanagerConfig (monitoring.coreos.com/v1alpha1).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::NamespaceResourceScope;
use serde::Serialize;

use super::{custom_resource, SecretKeySelector};

/// Tells Prometheus to scrape the endpoints of the Services that `spec.selector` picks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceMonitor {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// What to scrape.
    pub spec: ServiceMonitorSpec,
}
custom_resource!(
    ServiceMonitor,
    "monitoring.coreos.com",
    "v1",
    "ServiceMonitor",
    "servicemonitors",
    NamespaceResourceScope
);

/// Spec of a [`ServiceMonitor`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMonitorSpec {
    /// Label of the Service whose value becomes the `job` label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_label: Option<String>,
    /// Services to scrape.
    pub selector: LabelSelector,
    /// Namespaces in which to look for the Services.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<NamespaceSelector>,
    /// Ports of the selected Services to scrape.
    pub endpoints: Vec<Endpoint>,
}

/// Namespaces a monitor looks in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSelector {
    /// Namespace names.
    pub match_names: Vec<String>,
}

/// One scraped port of a [`ServiceMonitor`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// Name of the Service port.
    pub port: String,
    /// HTTP path to scrape (`/metrics`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Scrape interval (`30s`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Scrape timeout, below the interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_timeout: Option<String>,
}

/// Alerting and recording rules evaluated by Prometheus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrometheusRule {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// The rule groups.
    pub spec: PrometheusRuleSpec,
}
custom_resource!(
    PrometheusRule,
    "monitoring.coreos.com",
    "v1",
    "PrometheusRule",
    "prometheusrules",
    NamespaceResourceScope
);

/// Spec of a [`PrometheusRule`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PrometheusRuleSpec {
    /// Rule groups, evaluated independently.
    pub groups: Vec<RuleGroup>,
}

/// A named group of rules evaluated in sequence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleGroup {
    /// Group name, unique in the object.
    pub name: String,
    /// Evaluation interval (`1m`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Alerting or recording rules.
    pub rules: Vec<Rule>,
}

/// An alerting rule (with `alert`) or a recording rule (with `record`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rule {
    /// Alert name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// Recorded series name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// PromQL expression.
    pub expr: String,
    /// How long the expression must hold before the alert fires.
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    pub for_: Option<String>,
    /// Labels added to the alert (`severity`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations added to the alert (`summary`, `runbook_url`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A namespaced piece of Alertmanager configuration: routes and receivers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertmanagerConfig {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Routing tree, receivers and inhibition rules.
    pub spec: AlertmanagerConfigSpec,
}
custom_resource!(
    AlertmanagerConfig,
    "monitoring.coreos.com",
    "v1alpha1",
    "AlertmanagerConfig",
    "alertmanagerconfigs",
    NamespaceResourceScope
);

/// Spec of an [`AlertmanagerConfig`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerConfigSpec {
    /// The root route.
    pub route: Route,
    /// Where notifications go.
    pub receivers: Vec<Receiver>,
    /// Alerts that mute other alerts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inhibit_rules: Vec<InhibitRule>,
}

/// A node of the Alertmanager routing tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    /// Receiver name for alerts matched by this route.
    pub receiver: String,
    /// Labels by which alerts are grouped into one notification.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
    /// Wait before the first notification of a group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_wait: Option<String>,
    /// Wait before notifying about new alerts of a group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_interval: Option<String>,
    /// Wait before re-sending a notification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<String>,
    /// Label matchers an alert must satisfy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<Matcher>,
    /// Keep matching sibling routes after this one matched.
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    pub continue_: Option<bool>,
    /// Child routes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
}

/// A label matcher (`severity="P0"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    /// Label name.
    pub name: String,
    /// Label value or regular expression.
    pub value: String,
    /// One of `=`, `!=`, `=~`, `!~`.
    pub match_type: String,
}

impl Matcher {
    /// An equality matcher.
    ///
    /// ```
    /// let m = terrane_k8s::crd::Matcher::eq("severity", "P0");
    /// assert_eq!(m.match_type, "=");
    /// ```
    pub fn eq(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            match_type: "=".into(),
        }
    }
}

/// A notification destination.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Receiver {
    /// Receiver name, referenced by routes.
    pub name: String,
    /// Slack webhooks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slack_configs: Vec<SlackConfig>,
    /// E-mail destinations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_configs: Vec<EmailConfig>,
    /// PagerDuty services.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pagerduty_configs: Vec<PagerDutyConfig>,
}

/// A Slack webhook receiver; the webhook URL comes from a Secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlackConfig {
    /// Secret key holding the webhook URL.
    #[serde(rename = "apiURL")]
    pub api_url: SecretKeySelector,
    /// Channel to post to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Notify when alerts resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_resolved: Option<bool>,
}

/// An e-mail receiver; the SMTP password comes from a Secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailConfig {
    /// Recipient address.
    pub to: String,
    /// Sender address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// SMTP server, `host:port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smarthost: Option<String>,
    /// SMTP user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_username: Option<String>,
    /// Secret key holding the SMTP password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_password: Option<SecretKeySelector>,
    /// Require STARTTLS.
    #[serde(rename = "requireTLS", skip_serializing_if = "Option::is_none")]
    pub require_tls: Option<bool>,
    /// Notify when alerts resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_resolved: Option<bool>,
}

/// A PagerDuty (Events API v2) receiver; the routing key comes from a Secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PagerDutyConfig {
    /// Secret key holding the integration routing key.
    pub routing_key: SecretKeySelector,
    /// PagerDuty severity (`critical`, `error`, `warning`, `info`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Notify when alerts resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_resolved: Option<bool>,
}

/// Mutes alerts matching `target_match` while an alert matching `source_match` fires.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InhibitRule {
    /// Matchers of the muting alert.
    pub source_match: Vec<Matcher>,
    /// Matchers of the muted alerts.
    pub target_match: Vec<Matcher>,
    /// Labels that must be equal on both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub equal: Vec<String>,
}
