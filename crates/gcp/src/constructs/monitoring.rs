//! Monitoring: an uptime check on `/health`, alert policies for uptime, 5xx ratio
//! and p95 latency in two severity tiers, and a per-region dashboard.

use terrane_core::construct::{Construct, Percent};
use terrane_core::{tmpl, Expr, Handle, Stack, Tree, Value};

use crate::monitoring::{
    MonitoringAlertPolicy, MonitoringAlertPolicyAlertStrategy, MonitoringAlertPolicyArgs,
    MonitoringAlertPolicyConditions, MonitoringAlertPolicyConditionsConditionThreshold,
    MonitoringAlertPolicyConditionsConditionThresholdAggregations,
    MonitoringAlertPolicyConditionsConditionThresholdDenominatorAggregations,
    MonitoringAlertPolicyConditionsConditionThresholdTrigger, MonitoringAlertPolicyDocumentation,
    MonitoringAlertPolicyRef, MonitoringDashboard, MonitoringDashboardRef,
    MonitoringUptimeCheckConfig, MonitoringUptimeCheckConfigHttpCheck,
    MonitoringUptimeCheckConfigHttpCheckAcceptedResponseStatusCodes,
    MonitoringUptimeCheckConfigMonitoredResource, MonitoringUptimeCheckConfigRef,
};

use super::{apis, block_name, NotificationChannelHandle, ProjectServicesHandle};

/// The severity of an alert policy (its `severity` field), which decides the
/// channels it notifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertSeverity {
    /// Degraded, look during working hours (a chat channel).
    Warning,
    /// Users are affected now (chat and the on-call rotation).
    Critical,
}

impl AlertSeverity {
    /// Both tiers, lowest first.
    pub const ALL: [AlertSeverity; 2] = [AlertSeverity::Warning, AlertSeverity::Critical];

    /// Cloud Monitoring's value (`WARNING`, `CRITICAL`).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSeverity::Warning => "WARNING",
            AlertSeverity::Critical => "CRITICAL",
        }
    }
    fn suffix(self) -> &'static str {
        match self {
            AlertSeverity::Warning => "_warning",
            // the critical policies keep the addresses they had before tiers
            AlertSeverity::Critical => "",
        }
    }
}

/// A threshold in two tiers; the warning one must be below the critical one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tiered<T> {
    /// Above this, a `WARNING` alert.
    pub warning: T,
    /// Above this, a `CRITICAL` alert.
    pub critical: T,
}

impl<T: Copy> Tiered<T> {
    /// The threshold of one tier.
    pub fn at(&self, severity: AlertSeverity) -> T {
        match severity {
            AlertSeverity::Warning => self.warning,
            AlertSeverity::Critical => self.critical,
        }
    }
}

/// Alert thresholds, per target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertThresholds {
    /// Share of 5xx responses in all responses above which to alert, in percent
    /// (`Percent(5.0)` is 5 %; written as the fraction Cloud Monitoring compares, 0.05).
    pub error_rate: Tiered<Percent>,
    /// p95 request latency in milliseconds above which to alert.
    pub p95_latency_ms: Tiered<u32>,
    /// How long a condition must hold before alerting, in seconds.
    pub duration_s: u32,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            error_rate: Tiered {
                warning: Percent(1.0),
                critical: Percent(2.0),
            },
            p95_latency_ms: Tiered {
                warning: 500,
                critical: 1000,
            },
            duration_s: 300,
        }
    }
}

/// Monitoring of one Cloud Run service behind a domain: an uptime check every 60 s
/// on `https://<domain>/health` (TLS validated), alert policies for uptime failure
/// (critical), and for 5xx ratio and p95 latency in a warning and a critical tier,
/// each policy's `severity` set and notifying the channels routed to its tier, and
/// a dashboard with request count, p95 latency and 5xx rate per region.
///
/// Checked at synth: a warning threshold not below its critical one, and a tier
/// no channel receives.
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("observability");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let email = NotificationChannel::email(&project, "On-call", "oncall@example.com")
///     .add_to(&mut stack);
/// let obs = Monitoring::new(&project, "api", "api.example.com", "api")
///     .regions(["us-central1", "us-east1"])
///     .channel(&email)
///     .add_to(&mut stack);
/// assert_eq!(obs.alert_policies().len(), 5);
/// ```
#[derive(Debug, Clone)]
pub struct Monitoring {
    project: ProjectServicesHandle,
    name: String,
    domain: String,
    service: String,
    regions: Vec<String>,
    thresholds: AlertThresholds,
    routes: Vec<(AlertSeverity, Expr<String>)>,
    health_path: String,
}

