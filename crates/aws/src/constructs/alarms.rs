//! Alarms: an SNS topic with email subscriptions, CloudWatch metric alarms for a
//! PostgreSQL database, an application load balancer and an ECS service, and a
//! dashboard of the same metrics.

use terrane_core::construct::{block_name, Construct};
use terrane_core::{func, Expr, Number, Stack, Tree, Value};

use super::AwsAccount;

use crate::cloudwatch::{CloudwatchDashboard, CloudwatchMetricAlarm, CloudwatchMetricAlarmArgs};
use crate::sns::{SnsTopic, SnsTopicRef, SnsTopicSubscription, SnsTopicSubscriptionArgs};

/// Declared [`Alarms`]: their topic is where alarms and budgets send notifications.
#[derive(Debug, Clone)]
pub struct AlarmsHandle {
    topic: SnsTopicRef,
}

impl AlarmsHandle {
    /// The SNS topic.
    pub fn topic(&self) -> &SnsTopicRef {
        &self.topic
    }
    /// The topic ARN.
    pub fn arn(&self) -> Expr<String> {
        self.topic.arn()
    }
}

/// How a metric is aggregated over each period.
#[derive(Debug, Clone, Copy)]
enum Statistic {
    /// A plain statistic (`Average`, `Minimum`, `Maximum`, `Sum`).
    Plain(&'static str),
    /// A percentile (`p99`).
    Extended(&'static str),
}

impl Statistic {
    fn name(self) -> &'static str {
        match self {
            Statistic::Plain(s) | Statistic::Extended(s) => s,
        }
    }
}

/// One metric watched on every resource of a kind, and when it alarms.
struct Metric {
    /// Ends the alarm's name (`cpu` in `prod-db-0-cpu`).
    suffix: &'static str,
    namespace: &'static str,
    metric: &'static str,
    statistic: Statistic,
    comparison: &'static str,
    threshold: f64,
    description: &'static str,
}

/// A kind of watched resource: the prefix of its alarms, its CloudWatch dimensions and
/// its metrics.
struct Watched {
    prefix: &'static str,
    dimensions: &'static [&'static str],
    metrics: &'static [Metric],
}

/// The alarms of a PostgreSQL database on RDS.
const DATABASE: Watched = Watched {
    prefix: "db",
    dimensions: &["DBInstanceIdentifier"],
    metrics: &[
        Metric {
            suffix: "cpu",
            namespace: "AWS/RDS",
            metric: "CPUUtilization",
            statistic: Statistic::Plain("Average"),
            comparison: "GreaterThanThreshold",
            threshold: 80.0,
            description: "Database CPU above 80% for 5 minutes",
        },
        Metric {
            suffix: "free-storage",
            namespace: "AWS/RDS",
            metric: "FreeStorageSpace",
            statistic: Statistic::Plain("Minimum"),
            comparison: "LessThanThreshold",
            threshold: 10.0 * 1024.0 * 1024.0 * 1024.0,
            description: "Database free storage below 10 GiB",
        },
        Metric {
            suffix: "connections",
            namespace: "AWS/RDS",
            metric: "DatabaseConnections",
            statistic: Statistic::Plain("Maximum"),
            comparison: "GreaterThanThreshold",
            threshold: 400.0,
            description: "More than 400 database connections",
        },
    ],
};

/// The alarms of an application load balancer.
const LOAD_BALANCER: Watched = Watched {
    prefix: "alb",
    dimensions: &["LoadBalancer"],
    metrics: &[
        Metric {
            suffix: "5xx",
            namespace: "AWS/ApplicationELB",
            metric: "HTTPCode_Target_5XX_Count",
            statistic: Statistic::Plain("Sum"),
            comparison: "GreaterThanThreshold",
            threshold: 10.0,
            description: "More than 10 target 5xx responses a minute",
        },
        Metric {
            suffix: "latency",
            namespace: "AWS/ApplicationELB",
            metric: "TargetResponseTime",
            statistic: Statistic::Extended("p99"),
            comparison: "GreaterThanThreshold",
            threshold: 2.0,
            description: "p99 target response time above 2 seconds",
        },
    ],
};

/// The alarms of an ECS service (the reference's "alerts for high CPU, memory").
const ECS_SERVICE: Watched = Watched {
    prefix: "ecs",
    dimensions: &["ClusterName", "ServiceName"],
    metrics: &[
        Metric {
            suffix: "cpu",
            namespace: "AWS/ECS",
            metric: "CPUUtilization",
            statistic: Statistic::Plain("Average"),
            comparison: "GreaterThanThreshold",
            threshold: 80.0,
            description: "Service CPU above 80% for 5 minutes",
        },
        Metric {
            suffix: "memory",
            namespace: "AWS/ECS",
            metric: "MemoryUtilization",
            statistic: Statistic::Plain("Average"),
            comparison: "GreaterThanThreshold",
            threshold: 80.0,
            description: "Service memory above 80% for 5 minutes",
        },
    ],
};

