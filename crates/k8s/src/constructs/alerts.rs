//! Alert rules by severity P0-P3: availability, errors, latency, resource use,
//! restarts, queues, database and cache, as one PrometheusRule.

use std::collections::BTreeMap;

use crate::crd::{PrometheusRule, PrometheusRuleSpec, Rule, RuleGroup};
use terrane_core::construct::{Construct, Percent};

use crate::manifests::Manifests;

/// The label naming the service an alert is about; Alertmanager groups and inhibits by it.
pub const SERVICE_LABEL: &str = "service";

/// Alert severities: P0 pages, posts and mails; P1 pages and posts; P2 posts to
/// Slack; P3 mails.
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

/// The prefix prometheus-cloudwatch-exporter gives AWS/ElastiCache metrics: the
/// namespace lowercased, then the metric and statistic in snake case
/// (`CPUUtilization` Average -> `aws_elasticache_cpuutilization_average`; the
/// exporter inserts `_` only between a lowercase letter or digit and an uppercase one).
pub const ELASTICACHE_METRIC_PREFIX: &str = "aws_elasticache_";

/// Series `metric` (without the prefix) of the nodes of replication group
/// `group_id`: its cache clusters are `<group_id>-001` or, in cluster mode,
/// `<group_id>-0001-001`.
pub fn elasticache_series(metric: &str, group_id: &str) -> String {
    format!(
        "{ELASTICACHE_METRIC_PREFIX}{metric}{{cache_cluster_id=~\"{}\"}}",
        elasticache_node_regex(group_id)
    )
}

/// The regular expression of the cache cluster ids (nodes) of replication group
/// `group_id` (CloudWatch dimension `CacheClusterId`).
pub fn elasticache_node_regex(group_id: &str) -> String {
    format!("{group_id}-[0-9]+(-[0-9]+)?")
}

/// A PrometheusRule with the platform's standard alerts. Every alert carries
/// `severity`, `service` and (set on the rule, since aggregations drop it)
/// `namespace`, so the namespaced AlertmanagerConfig's routes and inhibition match.
///
/// ```
/// use terrane_k8s::{AlertRules, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// AlertRules::new("shop-alerts").http_app("api").queue_backlog("celery_queue_length", 1000).db_connections(80).add_to(&mut m);
/// let y = &m.render("t").unwrap()["base/monitoring.yaml"];
/// assert!(y.contains("alert: ApiHighErrorRate"));
/// assert!(y.contains("release: kube-prometheus-stack"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRules {
    name: String,
    pending: Vec<(String, Vec<Rule>)>,
    latency_p95_seconds: f64,
    error_ratio_target: Option<f64>,
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

/// One alert of `service`.
struct Alert<'a> {
    name: String,
    service: &'a str,
    expr: String,
    for_: &'a str,
    severity: Severity,
    summary: String,
}

impl Alert<'_> {
    fn rule(self) -> Rule {
        Rule {
            alert: Some(self.name),
            record: None,
            expr: self.expr,
            for_: Some(self.for_.into()),
            labels: BTreeMap::from([
                ("severity".to_string(), self.severity.as_str().to_string()),
                (SERVICE_LABEL.to_string(), self.service.to_string()),
            ]),
            annotations: BTreeMap::from([("summary".to_string(), self.summary)]),
        }
    }
}

