//! Monitoring: notification channels, an uptime check on `/health`, alert policies
//! for uptime, 5xx ratio and p95 latency, and a per-region dashboard.

use terrane_core::construct::{Construct, Percent};
use terrane_core::{tmpl, Expr, Handle, Stack, Tree, Value};

use crate::monitoring::{
    MonitoringAlertPolicy, MonitoringAlertPolicyAlertStrategy, MonitoringAlertPolicyArgs,
    MonitoringAlertPolicyConditions, MonitoringAlertPolicyConditionsConditionThreshold,
    MonitoringAlertPolicyConditionsConditionThresholdAggregations,
    MonitoringAlertPolicyConditionsConditionThresholdDenominatorAggregations,
    MonitoringAlertPolicyConditionsConditionThresholdTrigger, MonitoringAlertPolicyDocumentation,
    MonitoringAlertPolicyRef, MonitoringDashboard, MonitoringDashboardRef,
    MonitoringNotificationChannel, MonitoringNotificationChannelRef,
    MonitoringNotificationChannelSensitiveLabels, MonitoringUptimeCheckConfig,
    MonitoringUptimeCheckConfigHttpCheck,
    MonitoringUptimeCheckConfigHttpCheckAcceptedResponseStatusCodes,
    MonitoringUptimeCheckConfigMonitoredResource, MonitoringUptimeCheckConfigRef,
};

use super::{apis, block_name, ProjectServicesHandle};

#[derive(Debug, Clone)]
enum Destination {
    Email(String),
    Slack {
        channel: String,
        token: Expr<String>,
    },
}

/// Where alerts go: an email address or a Slack channel. The Slack token is an
/// expression (a sensitive variable supplied at apply time), never a literal.
///
/// Checked at synth: a channel without a destination (empty address or channel
/// name), and a Slack token that is not a sensitive value.
///
/// ```
/// use terrane_core::{Stack, Variable};
/// use terrane_gcp::constructs::{Construct, NotificationChannel, ProjectServices};
/// let mut stack = Stack::new("observability");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let token = stack.variable("slack_token", Variable::<String>::new().sensitive().supplied_at_apply());
/// let slack = NotificationChannel::slack(&project, "On-call Slack", "#alerts", token)
///     .add_to(&mut stack);
/// let email = NotificationChannel::email(&project, "On-call email", "oncall@example.com")
///     .add_to(&mut stack);
/// assert_ne!(slack.id().to_hcl(), email.id().to_hcl());
/// ```
#[derive(Debug, Clone)]
pub struct NotificationChannel {
    project: ProjectServicesHandle,
    display_name: String,
    destination: Destination,
}

impl NotificationChannel {
    /// A channel of `project` that emails `address`.
    pub fn email(project: &ProjectServicesHandle, display_name: &str, address: &str) -> Self {
        NotificationChannel {
            project: project.clone(),
            display_name: display_name.to_string(),
            destination: Destination::Email(address.to_string()),
        }
    }
    /// A channel of `project` that posts to Slack `channel` (`#alerts`), authenticated
    /// with `token`.
    pub fn slack(
        project: &ProjectServicesHandle,
        display_name: &str,
        channel: &str,
        token: Expr<String>,
    ) -> Self {
        NotificationChannel {
            project: project.clone(),
            display_name: display_name.to_string(),
            destination: Destination::Slack {
                channel: channel.to_string(),
                token,
            },
        }
    }
}

impl Construct for NotificationChannel {
    type Handle = NotificationChannelHandle;

    /// Declares the channel in `stack`.
    fn add_to(self, stack: &mut Stack) -> NotificationChannelHandle {
        let project = &self.project;
        let after = project.after(stack, &[apis::MONITORING]);
        let (kind, field, destination) = match &self.destination {
            Destination::Email(a) => ("email", "labels.email_address", a.clone()),
            Destination::Slack { channel, .. } => ("slack", "labels.channel_name", channel.clone()),
        };
        let name = format!("{}_{}", block_name(&self.display_name), kind);
        let mut channel = MonitoringNotificationChannel::new(kind)
            .project(project.id())
            .display_name(self.display_name.as_str())
            .enabled(true);
        channel = match &self.destination {
            Destination::Email(address) => channel.labels([("email_address", address.as_str())]),
            Destination::Slack { channel: ch, token } => channel
                .labels([("channel_name", ch.as_str())])
                .sensitive_labels(
                    MonitoringNotificationChannelSensitiveLabels::new().auth_token(token.clone()),
                ),
        };
        let handle = stack.add_with(&name, channel, after);
        if let Destination::Slack { token, .. } = &self.destination {
            let mut sensitive = false;
            token.node().visit_refs(&mut |r| sensitive |= r.sensitive);
            if !sensitive {
                stack.report(
                    &handle.address(),
                    "sensitive_labels.auth_token",
                    "the Slack token must come from a sensitive variable (Variable::sensitive().supplied_at_apply()), never a literal",
                );
            }
        }
        if destination.trim().is_empty() {
            stack.report(
                &handle.address(),
                field,
                format!(
                    "notification channel `{}` has no destination",
                    self.display_name
                ),
            );
        }
        NotificationChannelHandle { channel: handle }
    }
}

