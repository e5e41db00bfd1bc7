//! Alarms: an SNS topic with email subscriptions, CloudWatch metric alarms for a
//! PostgreSQL database and an application load balancer, and a dashboard of the same
//! metrics.

use terrane_core::construct::{block_name, Construct};
use terrane_core::{func, Expr, Number, Stack, Tree, Value};

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

struct AlarmSpec {
    id: String,
    name: String,
    namespace: &'static str,
    metric: &'static str,
    statistic: &'static str,
    extended: Option<&'static str>,
    comparison: &'static str,
    threshold: f64,
    dimension: (&'static str, Value<String>),
    description: String,
}

/// Alarms and a dashboard for an environment.
///
/// Defaults: an SNS topic encrypted with the given key whose policy lets CloudWatch
/// and AWS Budgets of the account publish; for a database, CPU above 80%, free
/// storage below 10 GiB and connections above 400; for a load balancer, more than 10
/// target 5xx per minute and p99 latency above 2 s; every alarm over 5 one-minute
/// periods, notifying on alarm and on recovery.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::Alarms;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("observability");
/// let topic = Alarms::new("prod", "123456789012", "us-east-1", Expr::<String>::raw("var.key"))
///     .email("oncall@example.com")
///     .rds(Expr::<String>::raw("var.db_identifier"))
///     .add_to(&mut s);
/// assert_eq!(topic.arn().to_hcl(), "aws_sns_topic.prod_alarms.arn");
/// ```
#[derive(Debug, Clone)]
pub struct Alarms {
    name: String,
    account_id: String,
    kms_key_arn: Value<String>,
    emails: Vec<String>,
    databases: Vec<Value<String>>,
    load_balancers: Vec<Value<String>>,
    region: String,
}

impl Alarms {
    /// Alarms named after `name`, in account `account_id` and `region`, the topic
    /// encrypted with `kms_key_arn`.
    pub fn new(
        name: &str,
        account_id: &str,
        region: &str,
        kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        Alarms {
            name: name.to_string(),
            account_id: account_id.to_string(),
            kms_key_arn: kms_key_arn.into(),
            emails: Vec::new(),
            databases: Vec::new(),
            load_balancers: Vec::new(),
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
        self.databases.push(identifier.into());
        self
    }
    /// Watches an application load balancer (its `arn_suffix`).
    pub fn alb(mut self, arn_suffix: impl Into<Value<String>>) -> Self {
        self.load_balancers.push(arn_suffix.into());
        self
    }

    fn topic_policy(&self, topic_arn: &str) -> Tree {
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
                                Tree::from(self.account_id.as_str()),
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
        let topic_arn = format!(
            "arn:aws:sns:{}:{}:{}",
            self.region, self.account_id, topic_name
        );
        let topic = stack.add(
            &format!("{id}_alarms"),
            SnsTopic::new()
                .name(topic_name.as_str())
                .policy(func::jsonencode_tree(self.topic_policy(&topic_arn)))
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
        for (i, db) in self.databases.iter().enumerate() {
            let dim = ("DBInstanceIdentifier", db.clone());
            specs.push(AlarmSpec {
                id: format!("{id}_db_{i}_cpu"),
                name: format!("{}-db-{i}-cpu", self.name),
                namespace: "AWS/RDS",
                metric: "CPUUtilization",
                statistic: "Average",
                extended: None,
                comparison: "GreaterThanThreshold",
                threshold: 80.0,
                dimension: dim.clone(),
                description: "Database CPU above 80% for 5 minutes".into(),
            });
            specs.push(AlarmSpec {
                id: format!("{id}_db_{i}_free_storage"),
                name: format!("{}-db-{i}-free-storage", self.name),
                namespace: "AWS/RDS",
                metric: "FreeStorageSpace",
                statistic: "Minimum",
                extended: None,
                comparison: "LessThanThreshold",
                threshold: 10.0 * 1024.0 * 1024.0 * 1024.0,
                dimension: dim.clone(),
                description: "Database free storage below 10 GiB".into(),
            });
            specs.push(AlarmSpec {
                id: format!("{id}_db_{i}_connections"),
                name: format!("{}-db-{i}-connections", self.name),
                namespace: "AWS/RDS",
                metric: "DatabaseConnections",
                statistic: "Maximum",
                extended: None,
                comparison: "GreaterThanThreshold",
                threshold: 400.0,
                dimension: dim,
                description: "More than 400 database connections".into(),
            });
        }
        for (i, lb) in self.load_balancers.iter().enumerate() {
            let dim = ("LoadBalancer", lb.clone());
            specs.push(AlarmSpec {
                id: format!("{id}_alb_{i}_5xx"),
                name: format!("{}-alb-{i}-5xx", self.name),
                namespace: "AWS/ApplicationELB",
                metric: "HTTPCode_Target_5XX_Count",
                statistic: "Sum",
                extended: None,
                comparison: "GreaterThanThreshold",
                threshold: 10.0,
                dimension: dim.clone(),
                description: "More than 10 target 5xx responses a minute".into(),
            });
            specs.push(AlarmSpec {
                id: format!("{id}_alb_{i}_latency"),
                name: format!("{}-alb-{i}-latency", self.name),
                namespace: "AWS/ApplicationELB",
                metric: "TargetResponseTime",
                statistic: "",
                extended: Some("p99"),
                comparison: "GreaterThanThreshold",
                threshold: 2.0,
                dimension: dim,
                description: "p99 target response time above 2 seconds".into(),
            });
        }
        let mut widgets = Vec::new();
        for s in &specs {
            let mut a = CloudwatchMetricAlarm::new(CloudwatchMetricAlarmArgs {
                alarm_name: s.name.as_str().into(),
                comparison_operator: s.comparison.into(),
                evaluation_periods: Number::from(5).into(),
            })
            .alarm_description(s.description.as_str())
            .namespace(s.namespace)
            .metric_name(s.metric)
            .period(60)
            .threshold(s.threshold)
            .treat_missing_data("notBreaching")
            .dimensions(Value::Lit(
                [(s.dimension.0.to_string(), s.dimension.1.clone())]
                    .into_iter()
                    .collect(),
            ))
            .alarm_actions(vec![topic.arn()])
            .ok_actions(vec![topic.arn()]);
            a = match s.extended {
                Some(p) => a.extended_statistic(p),
                None => a.statistic(s.statistic),
            };
            stack.add(&s.id, a);
            let stat = s.extended.unwrap_or(s.statistic);
            widgets.push(Tree::object([
                ("type", Tree::from("metric")),
                ("width", Tree::from(12)),
                ("height", Tree::from(6)),
                (
                    "properties",
                    Tree::object([
                        ("title", Tree::from(s.description.as_str())),
                        ("stat", Tree::from(stat)),
                        ("period", Tree::from(60)),
                        ("region", Tree::from(self.region.as_str())),
                        (
                            "metrics",
                            Tree::list([Tree::list([
                                Tree::from(s.namespace),
                                Tree::from(s.metric),
                                Tree::from(s.dimension.0),
                                Tree::from(s.dimension.1.clone()),
                            ])]),
                        ),
                    ]),
                ),
            ]));
        }
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
