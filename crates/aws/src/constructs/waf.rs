//! `WebAcl`: an AWS WAFv2 web ACL with AWS managed rule groups and a per-IP rate
//! limit, associated with load balancers and logging blocked requests to CloudWatch.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{Expr, Meta, Number, ProviderRef, Stack, Tree, Value};

use crate::cloudwatch::CloudwatchLogGroup;
use crate::wafv2::{
    Wafv2WebAcl, Wafv2WebAclArgs, Wafv2WebAclAssociation, Wafv2WebAclDefaultAction,
    Wafv2WebAclDefaultActionAllow, Wafv2WebAclLoggingConfiguration, Wafv2WebAclRef,
    Wafv2WebAclRule, Wafv2WebAclRuleAction, Wafv2WebAclRuleActionBlock, Wafv2WebAclRuleArgs,
    Wafv2WebAclRuleOverrideAction, Wafv2WebAclRuleOverrideActionNone,
    Wafv2WebAclRuleVisibilityConfig, Wafv2WebAclRuleVisibilityConfigArgs,
    Wafv2WebAclVisibilityConfig, Wafv2WebAclVisibilityConfigArgs,
};

/// Where a web ACL applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WafScope {
    /// Regional resources: application load balancers, API Gateway stages.
    #[default]
    Regional,
    /// CloudFront distributions (the ACL must be declared in us-east-1).
    CloudFront,
}

impl WafScope {
    fn as_str(self) -> &'static str {
        match self {
            WafScope::Regional => "REGIONAL",
            WafScope::CloudFront => "CLOUDFRONT",
        }
    }
}

/// The AWS managed rule groups every [`WebAcl`] starts with: the core rule set (OWASP
/// top 10), known bad inputs (Log4j and similar exploits), SQL injection and the
/// Amazon IP reputation list.
const DEFAULT_MANAGED_RULE_GROUPS: [&str; 4] = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
];

/// The lowest rate limit WAF accepts (requests per evaluation window per IP).
const MIN_RATE_LIMIT: u32 = 10;

/// An AWS WAFv2 web ACL.
///
/// Defaults: regional scope; requests allowed unless a rule blocks them; the AWS
/// managed rule groups Common, KnownBadInputs, SQLi and AmazonIpReputationList; more
/// than 2000 requests from one IP in 5 minutes blocked; CloudWatch metrics and
/// sampled requests on; every request logged to a KMS-encrypted log group
/// `aws-waf-logs-NAME` kept a year.
///
/// Checked at synth: a rate limit below WAF's minimum of 10.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::WebAcl;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("app");
/// let acl = WebAcl::new("prod-api", Expr::<String>::raw("var.key"))
///     .associate(Expr::<String>::raw("var.alb_arn"))
///     .add_to(&mut s);
/// assert_eq!(acl.arn().to_hcl(), "aws_wafv2_web_acl.prod_api.arn");
/// ```
#[derive(Debug, Clone)]
pub struct WebAcl {
    name: String,
    scope: WafScope,
    kms_key_arn: Value<String>,
    rate_limit: Option<u32>,
    managed_rule_groups: Vec<String>,
    associations: Vec<Value<String>>,
    provider: Option<ProviderRef>,
    tags: BTreeMap<String, String>,
}

/// A declared [`WebAcl`].
#[derive(Debug, Clone)]
pub struct WebAclHandle {
    acl: Wafv2WebAclRef,
}

impl WebAclHandle {
    /// The web ACL.
    pub fn web_acl(&self) -> &Wafv2WebAclRef {
        &self.acl
    }
    /// Its ARN (what a CloudFront distribution's `web_acl_id` takes).
    pub fn arn(&self) -> Expr<String> {
        self.acl.arn()
    }
}