/// A declared notification channel.
#[derive(Debug, Clone)]
pub struct NotificationChannelHandle {
    channel: MonitoringNotificationChannelRef,
}

impl NotificationChannelHandle {
    /// The channel's id (`projects/<p>/notificationChannels/<n>`).
    pub fn id(&self) -> Expr<String> {
        self.channel.id()
    }
    /// The channel handle.
    pub fn handle(&self) -> &MonitoringNotificationChannelRef {
        &self.channel
    }
}

/// Alert thresholds, per target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertThresholds {
    /// Share of 5xx responses in all responses above which to alert, in percent
    /// (`Percent(5.0)` is 5 %; written as the fraction Cloud Monitoring compares, 0.05).
    pub error_rate: Percent,
    /// p95 request latency in milliseconds above which to alert.
    pub p95_latency_ms: u32,
    /// How long a condition must hold before alerting, in seconds.
    pub duration_s: u32,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            error_rate: Percent(2.0),
            p95_latency_ms: 1000,
            duration_s: 300,
        }
    }
}

/// Monitoring of one Cloud Run service behind a domain: an uptime check every 60 s
/// on `https://<domain>/health` (TLS validated), alert policies for uptime failure,
/// 5xx ratio and p95 latency, each notifying every channel, and a dashboard with
/// request count, p95 latency and 5xx rate per region.
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
/// assert_eq!(obs.alert_policies().len(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct Monitoring {
    project: ProjectServicesHandle,
    name: String,
    domain: String,
    service: String,
    regions: Vec<String>,
    thresholds: AlertThresholds,
    channels: Vec<Expr<String>>,
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
            channels: Vec::new(),
            health_path: "/health".to_string(),
        }
    }
    /// The regions the service runs in (one dashboard row each).
    pub fn regions<S: AsRef<str>>(mut self, regions: impl IntoIterator<Item = S>) -> Self {
        self.regions
            .extend(regions.into_iter().map(|r| r.as_ref().to_string()));
        self
    }
    /// Alert thresholds (default: 2% errors, 1000 ms p95, for 5 minutes).
    pub fn thresholds(mut self, t: AlertThresholds) -> Self {
        self.thresholds = t;
        self
    }
    /// A channel every alert notifies.
    pub fn channel(mut self, c: &NotificationChannelHandle) -> Self {
        self.channels.push(c.id());
        self
    }
    /// The path the uptime check requests (default `/health`).
    pub fn health_path(mut self, path: &str) -> Self {
        self.health_path = path.to_string();
        self
    }

    fn policy(
        &self,
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
        .severity("CRITICAL")
        .notification_channels(self.channels.clone())
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
    fn error_policy(&self, run_filter: &str) -> MonitoringAlertPolicy {
        let t = self.thresholds;
        let by_region = vec!["resource.label.location".to_string()];
        self.policy(
            // Displayed in percent, compared as the fraction Cloud Monitoring computes.
            format!("{}: 5xx ratio above {}", self.name, t.error_rate),
            MonitoringAlertPolicyConditionsConditionThreshold::new("COMPARISON_GT", format!("{}s", t.duration_s))
                .filter(format!(
                    "metric.type = \"run.googleapis.com/request_count\" AND {run_filter} AND metric.labels.response_code_class = \"5xx\""
                ))
                .denominator_filter(format!(
                    "metric.type = \"run.googleapis.com/request_count\" AND {run_filter}"
                ))
                .threshold_value(t.error_rate.fraction())
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
    fn latency_policy(&self, run_filter: &str) -> MonitoringAlertPolicy {
        let t = self.thresholds;
        self.policy(
            format!("{}: p95 latency above {} ms", self.name, t.p95_latency_ms),
            MonitoringAlertPolicyConditionsConditionThreshold::new("COMPARISON_GT", format!("{}s", t.duration_s))
                .filter(format!(
                    "metric.type = \"run.googleapis.com/request_latencies\" AND {run_filter}"
                ))
                .threshold_value(t.p95_latency_ms)
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
        let error_policy = stack.add(
            &format!("{base}_error_ratio"),
            self.error_policy(&run_filter),
        );
        let latency_policy =
            stack.add(&format!("{base}_latency"), self.latency_policy(&run_filter));
        let dashboard = stack.add_with(
            &base,
            MonitoringDashboard::new(self.dashboard_json(&run_filter)).project(self.project.id()),
            after,
        );
        MonitoringHandle {
            uptime,
            alerts: vec![uptime_policy, error_policy, latency_policy],
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
    /// Uptime, 5xx ratio and latency policies, in that order.
    pub fn alert_policies(&self) -> &[MonitoringAlertPolicyRef] {
        &self.alerts
    }
    /// The dashboard.
    pub fn dashboard(&self) -> &MonitoringDashboardRef {
        &self.dashboard
    }
}