/// One alarm to declare: a metric of one watched resource.
struct AlarmSpec<'a> {
    /// Block name of the alarm.
    id: String,
    /// When it alarms (the metric's threshold unless the environment sets its own).
    threshold: f64,
    /// What it says (the metric's description, with the threshold set).
    description: String,
    /// The alarm's name in CloudWatch.
    name: String,
    metric: &'a Metric,
    dimensions: Vec<(&'static str, Value<String>)>,
}

/// Alarms and a dashboard for an environment.
///
/// Defaults: an SNS topic encrypted with the given key whose policy lets CloudWatch
/// and AWS Budgets of the account publish; for a database, CPU above 80%, free
/// storage below 10 GiB and connections above 400 ([`Alarms::db_connections_above`]);
/// for a load balancer, more than 10
/// target 5xx per minute and p99 latency above 2 s; every alarm over 5 one-minute
/// periods, notifying on alarm and on recovery; for an ECS service, average CPU or
/// memory above 80%.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{Alarms, AwsAccount};
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("observability");
/// let account = AwsAccount::current(&mut s);
/// let topic = Alarms::new("prod", &account, "us-east-1", Expr::<String>::raw("var.key"))
///     .email("oncall@example.com")
///     .rds(Expr::<String>::raw("var.db_identifier"))
///     .add_to(&mut s);
/// assert_eq!(topic.arn().to_hcl(), "aws_sns_topic.prod_alarms.arn");
/// ```
#[derive(Debug, Clone)]
pub struct Alarms {
    name: String,
    account: AwsAccount,
    kms_key_arn: Value<String>,
    emails: Vec<String>,
    databases: Vec<Vec<Value<String>>>,
    load_balancers: Vec<Vec<Value<String>>>,
    ecs_services: Vec<Vec<Value<String>>>,
    db_connections: Option<u32>,
    region: String,
}

impl Alarms {
    /// Alarms named after `name`, in `account` (policy and topic ARN) and `region`
    /// (the dashboard's graphs), the topic encrypted with `kms_key_arn`.
    pub fn new(
        name: &str,
        account: &AwsAccount,
        region: &str,
        kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        Alarms {
            name: name.to_string(),
            account: account.clone(),
            kms_key_arn: kms_key_arn.into(),
            emails: Vec::new(),
            databases: Vec::new(),
            load_balancers: Vec::new(),
            ecs_services: Vec::new(),
            db_connections: None,
            region: region.to_string(),
        }
    }
    /// Subscribes an email address to the topic.
    pub fn email(mut self, address: &str) -> Self {
        self.emails.push(address.into());
        self
    }
    /// Watches an RDS instance (its identifier).
    pub fn rds(mut self, identifier: impl Into<Value<String>>) -> Self {
        self.databases.push(vec![identifier.into()]);
        self
    }
    /// The databases alarm above `max` connections instead of 400: a share of the
    /// instance class's `max_connections` (RDS derives it from the memory, about 170
    /// for 2 GiB), so the alarm can fire before clients are refused.
    ///
    /// ```
    /// use terrane_core::construct::Construct;
    /// use terrane_aws::constructs::{Alarms, AwsAccount};
    /// use terrane_core::{Expr, Stack};
    /// let mut s = Stack::new("observability");
    /// let account = AwsAccount::current(&mut s);
    /// Alarms::new("staging", &account, "us-east-1", Expr::<String>::raw("var.key"))
    ///     .rds(Expr::<String>::raw("var.db_identifier"))
    ///     .db_connections_above(120)
    ///     .add_to(&mut s);
    /// let alarm = s.blocks().find(|b| b.name == "staging_db_0_connections").unwrap();
    /// let body = alarm.body.to_json();
    /// assert!(body.contains("\"threshold\": 120"), "{body}");
    /// assert!(body.contains("More than 120 database connections"));
    /// ```
    pub fn db_connections_above(mut self, max: u32) -> Self {
        self.db_connections = Some(max);
        self
    }
    /// Watches an application load balancer (its `arn_suffix`).
    pub fn alb(mut self, arn_suffix: impl Into<Value<String>>) -> Self {
        self.load_balancers.push(vec![arn_suffix.into()]);
        self
    }
    /// Watches an ECS service (its cluster's and its own name).
    pub fn ecs_service(
        mut self,
        cluster_name: impl Into<Value<String>>,
        service_name: impl Into<Value<String>>,
    ) -> Self {
        self.ecs_services
            .push(vec![cluster_name.into(), service_name.into()]);
        self
    }

    /// A dashboard widget graphing the metric of one alarm.
    fn widget(&self, spec: &AlarmSpec<'_>) -> Tree {
        let m = spec.metric;
        Tree::object([
            ("type", Tree::from("metric")),
            ("width", Tree::from(12)),
            ("height", Tree::from(6)),
            (
                "properties",
                Tree::object([
                    ("title", Tree::from(spec.description.as_str())),
                    ("stat", Tree::from(m.statistic.name())),
                    ("period", Tree::from(60)),
                    ("region", Tree::from(self.region.as_str())),
                    (
                        "metrics",
                        Tree::list([Tree::list(
                            [Tree::from(m.namespace), Tree::from(m.metric)]
                                .into_iter()
                                .chain(spec.dimensions.iter().flat_map(|(name, value)| {
                                    [Tree::from(*name), Tree::from(value.clone())]
                                })),
                        )]),
                    ),
                ]),
            ),
        ])
    }