impl WebAcl {
    /// A web ACL named `name`, its logs encrypted with `kms_key_arn`.
    pub fn new(name: &str, kms_key_arn: impl Into<Value<String>>) -> Self {
        WebAcl {
            name: name.to_string(),
            scope: WafScope::Regional,
            kms_key_arn: kms_key_arn.into(),
            rate_limit: Some(2000),
            managed_rule_groups: DEFAULT_MANAGED_RULE_GROUPS
                .iter()
                .map(|g| g.to_string())
                .collect(),
            associations: Vec::new(),
            provider: None,
            tags: BTreeMap::new(),
        }
    }
    /// Where the ACL applies (default [`WafScope::Regional`]).
    pub fn scope(mut self, scope: WafScope) -> Self {
        self.scope = scope;
        self
    }
    /// Requests one IP may send in 5 minutes before it is blocked (default 2000).
    pub fn rate_limit(mut self, requests_per_5_minutes: u32) -> Self {
        self.rate_limit = Some(requests_per_5_minutes);
        self
    }
    /// No per-IP rate limit: for an ACL behind a CDN, where every request comes from
    /// the CDN's addresses and a per-IP limit would throttle whole edge locations
    /// (the CDN's own ACL limits the viewers).
    pub fn without_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }
    /// Adds an AWS managed rule group (by name, vendor `AWS`) after the default ones.
    pub fn managed_rule_group(mut self, name: &str) -> Self {
        self.managed_rule_groups.push(name.into());
        self
    }
    /// Associates the ACL with a regional resource (an application load balancer's ARN).
    pub fn associate(mut self, resource_arn: impl Into<Value<String>>) -> Self {
        self.associations.push(resource_arn.into());
        self
    }
    /// Declares the ACL, its log group and logging through an aliased provider: a
    /// [`WafScope::CloudFront`] ACL and its log group must be in us-east-1.
    pub fn provider(mut self, p: &ProviderRef) -> Self {
        self.provider = Some(p.clone());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }

    /// The meta-arguments of every resource of the ACL: its provider, if aliased.
    fn meta(&self) -> Meta {
        super::provider_meta(self.provider.as_ref())
    }

    fn visibility(&self, metric: &str) -> Wafv2WebAclRuleVisibilityConfig {
        Wafv2WebAclRuleVisibilityConfig::new(Wafv2WebAclRuleVisibilityConfigArgs {
            cloudwatch_metrics_enabled: true.into(),
            metric_name: format!("{}-{metric}", self.name).into(),
            sampled_requests_enabled: true.into(),
        })
    }

    /// One rule per managed rule group, in order, each keeping the group's own actions.
    fn managed_rules(&self) -> Vec<Wafv2WebAclRule> {
        self.managed_rule_groups
            .iter()
            .enumerate()
            .map(|(i, group)| {
                let statement = Tree::object([(
                    "managed_rule_group_statement",
                    Tree::object([
                        ("name", Tree::from(group.as_str())),
                        ("vendor_name", Tree::from("AWS")),
                    ]),
                )]);
                Wafv2WebAclRule::new(Wafv2WebAclRuleArgs {
                    name: group.as_str().into(),
                    priority: Number::from(i as u32 + 1).into(),
                    statement: statement.into(),
                    visibility_config: self.visibility(group),
                })
                .override_action(
                    Wafv2WebAclRuleOverrideAction::new()
                        .none(Wafv2WebAclRuleOverrideActionNone::new()),
                )
            })
            .collect()
    }

    /// Blocks an IP sending more than `limit` requests in 5 minutes; evaluated first.
    fn rate_rule(&self, limit: u32) -> Wafv2WebAclRule {
        let statement = Tree::object([(
            "rate_based_statement",
            Tree::object([
                ("limit", Tree::from(limit)),
                ("aggregate_key_type", Tree::from("IP")),
                ("evaluation_window_sec", Tree::from(300)),
            ]),
        )]);
        Wafv2WebAclRule::new(Wafv2WebAclRuleArgs {
            name: "rate-limit-per-ip".into(),
            priority: Number::from(0).into(),
            statement: statement.into(),
            visibility_config: self.visibility("rate-limit"),
        })
        .action(Wafv2WebAclRuleAction::new().block(Wafv2WebAclRuleActionBlock::new()))
    }
}

impl Construct for WebAcl {
    type Handle = WebAclHandle;

    /// Adds the web ACL, its log group and logging, and its associations.
    fn add_to(self, stack: &mut Stack) -> WebAclHandle {
        let id = block_name(&self.name);
        if let Some(limit) = self.rate_limit.filter(|l| *l < MIN_RATE_LIMIT) {
            stack.report(
                &address("aws_wafv2_web_acl", &self.name),
                "rule.statement.rate_based_statement.limit",
                format!(
                    "web ACL `{}`: rate limit {} is below WAF's minimum of {MIN_RATE_LIMIT} requests per 5 minutes",
                    self.name, limit
                ),
            );
        }
        let tags = super::tags(&self.name, &self.tags);
        let mut acl = Wafv2WebAcl::new(Wafv2WebAclArgs {
            scope: self.scope.as_str().into(),
            default_action: Wafv2WebAclDefaultAction::new()
                .allow(Wafv2WebAclDefaultActionAllow::new()),
            visibility_config: Wafv2WebAclVisibilityConfig::new(Wafv2WebAclVisibilityConfigArgs {
                cloudwatch_metrics_enabled: true.into(),
                metric_name: self.name.as_str().into(),
                sampled_requests_enabled: true.into(),
            }),
        })
        .name(self.name.as_str())
        .description(format!(
            "{}: AWS managed rules and a per-IP rate limit",
            self.name
        ))
        .tags(tags.clone());
        if let Some(limit) = self.rate_limit {
            acl = acl.rule(self.rate_rule(limit));
        }
        for rule in self.managed_rules() {
            acl = acl.rule(rule);
        }
        let acl = stack.add_with(&id, acl, self.meta());
        // WAF only delivers to log groups whose name starts with `aws-waf-logs-`
        let logs = stack.add_with(
            &format!("{id}_waf"),
            CloudwatchLogGroup::new()
                .name(format!("aws-waf-logs-{}", self.name))
                .retention_in_days(365)
                .kms_key_id(self.kms_key_arn.clone())
                .tags(tags),
            self.meta(),
        );
        stack.add_with(
            &id,
            Wafv2WebAclLoggingConfiguration::new(vec![logs.arn()], acl.arn()),
            self.meta(),
        );
        for (i, resource) in self.associations.iter().enumerate() {
            stack.add_with(
                &format!("{id}_{i}"),
                Wafv2WebAclAssociation::new(resource.clone(), acl.arn()),
                self.meta(),
            );
        }
        WebAclHandle { acl }
    }
}