impl Monitoring {
    /// Monitoring in `project` named `name` for the Cloud Run service `service`
    /// served at `domain`.
    pub fn new(project: &ProjectServicesHandle, name: &str, domain: &str, service: &str) -> Self {
        Monitoring {
            project: project.clone(),
            name: name.to_string(),
            domain: domain.to_string(),
            service: service.to_string(),
            regions: Vec::new(),
            thresholds: AlertThresholds::default(),
            routes: Vec::new(),
            health_path: "/health".to_string(),
        }
    }
    /// The regions the service runs in (one dashboard row each).
    pub fn regions<S: AsRef<str>>(mut self, regions: impl IntoIterator<Item = S>) -> Self {
        self.regions
            .extend(regions.into_iter().map(|r| r.as_ref().to_string()));
        self
    }
    /// Alert thresholds (default: warning at 1 % errors and 500 ms p95, critical at
    /// 2 % and 1000 ms, each held for 5 minutes).
    pub fn thresholds(mut self, t: AlertThresholds) -> Self {
        self.thresholds = t;
        self
    }
    /// A channel the alerts of one tier notify.
    pub fn route(mut self, severity: AlertSeverity, c: &NotificationChannelHandle) -> Self {
        self.routes.push((severity, c.id()));
        self
    }
    /// A channel the alerts of every tier notify.
    pub fn channel(mut self, c: &NotificationChannelHandle) -> Self {
        for severity in AlertSeverity::ALL {
            self = self.route(severity, c);
        }
        self
    }
    /// The channels of one tier.
    fn channels(&self, severity: AlertSeverity) -> Vec<Expr<String>> {
        self.routes
            .iter()
            .filter(|(s, _)| *s == severity)
            .map(|(_, c)| c.clone())
            .collect()
    }
    /// The path the uptime check requests (default `/health`).
    pub fn health_path(mut self, path: &str) -> Self {
        self.health_path = path.to_string();
        self
    }

    fn policy(
        &self,
        severity: AlertSeverity,
        display_name: String,
        condition: MonitoringAlertPolicyConditionsConditionThreshold,
        doc: &str,
    ) -> MonitoringAlertPolicy {
        MonitoringAlertPolicy::new(MonitoringAlertPolicyArgs {
            display_name: display_name.as_str().into(),
            combiner: "OR".into(),
            conditions: MonitoringAlertPolicyConditions::new(display_name.as_str())
                .condition_threshold(condition),
        })
        .severity(severity.as_str())
        .notification_channels(self.channels(severity))
        .documentation(
            MonitoringAlertPolicyDocumentation::new()
                .mime_type("text/markdown")
                .content(doc),
        )
        .alert_strategy(MonitoringAlertPolicyAlertStrategy::new().auto_close("1800s"))
    }

    /// The uptime check on `https://<domain><health_path>`, every minute.
    fn uptime_check(&self) -> MonitoringUptimeCheckConfig {
        MonitoringUptimeCheckConfig::new(format!("{} {}", self.domain, self.health_path), "10s")
            .project(self.project.id())
            .period("60s")
            .checker_type("STATIC_IP_CHECKERS")
            .http_check(
                MonitoringUptimeCheckConfigHttpCheck::new()
                    .path(self.health_path.as_str())
                    .port(443)
                    .use_ssl(true)
                    .validate_ssl(true)
                    .request_method("GET")
                    .accepted_response_status_codes(
                        MonitoringUptimeCheckConfigHttpCheckAcceptedResponseStatusCodes::new()
                            .status_class("STATUS_CLASS_2XX"),
                    ),
            )
            .monitored_resource(MonitoringUptimeCheckConfigMonitoredResource::new(
                [
                    ("host", Value::from(self.domain.clone())),
                    ("project_id", Value::from(self.project.id())),
                ],
                "uptime_url",
            ))
    }

    /// Alerts when the uptime check fails from more than one checker region.
    fn uptime_policy(&self, uptime: &MonitoringUptimeCheckConfigRef) -> MonitoringAlertPolicy {
        self.policy(
            AlertSeverity::Critical,
            format!("{}: uptime check failing", self.name),
            MonitoringAlertPolicyConditionsConditionThreshold::new("COMPARISON_GT", "300s")
                .filter(tmpl!(
                    "metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type = \"uptime_url\" AND metric.labels.check_id = \"{}\"",
                    uptime.uptime_check_id()
                ))
                .threshold_value(1)
                .aggregations(
                    MonitoringAlertPolicyConditionsConditionThresholdAggregations::new()
                        .alignment_period("1200s")
                        .per_series_aligner("ALIGN_NEXT_OLDER")
                        .cross_series_reducer("REDUCE_COUNT_FALSE")
                        .group_by_fields(vec!["resource.label.host"]),
                )
                .trigger(MonitoringAlertPolicyConditionsConditionThresholdTrigger::new().count(1)),
            &format!("`https://{}{}` failed from more than one checker region.", self.domain, self.health_path),
        )
    }