impl AlertRules {
    /// An empty rule set named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            pending: Vec::new(),
            latency_p95_seconds: 1.0,
            error_ratio_target: None,
        }
    }

    /// Error ratio (0.005 for 0.5 %) above which [`AlertRules::http_app`] adds a P2
    /// `<App>ErrorRateAboveTarget` alert, the service's error-rate objective (default
    /// none: only the P1 5 % and P0 20 % alerts); set before `http_app`.
    pub fn error_ratio_target(mut self, ratio: f64) -> Self {
        self.error_ratio_target = Some(ratio);
        self
    }

    /// p95 latency above which [`AlertRules::http_app`] alerts (default 1 s); set before `http_app`.
    pub fn latency_p95_seconds(mut self, seconds: f64) -> Self {
        self.latency_p95_seconds = seconds;
        self
    }

    /// Alerts `(name, expr, for, severity, summary)` of `service`, in its own group.
    fn push_service<'a>(
        &mut self,
        service: &'a str,
        alerts: impl IntoIterator<Item = (&'a str, String, &'a str, Severity, &'a str)>,
    ) {
        for (name, expr, for_, severity, summary) in alerts {
            self.push(
                service,
                Alert {
                    name: name.into(),
                    service,
                    expr,
                    for_,
                    severity,
                    summary: summary.into(),
                },
            );
        }
    }

    fn push(&mut self, group: &str, alert: Alert<'_>) {
        let rule = alert.rule();
        match self.pending.iter_mut().find(|(n, _)| n == group) {
            Some((_, rules)) => rules.push(rule),
            None => self.pending.push((group.to_string(), vec![rule])),
        }
    }

    /// HTTP application `app` (scraped with `job=<app>`): availability (P0, no
    /// target up), error rate (P0 above 20%, P1 above 5%), p95 latency (P2), and
    /// restarts and resource use as [`AlertRules::pod_restarts`] and
    /// [`AlertRules::resource_use`].
    pub fn http_app(mut self, app: &str) -> Self {
        let c = camel(app);
        let requests = format!("sum(rate(http_requests_total{{job=\"{app}\"}}[5m]))");
        let errors = format!(
            "sum(rate(http_requests_total{{job=\"{app}\",status=~\"5..\"}}[5m]))\n  / {requests}"
        );
        let latency = format!("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{job=\"{app}\"}}[5m])))");
        let p95 = self.latency_p95_seconds;
        let alerts = [
            (
                format!("{c}Down"),
                format!("sum(up{{job=\"{app}\"}}) == 0 or absent(up{{job=\"{app}\"}})"),
                "2m",
                Severity::P0,
                format!("{app}: no instance is up"),
            ),
            (
                format!("{c}ErrorRateCritical"),
                format!("{errors} > 0.2"),
                "2m",
                Severity::P0,
                format!("{app}: more than 20% of requests fail"),
            ),
            (
                format!("{c}HighErrorRate"),
                format!("{errors} > 0.05"),
                "10m",
                Severity::P1,
                format!("{app}: more than 5% of requests fail"),
            ),
            (
                format!("{c}HighLatencyP95"),
                format!("{latency} > {p95}"),
                "10m",
                Severity::P2,
                format!("{app}: p95 latency above {p95}s"),
            ),
        ];
        let target = self.error_ratio_target.map(|ratio| {
            (
                format!("{c}ErrorRateAboveTarget"),
                format!("{errors} > {ratio}"),
                "15m",
                Severity::P2,
                format!(
                    "{app}: more than {}% of requests fail (the objective)",
                    (ratio * 1000.0).round() / 10.0
                ),
            )
        });
        for (name, expr, for_, severity, summary) in alerts.into_iter().chain(target) {
            self.push(
                app,
                Alert {
                    name,
                    service: app,
                    expr,
                    for_,
                    severity,
                    summary,
                },
            );
        }
        self.pod_restarts(app).resource_use(app)
    }

    /// Restarts of `app`'s containers (P3, more than 3 in an hour).
    pub fn pod_restarts(mut self, app: &str) -> Self {
        let alert = Alert {
            name: format!("{}PodRestarts", camel(app)),
            service: app,
            expr: format!(
                "sum(increase(kube_pod_container_status_restarts_total{{container=\"{app}\"}}[1h])) > 3"
            ),
            for_: "5m",
            severity: Severity::P3,
            summary: format!("{app}: containers restart repeatedly"),
        };
        self.push(app, alert);
        self
    }

    /// Resource use of `app`'s containers: memory above 90% of the limit (P2), CPU
    /// throttled more than a quarter of the time (P3).
    pub fn resource_use(mut self, app: &str) -> Self {
        let c = camel(app);
        self.push(app, Alert {
            name: format!("{c}MemoryNearLimit"),
            service: app,
            expr: format!("max(container_memory_working_set_bytes{{container=\"{app}\"}}\n  / on (namespace, pod, container) kube_pod_container_resource_limits{{resource=\"memory\",container=\"{app}\"}}) > 0.9"),
            for_: "15m",
            severity: Severity::P2,
            summary: format!("{app}: a container uses more than 90% of its memory limit"),
        });
        self.push(app, Alert {
            name: format!("{c}CpuThrottled"),
            service: app,
            expr: format!("sum(rate(container_cpu_cfs_throttled_periods_total{{container=\"{app}\"}}[5m]))\n  / sum(rate(container_cpu_cfs_periods_total{{container=\"{app}\"}}[5m])) > 0.25"),
            for_: "15m",
            severity: Severity::P3,
            summary: format!("{app}: CPU throttled more than 25% of the time"),
        });
        self
    }

    /// Queue backlog (P2): the metric `metric` summed per queue above `threshold`
    /// for 15 minutes.
    pub fn queue_backlog(mut self, metric: &str, threshold: u64) -> Self {
        self.push(
            "queues",
            Alert {
                name: "QueueBacklog".into(),
                service: "queues",
                expr: format!("sum by (queue) ({metric}) > {threshold}"),
                for_: "15m",
                severity: Severity::P2,
                summary: format!("queue backlog above {threshold} messages"),
            },
        );
        self
    }

    /// Database (postgres-exporter metrics): down (P0), connections (P1) above
    /// `threshold` percent of `max_connections` (`80` for 80 %, compared as the
    /// fraction 0.8), deadlocks (P3).
    pub fn db_connections(mut self, threshold: impl Into<Percent>) -> Self {
        let threshold: Percent = threshold.into();
        let ratio = threshold.fraction();
        let pct = threshold.value().round();
        let alerts = [
            ("DatabaseDown", "max(pg_up) == 0 or absent(pg_up)".to_string(), "2m", Severity::P0, "the database does not answer the exporter".to_string()),
            ("DatabaseConnectionsHigh", format!("sum(pg_stat_database_numbackends) / max(pg_settings_max_connections) > {ratio}"), "10m", Severity::P1, format!("database connections above {pct}% of max_connections")),
            ("DatabaseDeadlocks", "sum(increase(pg_stat_database_deadlocks[15m])) > 5".to_string(), "5m", Severity::P3, "more than 5 deadlocks in 15 minutes".to_string()),
        ];
        for (name, expr, for_, severity, summary) in alerts {
            self.push(
                "database",
                Alert {
                    name: name.into(),
                    service: "database",
                    expr,
                    for_,
                    severity,
                    summary,
                },
            );
        }
        self
    }

    /// Database query time (postgres-exporter's `stat_statements` collector, which
    /// reads `pg_stat_statements`): a statement whose mean execution time over 10
    /// minutes is above `millis` for 15 minutes (P2, like the API's latency), by
    /// database and query id (`pg_stat_statements.queryid` names the statement).
    /// The exporter needs `--collector.stat_statements`, the database the
    /// extension in `shared_preload_libraries` and created in the database the
    /// exporter connects to.
    ///
    /// ```
    /// use terrane_k8s::{AlertRules, Construct, Manifests};
    /// let mut m = Manifests::new("shop", "shop");
    /// AlertRules::new("shop-alerts").db_query_time(500).add_to(&mut m);
    /// let y = &m.render("t").unwrap()["base/monitoring.yaml"];
    /// assert!(y.contains("alert: DatabaseSlowQueries"));
    /// assert!(y.contains(") > 0.5"));
    /// assert!(y.contains("severity: P2"));
    /// ```
    pub fn db_query_time(mut self, millis: u32) -> Self {
        let seconds = f64::from(millis) / 1000.0;
        self.push(
            "database",
            Alert {
                name: "DatabaseSlowQueries".into(),
                service: "database",
                expr: format!(
                    "max by (datname, queryid) (\n  rate(pg_stat_statements_seconds_total[10m])\n    / (rate(pg_stat_statements_calls_total[10m]) > 0)\n) > {seconds}"
                ),
                for_: "15m",
                severity: Severity::P2,
                summary: format!("a database statement takes more than {millis} ms on average"),
            },
        );
        self
    }

    /// Cache (redis-exporter metrics of job `redis-exporter`): down (P0), memory above
    /// 90% of `maxmemory` (P1), evictions (P2), hit ratio below 70% (P3, the reference
    /// platform's cache-hit target).
    pub fn cache(self) -> Self {
        self.cache_of("redis-exporter")
    }

    /// [`AlertRules::cache`] on the metrics of exporter job `job` only (one exporter
    /// per Redis: an aggregate over several would hide one that is down).
    pub fn cache_of(mut self, job: &str) -> Self {
        let m = |metric: &str| format!("{metric}{{job=\"{job}\"}}");
        let alerts = [
            ("RedisDown", format!("max({up}) == 0 or absent({up})", up = m("redis_up")), "2m", Severity::P0, "Redis does not answer the exporter"),
            ("RedisMemoryHigh", format!("max({} / ({} > 0)) > 0.9", m("redis_memory_used_bytes"), m("redis_memory_max_bytes")), "10m", Severity::P1, "Redis uses more than 90% of maxmemory"),
            ("RedisEvictions", format!("sum(rate({}[5m])) > 0", m("redis_evicted_keys_total")), "15m", Severity::P2, "Redis is evicting keys"),
            ("RedisHitRatioLow", format!("sum(rate({hits}[15m]))\n  / (sum(rate({hits}[15m])) + sum(rate({misses}[15m]))) < 0.7", hits = m("redis_keyspace_hits_total"), misses = m("redis_keyspace_misses_total")), "30m", Severity::P3, "Redis cache hit ratio below 70%"),
        ];
        self.push_service("cache", alerts);
        self
    }

    /// The Celery broker's Redis (exporter job `job`): down (P0, no task is queued or
    /// taken), memory above 80% of `maxmemory` (P1: a full broker refuses new tasks),
    /// any eviction (P1: an evicted key is a lost task).
    pub fn broker(mut self, job: &str) -> Self {
        let m = |metric: &str| format!("{metric}{{job=\"{job}\"}}");
        let alerts = [
            (
                "BrokerDown",
                format!("max({up}) == 0 or absent({up})", up = m("redis_up")),
                "2m",
                Severity::P0,
                "the Celery broker Redis does not answer the exporter",
            ),
            (
                "BrokerMemoryHigh",
                format!(
                    "max({} / ({} > 0)) > 0.8",
                    m("redis_memory_used_bytes"),
                    m("redis_memory_max_bytes")
                ),
                "10m",
                Severity::P1,
                "the Celery broker uses more than 80% of maxmemory",
            ),
            (
                "BrokerEvictions",
                format!("sum(increase({}[10m])) > 0", m("redis_evicted_keys_total")),
                "1m",
                Severity::P1,
                "the Celery broker evicted keys: queued tasks are lost",
            ),
        ];
        self.push_service("broker", alerts);
        self
    }

    /// The cache on Amazon ElastiCache, from the CloudWatch metrics of replication
    /// group `group_id` as prometheus-cloudwatch-exporter names them
    /// ([`ELASTICACHE_METRIC_PREFIX`]`<metric>_<statistic>`, label `cache_cluster_id`,
    /// [`elasticache_node_regex`]): no data (P0: the group or the exporter is gone),
    /// memory above 90% (P1), evictions (P2), hit rate below 70% (P3). CloudWatch
    /// publishes each minute, and the exporter reads a few minutes behind: the
    /// windows are longer than [`AlertRules::cache`]'s.
    pub fn elasticache_cache(mut self, group_id: &str) -> Self {
        let m = |metric: &str| elasticache_series(metric, group_id);
        let alerts = [
            ("RedisDown", format!("absent({})", m("cpuutilization_average")), "15m", Severity::P0, "no CloudWatch metric of the Redis cache (the replication group or the CloudWatch exporter is down)"),
            ("RedisMemoryHigh", format!("max({}) > 90", m("database_memory_usage_percentage_average")), "10m", Severity::P1, "Redis uses more than 90% of its memory"),
            ("RedisEvictions", format!("sum({}) > 0", m("evictions_sum")), "15m", Severity::P2, "Redis is evicting keys"),
            ("RedisHitRatioLow", format!("avg({}) < 70", m("cache_hit_rate_average")), "30m", Severity::P3, "Redis cache hit ratio below 70%"),
        ];
        self.push_service("cache", alerts);
        self
    }

    /// The Celery broker on Amazon ElastiCache (replication group `group_id`), from
    /// its CloudWatch metrics like [`AlertRules::elasticache_cache`]: no data (P0),
    /// memory above 80% (P1: a full broker refuses new tasks), any eviction (P1: an
    /// evicted key is a lost task).
    pub fn elasticache_broker(mut self, group_id: &str) -> Self {
        let m = |metric: &str| elasticache_series(metric, group_id);
        let alerts = [
            ("BrokerDown", format!("absent({})", m("cpuutilization_average")), "15m", Severity::P0, "no CloudWatch metric of the Celery broker Redis (the replication group or the CloudWatch exporter is down)"),
            ("BrokerMemoryHigh", format!("max({}) > 80", m("database_memory_usage_percentage_average")), "10m", Severity::P1, "the Celery broker uses more than 80% of its memory"),
            ("BrokerEvictions", format!("sum({}) > 0", m("evictions_sum")), "1m", Severity::P1, "the Celery broker evicted keys: queued tasks are lost"),
        ];
        self.push_service("broker", alerts);
        self
    }

    /// Public endpoints (blackbox-exporter probes of job `job`): a probe failing (P0),
    /// a TLS certificate expiring within 14 days (P2).
    pub fn endpoints(mut self, job: &str) -> Self {
        self.push(
            "endpoints",
            Alert {
                name: "EndpointDown".into(),
                service: "endpoints",
                expr: format!("probe_success{{job=\"{job}\"}} == 0"),
                for_: "3m",
                severity: Severity::P0,
                summary: "a public endpoint fails its probe".into(),
            },
        );
        self.push(
            "endpoints",
            Alert {
                name: "CertificateExpiresSoon".into(),
                service: "endpoints",
                expr: format!(
                    "(probe_ssl_earliest_cert_expiry{{job=\"{job}\"}} - time()) / 86400 < 14"
                ),
                for_: "1h",
                severity: Severity::P2,
                summary: "a public certificate expires within 14 days".into(),
            },
        );
        self
    }
}

impl Construct<Manifests> for AlertRules {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "monitoring");
        let groups = self
            .pending
            .into_iter()
            .map(|(group, mut rules)| {
                for r in &mut rules {
                    r.labels.insert("namespace".into(), ns.clone());
                }
                RuleGroup {
                    name: group,
                    interval: Some("1m".into()),
                    rules,
                }
            })
            .collect();
        m.push(PrometheusRule {
            metadata: m.monitor_meta(&self.name, &ns, &l),
            spec: PrometheusRuleSpec { groups },
        });
    }
}
