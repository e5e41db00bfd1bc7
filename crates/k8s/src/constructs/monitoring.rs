//! Alertmanager routing by severity to PagerDuty, Slack and e-mail.

use crate::crd::{
    AlertmanagerConfig, AlertmanagerConfigSpec, EmailConfig, InhibitRule, Matcher, PagerDutyConfig,
    Receiver, Route, SecretKeySelector, SlackConfig,
};
use terrane_core::construct::Construct;

use super::alerts::{Severity, SERVICE_LABEL};
use crate::manifests::Manifests;
use crate::ExternalSecretEnv;

/// Alertmanager routing by severity: P0 to PagerDuty, Slack and e-mail, P1 to
/// PagerDuty and Slack, P2 to Slack, P3 to e-mail; a P0 of a service mutes that
/// service's lower-severity alerts.
/// Receiver secrets (Slack webhook, PagerDuty routing key, SMTP password) come
/// from an ExternalSecret, never literals.
///
/// ```
/// use terrane_k8s::{AlertRouting, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// AlertRouting::new("shop-alerts", "aws-secrets").slack_channel("#shop-alerts").email("oncall@example.com").add_to(&mut m);
/// let y = &m.render("t").unwrap()["base/monitoring.yaml"];
/// assert!(y.contains("kind: AlertmanagerConfig"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRouting {
    name: String,
    store: String,
    remote_secret: Option<String>,
    cluster_store: bool,
    slack_channel: String,
    email_to: String,
    email_from: String,
    smarthost: String,
}

/// Keys of the receivers' Secret.
pub const SLACK_WEBHOOK_KEY: &str = "slack-webhook-url";
/// PagerDuty Events API v2 routing key.
pub const PAGERDUTY_KEY: &str = "pagerduty-routing-key";
/// SMTP password.
pub const SMTP_PASSWORD_KEY: &str = "smtp-password";

impl AlertRouting {
    /// Routing named `name`; receiver secrets read through SecretStore `store`
    /// from the remote secret `<namespace>/alertmanager` unless [`AlertRouting::remote_secret`] says otherwise.
    pub fn new(name: impl Into<String>, store: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            store: store.into(),
            remote_secret: None,
            cluster_store: false,
            slack_channel: "#alerts".into(),
            email_to: "oncall@example.com".into(),
            email_from: "alertmanager@example.com".into(),
            smarthost: "email-smtp.eu-west-1.amazonaws.com:587".into(),
        }
    }

    /// Reads through the ClusterSecretStore named by `store` (see
    /// [`AwsSecretStore::cluster_wide`](crate::AwsSecretStore::cluster_wide)).
    pub fn cluster_store(mut self) -> Self {
        self.cluster_store = true;
        self
    }

    /// Remote secret holding `slack-webhook-url`, `pagerduty-routing-key` and `smtp-password`.
    pub fn remote_secret(mut self, key: impl Into<String>) -> Self {
        self.remote_secret = Some(key.into());
        self
    }

    /// Slack channel for P0 and P2.
    pub fn slack_channel(mut self, channel: impl Into<String>) -> Self {
        self.slack_channel = channel.into();
        self
    }

    /// Recipient of P3 mail.
    pub fn email(mut self, to: impl Into<String>) -> Self {
        self.email_to = to.into();
        self
    }

    /// Sender and SMTP server (`host:port`) of P3 mail.
    pub fn smtp(mut self, from: impl Into<String>, smarthost: impl Into<String>) -> Self {
        self.email_from = from.into();
        self.smarthost = smarthost.into();
        self
    }
}

impl Construct<Manifests> for AlertRouting {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let secret = format!("{}-receivers", self.name);
        let remote = self
            .remote_secret
            .clone()
            .unwrap_or_else(|| format!("{ns}/alertmanager"));
        let mut receivers = ExternalSecretEnv::new(&secret, &self.store);
        if self.cluster_store {
            receivers = receivers.cluster_store();
        }
        receivers
            .key(SLACK_WEBHOOK_KEY, &remote, SLACK_WEBHOOK_KEY)
            .key(PAGERDUTY_KEY, &remote, PAGERDUTY_KEY)
            .key(SMTP_PASSWORD_KEY, &remote, SMTP_PASSWORD_KEY)
            .add_to(m);
        let l = m.app_labels(&self.name, "monitoring");
        m.push(AlertmanagerConfig {
            metadata: m.meta(&self.name, &ns, &l),
            spec: AlertmanagerConfigSpec {
                route: routes(),
                receivers: self.receivers(&secret),
                inhibit_rules: vec![InhibitRule {
                    source_match: vec![Matcher::eq("severity", Severity::P0.as_str())],
                    target_match: vec![Matcher {
                        name: "severity".into(),
                        value: "P1|P2|P3".into(),
                        match_type: "=~".into(),
                    }],
                    // Every alert of [`AlertRules`](super::AlertRules) carries `namespace`
                    // and `service`: an outage of a service mutes its lesser alerts.
                    equal: vec!["namespace".into(), SERVICE_LABEL.into()],
                }],
            },
        });
    }
}

impl AlertRouting {
    /// Receivers: PagerDuty, Slack and email, their credentials read from `secret`.
    fn receivers(&self, secret: &str) -> Vec<Receiver> {
        vec![
            Receiver {
                name: "pagerduty".into(),
                pagerduty_configs: vec![PagerDutyConfig {
                    routing_key: SecretKeySelector::new(secret, PAGERDUTY_KEY),
                    severity: Some("critical".into()),
                    send_resolved: Some(true),
                }],
                ..Default::default()
            },
            Receiver {
                name: "slack".into(),
                slack_configs: vec![SlackConfig {
                    api_url: SecretKeySelector::new(secret, SLACK_WEBHOOK_KEY),
                    channel: Some(self.slack_channel.clone()),
                    send_resolved: Some(true),
                }],
                ..Default::default()
            },
            Receiver {
                name: "email".into(),
                email_configs: vec![EmailConfig {
                    to: self.email_to.clone(),
                    from: Some(self.email_from.clone()),
                    smarthost: Some(self.smarthost.clone()),
                    auth_username: Some(self.email_from.clone()),
                    auth_password: Some(SecretKeySelector::new(secret, SMTP_PASSWORD_KEY)),
                    require_tls: Some(true),
                    send_resolved: Some(false),
                }],
                ..Default::default()
            },
        ]
    }
}

/// The routing tree: P0 pages, posts and mails; P1 pages and posts; P2 posts;
/// P3 mails once a day. The operator adds `namespace=<this namespace>` to every
/// matcher, which the alerts carry (see [`AlertRules`](super::AlertRules)).
fn routes() -> Route {
    let sev = |s: Severity| vec![Matcher::eq("severity", s.as_str())];
    let route = |receiver: &str, s: Severity, more: bool| Route {
        receiver: receiver.into(),
        matchers: sev(s),
        continue_: more.then_some(true),
        ..Default::default()
    };
    Route {
        receiver: "slack".into(),
        group_by: vec!["alertname".into(), "namespace".into(), SERVICE_LABEL.into()],
        group_wait: Some("30s".into()),
        group_interval: Some("5m".into()),
        repeat_interval: Some("4h".into()),
        routes: vec![
            route("pagerduty", Severity::P0, true),
            route("slack", Severity::P0, true),
            route("email", Severity::P0, false),
            route("pagerduty", Severity::P1, true),
            route("slack", Severity::P1, false),
            route("slack", Severity::P2, false),
            Route {
                repeat_interval: Some("24h".into()),
                ..route("email", Severity::P3, false)
            },
        ],
        ..Default::default()
    }
}
