//! `Budget`: a monthly AWS Budgets cost budget with actual and forecasted alerts at
//! several thresholds, to email and to an SNS topic.

use terrane_core::{Number, Set, Stack, Value};

use crate::budgets::{
    BudgetsBudget, BudgetsBudgetNotification, BudgetsBudgetNotificationArgs, BudgetsBudgetRef,
};

/// A monthly cost budget.
///
/// Defaults: notifications at 50, 80 and 100 percent of the limit, each for actual
/// and forecasted spend. Checked at synth: every threshold must be in (0, 200] percent.
///
/// ```
/// use terrane_aws::constructs::Budget;
/// use terrane_core::Stack;
/// let mut s = Stack::new("cost");
/// Budget::new("prod-monthly", 5000)
///     .email("finops@example.com")
///     .build(&mut s);
/// ```
#[derive(Debug, Clone)]
pub struct Budget {
    name: String,
    limit_usd: u64,
    thresholds: Vec<f64>,
    emails: Vec<String>,
    topics: Vec<Value<String>>,
}

impl Budget {
    /// A monthly budget of `limit_usd` US dollars.
    pub fn new(name: &str, limit_usd: u64) -> Self {
        Budget {
            name: name.to_string(),
            limit_usd,
            thresholds: vec![50.0, 80.0, 100.0],
            emails: Vec::new(),
            topics: Vec::new(),
        }
    }
    /// Replaces the notification thresholds (percent of the limit).
    pub fn thresholds(mut self, percents: impl IntoIterator<Item = f64>) -> Self {
        self.thresholds = percents.into_iter().collect();
        self
    }
    /// Notifies this address.
    pub fn email(mut self, address: &str) -> Self {
        self.emails.push(address.to_string());
        self
    }
    /// Notifies this SNS topic (its policy must let `budgets.amazonaws.com` publish).
    pub fn sns_topic(mut self, arn: impl Into<Value<String>>) -> Self {
        self.topics.push(arn.into());
        self
    }

    /// Adds the budget.
    pub fn build(self, stack: &mut Stack) -> BudgetsBudgetRef {
        let id = super::ident(&self.name);
        let mut b = BudgetsBudget::new("COST", "MONTHLY")
            .name(self.name.as_str())
            .limit_amount(format!("{}.0", self.limit_usd))
            .limit_unit("USD");
        for (i, t) in self.thresholds.iter().enumerate() {
            if !(*t > 0.0 && *t <= 200.0) {
                stack.report(
                    &format!("aws_budgets_budget.{id}"),
                    &format!("notification.{i}.threshold"),
                    format!("budget threshold {t}% is outside (0, 200]"),
                );
            }
            for kind in ["ACTUAL", "FORECASTED"] {
                let mut n = BudgetsBudgetNotification::new(BudgetsBudgetNotificationArgs {
                    comparison_operator: "GREATER_THAN".into(),
                    notification_type: kind.into(),
                    threshold: Number::from(*t).into(),
                    threshold_type: "PERCENTAGE".into(),
                });
                if !self.emails.is_empty() {
                    n = n.subscriber_email_addresses(Value::Lit(Set(self
                        .emails
                        .iter()
                        .map(|e| Value::Lit(e.clone()))
                        .collect())));
                }
                if !self.topics.is_empty() {
                    n = n.subscriber_sns_topic_arns(Value::Lit(Set(self.topics.clone())));
                }
                b = b.notification(n);
            }
        }
        stack.add(&id, b)
    }
}
