//! `Budget`: a monthly billing budget for the project, with spend and forecast
//! thresholds published to Pub/Sub (for a cost guard) and to email channels, which
//! may be Slack channels' email addresses.

use terrane_core::construct::{Construct, Percent};
use terrane_core::{tmpl, Handle, Number, Stack, Value};

use crate::billing::{
    BillingBudget, BillingBudgetAllUpdatesRule, BillingBudgetAmount,
    BillingBudgetAmountSpecifiedAmount, BillingBudgetBudgetFilter, BillingBudgetRef,
    BillingBudgetThresholdRules,
};
use crate::pubsub::{
    PubsubTopic, PubsubTopicIamMember, PubsubTopicIamMemberArgs, PubsubTopicMessageStoragePolicy,
    PubsubTopicRef,
};

use super::{
    apis, block_name, ChannelKind, CmekKeyHandle, NotificationChannelHandle, ProjectServicesHandle,
};

/// Cloud Billing sends to at most this many monitoring channels per budget.
const MAX_CHANNELS: usize = 5;

/// The account Cloud Billing publishes budget notifications as.
const BUDGET_PUBLISHER: &str = "serviceAccount:billing-budget-alert@system.gserviceaccount.com";

/// A monthly budget in US dollars for one project. Defaults: alerts at 50%, 80% and
/// 100% of actual spend and at 100% of forecasted spend, published to a new Pub/Sub
/// topic (`<name>-budget-alerts`) and to the email channels given.
///
/// Slack: Cloud Billing sends budget alerts only to *email* monitoring channels (a
/// Cloud Monitoring Slack channel is not accepted). The path to Slack is the Slack
/// channel's email address (Slack's email integration) as an email channel:
/// `NotificationChannel::email(&project, "Budget Slack", slack_channel_address)`
/// (Slack's email integration needs a paid Slack plan). Google's other path, a Cloud
/// Run function subscribed to the topic that calls Slack's API, needs application
/// code this crate does not ship. The Pub/Sub topic is for such programmatic
/// consumers (a cost guard that caps spend).
///
/// With [`Budget::encryption_key`] the topic is encrypted with a customer-managed key
/// and its messages are stored only in the key's region.
///
/// Thresholds are [`Percent`] of the amount (`Percent(80.0)` is 80 %), written as the
/// fraction Google's API takes (`0.8`).
///
/// Checked at synth: every threshold must be in (0 %, 200 %]; channels must be email
/// channels, at most 5.
///
/// ```
/// use terrane_core::{Expr, Handle, Stack};
/// use terrane_gcp::constructs::{Budget, Construct, ProjectServices};
/// let mut stack = Stack::new("observability");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let budget = Budget::new(&project, "prod", Expr::<String>::raw("var.billing_account"), 200)
///     .project_number(Expr::<String>::raw("var.project_number"))
///     .thresholds([50, 90, 100])
///     .add_to(&mut stack);
/// assert_eq!(budget.topic().address(), "google_pubsub_topic.prod_budget_alerts");
/// ```
#[derive(Debug, Clone)]
pub struct Budget {
    project: ProjectServicesHandle,
    name: String,
    billing_account: Value<String>,
    monthly_usd: u64,
    thresholds: Vec<Percent>,
    forecasted: Vec<Percent>,
    channels: Vec<NotificationChannelHandle>,
    project_number: Option<Value<String>>,
    key: Option<CmekKeyHandle>,
}

impl Budget {
    /// A budget for `project` of `monthly_usd` per calendar month on `billing_account`.
    pub fn new(
        project: &ProjectServicesHandle,
        name: &str,
        billing_account: impl Into<Value<String>>,
        monthly_usd: u64,
    ) -> Self {
        Budget {
            project: project.clone(),
            name: name.to_string(),
            billing_account: billing_account.into(),
            monthly_usd,
            thresholds: vec![Percent(50.0), Percent(80.0), Percent(100.0)],
            forecasted: vec![Percent(100.0)],
            channels: Vec::new(),
            project_number: None,
            key: None,
        }
    }
    /// Actual-spend thresholds in percent of the amount (`[50, 80, 100]` for 50 %,
    /// 80 % and 100 %, the default), each in (0 %, 200 %].
    pub fn thresholds<P: Into<Percent>>(mut self, t: impl IntoIterator<Item = P>) -> Self {
        self.thresholds = t.into_iter().map(Into::into).collect();
        self
    }
    /// Forecasted-spend thresholds in percent of the amount (default `[100]`), each
    /// in (0 %, 200 %].
    pub fn forecasted<P: Into<Percent>>(mut self, t: impl IntoIterator<Item = P>) -> Self {
        self.forecasted = t.into_iter().map(Into::into).collect();
        self
    }
    /// An email monitoring channel notified at every threshold (up to 5; a Slack
    /// channel's email address reaches Slack).
    pub fn channel(mut self, c: &NotificationChannelHandle) -> Self {
        self.channels.push(c.clone());
        self
    }
    /// Encrypts the topic with a customer-managed key (a
    /// [`CmekKey`](super::CmekKey) for [`ServiceAgent::PubSub`](super::ServiceAgent))
    /// and keeps its messages in the key's region.
    pub fn encryption_key(mut self, key: &CmekKeyHandle) -> Self {
        self.key = Some(key.clone());
        self
    }
    /// Limits the budget to one project, by number (`data.google_project.x.number`).
    pub fn project_number(mut self, number: impl Into<Value<String>>) -> Self {
        self.project_number = Some(number.into());
        self
    }
}