    /// Alerts when the share of 5xx responses is above the threshold in a region.
    fn error_policy(&self, severity: AlertSeverity, run_filter: &str) -> MonitoringAlertPolicy {
        let t = self.thresholds;
        let threshold = t.error_rate.at(severity);
        let by_region = vec!["resource.label.location".to_string()];
        self.policy(
            severity,
            // Displayed in percent, compared as the fraction Cloud Monitoring computes.
            format!("{}: 5xx ratio above {threshold} ({})", self.name, severity.as_str()),
            MonitoringAlertPolicyConditionsConditionThreshold::new("COMPARISON_GT", format!("{}s", t.duration_s))
                .filter(format!(
                    "metric.type = \"run.googleapis.com/request_count\" AND {run_filter} AND metric.labels.response_code_class = \"5xx\""
                ))
                .denominator_filter(format!(
                    "metric.type = \"run.googleapis.com/request_count\" AND {run_filter}"
                ))
                .threshold_value(threshold.fraction())
                .aggregations(
                    MonitoringAlertPolicyConditionsConditionThresholdAggregations::new()
                        .alignment_period("60s")
                        .per_series_aligner("ALIGN_RATE")
                        .cross_series_reducer("REDUCE_SUM")
                        .group_by_fields(by_region.clone()),
                )
                .denominator_aggregations(
                    MonitoringAlertPolicyConditionsConditionThresholdDenominatorAggregations::new()
                        .alignment_period("60s")
                        .per_series_aligner("ALIGN_RATE")
                        .cross_series_reducer("REDUCE_SUM")
                        .group_by_fields(by_region),
                ),
            "The share of 5xx responses of the API is above the threshold in at least one region.",
        )
    }

    /// Alerts when the p95 request latency is above the threshold in a region.
    fn latency_policy(&self, severity: AlertSeverity, run_filter: &str) -> MonitoringAlertPolicy {
        let t = self.thresholds;
        let threshold = t.p95_latency_ms.at(severity);
        self.policy(
            severity,
            format!("{}: p95 latency above {threshold} ms ({})", self.name, severity.as_str()),
            MonitoringAlertPolicyConditionsConditionThreshold::new("COMPARISON_GT", format!("{}s", t.duration_s))
                .filter(format!(
                    "metric.type = \"run.googleapis.com/request_latencies\" AND {run_filter}"
                ))
                .threshold_value(threshold)
                .aggregations(
                    MonitoringAlertPolicyConditionsConditionThresholdAggregations::new()
                        .alignment_period("60s")
                        .per_series_aligner("ALIGN_PERCENTILE_95")
                        .cross_series_reducer("REDUCE_MAX")
                        .group_by_fields(vec!["resource.label.location".to_string()]),
                ),
            "The 95th percentile request latency of the API is above the threshold in at least one region.",
        )
    }

    /// Reports a warning threshold not below its critical one, and a tier that
    /// notifies no channel (on the tier's first policy: uptime is critical).
    fn check_tiers(
        &self,
        stack: &mut Stack,
        uptime: &MonitoringAlertPolicyRef,
        error_warning: &MonitoringAlertPolicyRef,
        latency_warning: &MonitoringAlertPolicyRef,
    ) {
        let t = self.thresholds;
        let field = "conditions.condition_threshold.threshold_value";
        if t.error_rate.warning.value() >= t.error_rate.critical.value() {
            stack.report(
                &error_warning.address(),
                field,
                format!(
                    "the warning 5xx ratio threshold ({}) must be below the critical one ({})",
                    t.error_rate.warning, t.error_rate.critical
                ),
            );
        }
        if t.p95_latency_ms.warning >= t.p95_latency_ms.critical {
            stack.report(
                &latency_warning.address(),
                field,
                format!(
                    "the warning p95 latency threshold ({} ms) must be below the critical one ({} ms)",
                    t.p95_latency_ms.warning, t.p95_latency_ms.critical
                ),
            );
        }
        for severity in AlertSeverity::ALL {
            if self.channels(severity).is_empty() {
                let first = match severity {
                    AlertSeverity::Warning => error_warning,
                    AlertSeverity::Critical => uptime,
                };
                stack.report(
                    &first.address(),
                    "notification_channels",
                    format!(
                        "no notification channel receives {} alerts: route one with Monitoring::route or Monitoring::channel",
                        severity.as_str()
                    ),
                );
            }
        }
    }

