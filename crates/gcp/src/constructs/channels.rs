//! `NotificationChannel`: where Cloud Monitoring alerts (and budget alerts, by
//! email) are sent: an email address or a Slack channel.

use terrane_core::construct::Construct;
use terrane_core::{Expr, Handle, Stack, Value};

use crate::monitoring::{
    MonitoringNotificationChannel, MonitoringNotificationChannelRef,
    MonitoringNotificationChannelSensitiveLabels,
};

use super::{apis, block_name, ProjectServicesHandle};

#[derive(Debug, Clone)]
enum Destination {
    Email(Value<String>),
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
    /// A channel of `project` that emails `address`. The address may be a variable:
    /// a Slack channel's email address (Slack's email integration) makes an email
    /// channel that posts into Slack, the one way budget alerts reach Slack.
    pub fn email(
        project: &ProjectServicesHandle,
        display_name: &str,
        address: impl Into<Value<String>>,
    ) -> Self {
        NotificationChannel {
            project: project.clone(),
            display_name: display_name.to_string(),
            destination: Destination::Email(address.into()),
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
            Destination::Email(Value::Lit(a)) => ("email", "labels.email_address", a.clone()),
            // an address given as an expression is known at apply time only
            Destination::Email(Value::Expr(_)) => ("email", "labels.email_address", "-".into()),
            Destination::Slack { channel, .. } => ("slack", "labels.channel_name", channel.clone()),
        };
        let name = format!("{}_{}", block_name(&self.display_name), kind);
        let mut channel = MonitoringNotificationChannel::new(kind)
            .project(project.id())
            .display_name(self.display_name.as_str())
            .enabled(true);
        channel = match &self.destination {
            Destination::Email(address) => channel.labels([("email_address", address.clone())]),
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
        NotificationChannelHandle {
            channel: handle,
            kind: match self.destination {
                Destination::Email(_) => ChannelKind::Email,
                Destination::Slack { .. } => ChannelKind::Slack,
            },
            display_name: self.display_name,
        }
    }
}

/// A declared notification channel.
#[derive(Debug, Clone)]
pub struct NotificationChannelHandle {
    channel: MonitoringNotificationChannelRef,
    kind: ChannelKind,
    display_name: String,
}

/// What kind of destination a channel has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// An email address (also a Slack channel's email address).
    Email,
    /// A Slack channel through the Cloud Monitoring Slack app.
    Slack,
}

impl ChannelKind {
    /// Cloud Monitoring's channel type (`email`, `slack`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Slack => "slack",
        }
    }
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
    /// The kind of destination.
    pub fn kind(&self) -> ChannelKind {
        self.kind
    }
    /// The display name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
}