    fn topic_policy(&self, topic_arn: Expr<String>) -> Tree {
        Tree::object([
            ("Version", Tree::from("2012-10-17")),
            (
                "Statement",
                Tree::list([Tree::object([
                    ("Sid", Tree::from("AlarmsAndBudgetsPublish")),
                    ("Effect", Tree::from("Allow")),
                    (
                        "Principal",
                        Tree::object([(
                            "Service",
                            Tree::list([
                                Tree::from("cloudwatch.amazonaws.com"),
                                Tree::from("budgets.amazonaws.com"),
                            ]),
                        )]),
                    ),
                    ("Action", Tree::from("SNS:Publish")),
                    ("Resource", Tree::from(topic_arn)),
                    (
                        "Condition",
                        Tree::object([(
                            "StringEquals",
                            Tree::object([(
                                "aws:SourceAccount",
                                Tree::from(self.account.account_id()),
                            )]),
                        )]),
                    ),
                ])]),
            ),
        ])
    }
}

impl Construct for Alarms {
    type Handle = AlarmsHandle;

    /// Adds the topic, subscriptions, alarms and dashboard; returns the topic.
    fn add_to(self, stack: &mut Stack) -> AlarmsHandle {
        let id = block_name(&self.name);
        let topic_name = format!("{}-alarms", self.name);
        let topic_arn = self.account.arn("sns", &topic_name);
        let topic = stack.add(
            &format!("{id}_alarms"),
            SnsTopic::new()
                .name(topic_name.as_str())
                .policy(func::jsonencode_tree(self.topic_policy(topic_arn)))
                .kms_master_key_id(self.kms_key_arn.clone())
                .tags(super::tags(&topic_name, &Default::default())),
        );
        for (i, e) in self.emails.iter().enumerate() {
            stack.add(
                &format!("{id}_alarms_email_{i}"),
                SnsTopicSubscription::new(SnsTopicSubscriptionArgs {
                    endpoint: e.as_str().into(),
                    protocol: "email".into(),
                    topic_arn: topic.arn().into(),
                }),
            );
        }
        let mut specs = Vec::new();
        for (watched, resources) in [
            (&DATABASE, &self.databases),
            (&LOAD_BALANCER, &self.load_balancers),
            (&ECS_SERVICE, &self.ecs_services),
        ] {
            for (i, resource) in resources.iter().enumerate() {
                specs.extend(watched.metrics.iter().map(|metric| {
                    let (threshold, description) = match self.db_connections {
                        Some(max) if metric.metric == "DatabaseConnections" => (
                            f64::from(max),
                            format!("More than {max} database connections"),
                        ),
                        _ => (metric.threshold, metric.description.to_string()),
                    };
                    AlarmSpec {
                        threshold,
                        description,
                        id: format!(
                            "{id}_{}_{i}_{}",
                            watched.prefix,
                            metric.suffix.replace('-', "_")
                        ),
                        name: format!("{}-{}-{i}-{}", self.name, watched.prefix, metric.suffix),
                        metric,
                        dimensions: watched
                            .dimensions
                            .iter()
                            .copied()
                            .zip(resource.iter().cloned())
                            .collect(),
                    }
                }));
            }
        }
        let widgets: Vec<Tree> = specs
            .iter()
            .map(|spec| {
                declare_alarm(stack, spec, &topic.arn());
                self.widget(spec)
            })
            .collect();
        if !widgets.is_empty() {
            stack.add(
                &id,
                CloudwatchDashboard::new(
                    func::jsonencode_tree(Tree::object([("widgets", Tree::List(widgets))])),
                    self.name.as_str(),
                ),
            );
        }
        AlarmsHandle { topic }
    }
}

/// The alarm of one spec, notifying `topic_arn` on alarm and on recovery.
fn declare_alarm(stack: &mut Stack, spec: &AlarmSpec<'_>, topic_arn: &Expr<String>) {
    let m = spec.metric;
    let alarm = CloudwatchMetricAlarm::new(CloudwatchMetricAlarmArgs {
        alarm_name: spec.name.as_str().into(),
        comparison_operator: m.comparison.into(),
        evaluation_periods: Number::from(5).into(),
    })
    .alarm_description(spec.description.as_str())
    .namespace(m.namespace)
    .metric_name(m.metric)
    .period(60)
    .threshold(spec.threshold)
    .treat_missing_data("notBreaching")
    .dimensions(Value::Lit(
        spec.dimensions
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect(),
    ))
    .alarm_actions(vec![topic_arn.clone()])
    .ok_actions(vec![topic_arn.clone()]);
    let alarm = match m.statistic {
        Statistic::Extended(p) => alarm.extended_statistic(p),
        Statistic::Plain(s) => alarm.statistic(s),
    };
    stack.add(&spec.id, alarm);
}
