//! `Budget`: a monthly AWS Budgets cost budget with actual and forecasted alerts at
//! several thresholds, to email and to an SNS topic.

use terrane_core::construct::Percent;
use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{Expr, Number, Set, Stack, Value};

use crate::budgets::{
    BudgetsBudget, BudgetsBudgetNotification, BudgetsBudgetNotificationArgs, BudgetsBudgetRef,
};

/// A declared [`Budget`].
#[derive(Debug, Clone)]
pub struct BudgetHandle {
    budget: BudgetsBudgetRef,
}

impl BudgetHandle {
    /// The budget resource.
    pub fn budget(&self) -> &BudgetsBudgetRef {
        &self.budget
    }
    /// The budget's name.
    pub fn name(&self) -> Expr<String> {
        self.budget.name()
    }
}

/// A monthly cost budget.
///
/// Defaults: notifications at 50, 80 and 100 percent of the limit, each for actual
/// and forecasted spend. Checked at synth: every threshold must be in (0, 200] percent.
/// Thresholds are [`Percent`] of the limit, the one threshold unit of every construct.
///
/// ```
/// use terrane_aws::constructs::Budget;
/// use terrane_core::construct::{Construct, Percent};
/// use terrane_core::Stack;
/// let mut s = Stack::new("cost");
/// Budget::new("prod-monthly", 5000)
///     .thresholds([Percent(80.0), Percent(100.0)])
///     .email("finops@example.com")
///     .add_to(&mut s);
/// ```
#[derive(Debug, Clone)]
pub struct Budget {
    name: String,
    limit_usd: u64,
    thresholds: Vec<Percent>,
    emails: Vec<String>,
    topics: Vec<Value<String>>,
}

impl Budget {
    /// A monthly budget of `limit_usd` US dollars.
    pub fn new(name: &str, limit_usd: u64) -> Self {
        Budget {
            name: name.to_string(),
            limit_usd,
            thresholds: vec![Percent(50.0), Percent(80.0), Percent(100.0)],
            emails: Vec::new(),
            topics: Vec::new(),
        }
    }
    /// Replaces the notification thresholds, in [`Percent`] of the limit (`Percent(80.0)`
    /// notifies at 80 % of the monthly limit; a plain number is read as percent).
    /// Default: 50, 80 and 100 %. Each must be in (0, 200] %, checked at synth.
    pub fn thresholds<P: Into<Percent>>(mut self, percents: impl IntoIterator<Item = P>) -> Self {
        self.thresholds = percents.into_iter().map(Into::into).collect();
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
}

impl Construct for Budget {
    type Handle = BudgetHandle;

    /// Adds the budget.
    fn add_to(self, stack: &mut Stack) -> BudgetHandle {
        let id = block_name(&self.name);
        let mut b = BudgetsBudget::new("COST", "MONTHLY")
            .name(self.name.as_str())
            .limit_amount(format!("{}.0", self.limit_usd))
            .limit_unit("USD");
        for (i, t) in self.thresholds.iter().map(|p| p.value()).enumerate() {
            if !(t > 0.0 && t <= 200.0) {
                stack.report(
                    &address("aws_budgets_budget", &self.name),
                    &format!("notification.{i}.threshold"),
                    format!("budget threshold {t}% is outside (0, 200]"),
                );
            }
            for kind in ["ACTUAL", "FORECASTED"] {
                let mut n = BudgetsBudgetNotification::new(BudgetsBudgetNotificationArgs {
                    comparison_operator: "GREATER_THAN".into(),
                    notification_type: kind.into(),
                    threshold: Number::from(t).into(),
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
        BudgetHandle {
            budget: stack.add(&id, b),
        }
    }
}