    fn dashboard_json(&self, run_filter: &str) -> String {
        let chart = |title: String, filter: String, aligner: &str, reducer: &str| {
            Tree::object([
                ("title", Tree::from(title)),
                (
                    "xyChart",
                    Tree::object([(
                        "dataSets",
                        Tree::list([Tree::object([
                            (
                                "timeSeriesQuery",
                                Tree::object([(
                                    "timeSeriesFilter",
                                    Tree::object([
                                        ("filter", Tree::from(filter)),
                                        (
                                            "aggregation",
                                            Tree::object([
                                                ("alignmentPeriod", Tree::from("60s")),
                                                ("perSeriesAligner", Tree::from(aligner)),
                                                ("crossSeriesReducer", Tree::from(reducer)),
                                            ]),
                                        ),
                                    ]),
                                )]),
                            ),
                            ("plotType", Tree::from("LINE")),
                        ])]),
                    )]),
                ),
            ])
        };
        let mut tiles = Vec::new();
        for (row, region) in self.regions.iter().enumerate() {
            let in_region = format!("{run_filter} AND resource.labels.location = \"{region}\"");
            let widgets = [
                chart(
                    format!("Requests/s ({region})"),
                    format!("metric.type = \"run.googleapis.com/request_count\" AND {in_region}"),
                    "ALIGN_RATE",
                    "REDUCE_SUM",
                ),
                chart(
                    format!("p95 latency, ms ({region})"),
                    format!("metric.type = \"run.googleapis.com/request_latencies\" AND {in_region}"),
                    "ALIGN_PERCENTILE_95",
                    "REDUCE_MAX",
                ),
                chart(
                    format!("5xx responses/s ({region})"),
                    format!("metric.type = \"run.googleapis.com/request_count\" AND {in_region} AND metric.labels.response_code_class = \"5xx\""),
                    "ALIGN_RATE",
                    "REDUCE_SUM",
                ),
            ];
            for (col, widget) in widgets.into_iter().enumerate() {
                tiles.push(Tree::object([
                    ("xPos", Tree::from(col * 4)),
                    ("yPos", Tree::from(row * 4)),
                    ("width", Tree::from(4)),
                    ("height", Tree::from(4)),
                    ("widget", widget),
                ]));
            }
        }
        Tree::object([
            (
                "displayName",
                Tree::from(format!("{} by region", self.name)),
            ),
            (
                "mosaicLayout",
                Tree::object([("columns", Tree::from(12)), ("tiles", Tree::List(tiles))]),
            ),
        ])
        .to_json()
    }
}

impl Construct for Monitoring {
    type Handle = MonitoringHandle;

    /// Declares the uptime check, alert policies and dashboard in `stack`.
    fn add_to(self, stack: &mut Stack) -> MonitoringHandle {
        let base = block_name(&self.name);
        let after = self.project.after(stack, &[apis::MONITORING]);
        let uptime = stack.add_with(&base, self.uptime_check(), after.clone());
        let run_filter = format!(
            "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"{}\"",
            self.service
        );
        let uptime_policy = stack.add(&format!("{base}_uptime"), self.uptime_policy(&uptime));
        let mut alerts = vec![uptime_policy.clone()];
        let mut errors = Vec::new();
        let mut latencies = Vec::new();
        for severity in AlertSeverity::ALL {
            errors.push(stack.add(
                &format!("{base}_error_ratio{}", severity.suffix()),
                self.error_policy(severity, &run_filter),
            ));
            latencies.push(stack.add(
                &format!("{base}_latency{}", severity.suffix()),
                self.latency_policy(severity, &run_filter),
            ));
        }
        self.check_tiers(stack, &uptime_policy, &errors[0], &latencies[0]);
        alerts.extend(errors);
        alerts.extend(latencies);
        let dashboard = stack.add_with(
            &base,
            MonitoringDashboard::new(self.dashboard_json(&run_filter)).project(self.project.id()),
            after,
        );
        MonitoringHandle {
            uptime,
            alerts,
            dashboard,
        }
    }
}

/// The declared monitoring.
#[derive(Debug, Clone)]
pub struct MonitoringHandle {
    uptime: MonitoringUptimeCheckConfigRef,
    alerts: Vec<MonitoringAlertPolicyRef>,
    dashboard: MonitoringDashboardRef,
}

impl MonitoringHandle {
    /// The uptime check.
    pub fn uptime_check(&self) -> &MonitoringUptimeCheckConfigRef {
        &self.uptime
    }
    /// Uptime, 5xx ratio (warning, critical) and latency (warning, critical)
    /// policies, in that order.
    pub fn alert_policies(&self) -> &[MonitoringAlertPolicyRef] {
        &self.alerts
    }
    /// The dashboard.
    pub fn dashboard(&self) -> &MonitoringDashboardRef {
        &self.dashboard
    }
}