impl Budget {
    /// The topic budget updates are published to (encrypted with the key, if any)
    /// and Cloud Billing's right to publish there.
    fn add_topic(&self, stack: &mut Stack, base: &str) -> PubsubTopicRef {
        let project = &self.project;
        let mut topic = PubsubTopic::new(format!("{}-budget-alerts", self.name))
            .project(project.id())
            .message_retention_duration("604800s");
        if let Some(key) = &self.key {
            topic = topic.kms_key_name(key.id()).message_storage_policy(
                PubsubTopicMessageStoragePolicy::new(vec![key.location().to_string()]),
            );
        }
        let topic = stack.add_with(
            &format!("{base}_budget_alerts"),
            topic,
            project.after(stack, &[apis::PUBSUB]),
        );
        stack.add(
            &format!("{base}_budget_publisher"),
            PubsubTopicIamMember::new(PubsubTopicIamMemberArgs {
                topic: topic.id().into(),
                role: "roles/pubsub.publisher".into(),
                member: BUDGET_PUBLISHER.into(),
            })
            .project(project.id()),
        );
        topic
    }

    /// Reports a channel that is not email, and more channels than Billing sends to.
    fn check_channels(&self, stack: &mut Stack, address: &str) {
        let field = "all_updates_rule.monitoring_notification_channels";
        for c in &self.channels {
            if c.kind() != ChannelKind::Email {
                stack.report(
                    address,
                    field,
                    format!(
                        "channel `{}` is a {} channel, but budget alerts go only to email channels: for Slack, give the Slack channel's email address to NotificationChannel::email",
                        c.display_name(),
                        c.kind().as_str()
                    ),
                );
            }
        }
        if self.channels.len() > MAX_CHANNELS {
            stack.report(
                address,
                field,
                format!(
                    "{} channels, but a budget notifies at most {MAX_CHANNELS}",
                    self.channels.len()
                ),
            );
        }
    }
}

impl Construct for Budget {
    type Handle = BudgetHandle;

    /// Declares the topic, its publisher binding and the budget in `stack`.
    fn add_to(self, stack: &mut Stack) -> BudgetHandle {
        let project = &self.project;
        let base = block_name(&self.name);
        let topic = self.add_topic(stack, &base);
        let mut budget = BillingBudget::new(
            self.billing_account.clone(),
            BillingBudgetAmount::new().specified_amount(
                BillingBudgetAmountSpecifiedAmount::new()
                    .currency_code("USD")
                    .units(self.monthly_usd.to_string()),
            ),
        )
        .display_name(format!(
            "{} monthly budget (${})",
            self.name, self.monthly_usd
        ));
        let mut filter = BillingBudgetBudgetFilter::new()
            .calendar_period("MONTH")
            .credit_types_treatment("INCLUDE_ALL_CREDITS");
        if let Some(number) = &self.project_number {
            filter = filter.projects(vec![tmpl!("projects/{}", number)]);
        }
        budget = budget.budget_filter(filter);
        let mut bad = Vec::new();
        let rules = self
            .thresholds
            .iter()
            .map(|t| (*t, "CURRENT_SPEND"))
            .chain(self.forecasted.iter().map(|t| (*t, "FORECASTED_SPEND")));
        for (i, (t, basis)) in rules.enumerate() {
            if !(t.value() > 0.0 && t.value() <= 200.0) {
                bad.push((i, t));
            }
            // Google's API takes the threshold as a fraction of the amount.
            budget = budget.threshold_rules(
                BillingBudgetThresholdRules::new(Number::from(t.fraction())).spend_basis(basis),
            );
        }
        let mut all_updates = BillingBudgetAllUpdatesRule::new()
            .pubsub_topic(topic.id())
            .schema_version("1.0");
        if !self.channels.is_empty() {
            all_updates = all_updates.monitoring_notification_channels(
                self.channels.iter().map(|c| c.id()).collect::<Vec<_>>(),
            );
        }
        budget = budget.all_updates_rule(all_updates);
        let budget = stack.add_with(
            &base,
            budget,
            project.after(stack, &[apis::BILLING_BUDGETS]),
        );
        self.check_channels(stack, &budget.address());
        for (i, t) in bad {
            stack.report(
                &budget.address(),
                &format!("threshold_rules[{i}].threshold_percent"),
                format!("budget threshold {t} is outside (0, 200]"),
            );
        }
        BudgetHandle { budget, topic }
    }
}

/// The declared budget and its topic.
#[derive(Debug, Clone)]
pub struct BudgetHandle {
    budget: BillingBudgetRef,
    topic: PubsubTopicRef,
}

impl BudgetHandle {
    /// The budget.
    pub fn budget(&self) -> &BillingBudgetRef {
        &self.budget
    }
    /// The Pub/Sub topic notifications are published to (subscribe a cost guard here).
    pub fn topic(&self) -> &PubsubTopicRef {
        &self.topic
    }
}
