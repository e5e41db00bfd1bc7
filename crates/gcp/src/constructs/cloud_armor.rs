//! `CloudArmor`: the security policy in front of a load balancer's backend: WAF
//! rules, per-client rate limiting and adaptive protection against L7 DDoS.

use std::collections::BTreeMap;

use terrane_core::{Expr, Stack};

use crate::compute::{
    ComputeSecurityPolicy, ComputeSecurityPolicyAdaptiveProtectionConfig,
    ComputeSecurityPolicyAdaptiveProtectionConfigLayer7DdosDefenseConfig,
    ComputeSecurityPolicyAdvancedOptionsConfig, ComputeSecurityPolicyRuleBlock,
    ComputeSecurityPolicyRuleBlockArgs, ComputeSecurityPolicyRuleBlockMatch,
    ComputeSecurityPolicyRuleBlockMatchConfig, ComputeSecurityPolicyRuleBlockMatchExpr,
    ComputeSecurityPolicyRuleBlockRateLimitOptions,
    ComputeSecurityPolicyRuleBlockRateLimitOptionsArgs,
    ComputeSecurityPolicyRuleBlockRateLimitOptionsRateLimitThreshold,
};

/// The intervals Cloud Armor accepts for a rate limit threshold, in seconds.
const RATE_LIMIT_INTERVALS: [u32; 13] = [
    10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600,
];

/// The priority of the throttle rule: after every deny rule (a throttle rule lets
/// conforming requests through, so WAF rules after it would never run).
const THROTTLE_PRIORITY: u32 = 2000;

/// The last rule's priority, the default rule Cloud Armor requires.
const DEFAULT_PRIORITY: u32 = 2_147_483_647;

/// Per-client rate limiting: more than `requests` in `interval_s` seconds from one
/// client IP are answered 429 until the rate falls back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per interval and client IP.
    pub requests: u32,
    /// The interval in seconds (one of 10, 30, 60, 120, 180, 240, 300, 600, 900,
    /// 1200, 1800, 2700, 3600).
    pub interval_s: u32,
}

/// Whether Cloud Armor Adaptive Protection watches for L7 DDoS attacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdaptiveProtection {
    /// Detects anomalous traffic and proposes rules (the default).
    #[default]
    On,
    /// Off.
    Off,
}

/// A Cloud Armor policy for the backend service.
///
/// Safe defaults: Google's preconfigured WAF rules (SQL injection, cross-site
/// scripting, Log4j) deny with 403; then every client IP is throttled to 600
/// requests a minute (429 beyond); Adaptive Protection (L7 DDoS defense) is on;
/// everything else is allowed. Add rules with [`CloudArmor::deny_expression`].
///
/// Checked at synth: two rules at one priority, a rate limit interval Cloud Armor
/// does not accept, and a rate limit of zero requests.
#[derive(Debug, Clone)]
pub struct CloudArmor {
    rules: Vec<(u32, String, String)>,
    throttle: Option<RateLimit>,
    adaptive: AdaptiveProtection,
}

impl Default for CloudArmor {
    fn default() -> Self {
        CloudArmor {
            rules: vec![
                (
                    1000,
                    "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})".into(),
                    "SQL injection".into(),
                ),
                (
                    1001,
                    "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})".into(),
                    "cross-site scripting".into(),
                ),
                (
                    1002,
                    "evaluatePreconfiguredExpr('cve-canary')".into(),
                    "Log4j (CVE-2021-44228) probes".into(),
                ),
            ],
            throttle: Some(RateLimit {
                requests: 600,
                interval_s: 60,
            }),
            adaptive: AdaptiveProtection::On,
        }
    }
}

impl CloudArmor {
    /// The preconfigured WAF rules, the default throttle and Adaptive Protection.
    pub fn new() -> Self {
        Self::default()
    }
    /// Denies requests matching a CEL expression, at `priority` (lower runs first;
    /// below 2000 to run before the throttle rule).
    pub fn deny_expression(mut self, priority: u32, expression: &str, description: &str) -> Self {
        self.rules
            .push((priority, expression.to_string(), description.to_string()));
        self
    }
    /// Throttles each client IP to `limit` (default 600 requests per 60 s).
    pub fn throttle(mut self, limit: RateLimit) -> Self {
        self.throttle = Some(limit);
        self
    }
    /// No per-client rate limit.
    pub fn without_throttle(mut self) -> Self {
        self.throttle = None;
        self
    }
    /// Adaptive Protection on (the default) or off.
    pub fn adaptive_protection(mut self, a: AdaptiveProtection) -> Self {
        self.adaptive = a;
        self
    }

    /// The policy: deny rules, the throttle rule, then allow everything else.
    pub(super) fn policy(&self, name: String, project: Expr<String>) -> ComputeSecurityPolicy {
        let mut policy = ComputeSecurityPolicy::new(name)
            .project(project)
            .description("WAF in front of the API: preconfigured rules deny, clients throttled, default allow")
            .type_("CLOUD_ARMOR")
            .advanced_options_config(
                ComputeSecurityPolicyAdvancedOptionsConfig::new().log_level("VERBOSE"),
            );
        if self.adaptive == AdaptiveProtection::On {
            policy = policy.adaptive_protection_config(
                ComputeSecurityPolicyAdaptiveProtectionConfig::new().layer_7_ddos_defense_config(
                    ComputeSecurityPolicyAdaptiveProtectionConfigLayer7DdosDefenseConfig::new()
                        .enable(true)
                        .rule_visibility("STANDARD"),
                ),
            );
        }
        for (priority, expression, description) in &self.rules {
            policy = policy.rule(
                ComputeSecurityPolicyRuleBlock::new(ComputeSecurityPolicyRuleBlockArgs {
                    action: "deny(403)".into(),
                    priority: (*priority).into(),
                    match_: ComputeSecurityPolicyRuleBlockMatch::new().expr(
                        ComputeSecurityPolicyRuleBlockMatchExpr::new(expression.as_str()),
                    ),
                })
                .description(format!("deny {description}")),
            );
        }
        if let Some(limit) = self.throttle {
            policy = policy.rule(throttle_rule(limit));
        }
        policy.rule(
            ComputeSecurityPolicyRuleBlock::new(ComputeSecurityPolicyRuleBlockArgs {
                action: "allow".into(),
                priority: DEFAULT_PRIORITY.into(),
                match_: every_ip(),
            })
            .description("default: allow"),
        )
    }

    /// Reports duplicate priorities and rate limits Cloud Armor refuses.
    pub(super) fn check(&self, stack: &mut Stack, address: &str) {
        let mut priorities: BTreeMap<u32, usize> = BTreeMap::new();
        let throttle = self.throttle.map(|_| THROTTLE_PRIORITY);
        for p in self.rules.iter().map(|r| r.0).chain(throttle) {
            *priorities.entry(p).or_default() += 1;
        }
        for (priority, n) in priorities.into_iter().filter(|(_, n)| *n > 1) {
            stack.report(
                address,
                "rule.priority",
                format!("{n} rules at priority {priority}: each rule needs its own priority (the throttle rule is at {THROTTLE_PRIORITY})"),
            );
        }
        if let Some(limit) = self.throttle {
            if !RATE_LIMIT_INTERVALS.contains(&limit.interval_s) {
                stack.report(
                    address,
                    "rule.rate_limit_options.rate_limit_threshold.interval_sec",
                    format!(
                        "rate limit interval {} s is not one Cloud Armor accepts ({})",
                        limit.interval_s,
                        RATE_LIMIT_INTERVALS.map(|i| i.to_string()).join(", ")
                    ),
                );
            }
            if limit.requests == 0 {
                stack.report(
                    address,
                    "rule.rate_limit_options.rate_limit_threshold.count",
                    "a rate limit of 0 requests throttles every request: use at least 1",
                );
            }
        }
    }
}

/// Matches every source IP.
fn every_ip() -> ComputeSecurityPolicyRuleBlockMatch {
    ComputeSecurityPolicyRuleBlockMatch::new()
        .versioned_expr("SRC_IPS_V1")
        .config(ComputeSecurityPolicyRuleBlockMatchConfig::new(vec!["*"]))
}

/// The rule that answers 429 to a client IP above `limit`.
fn throttle_rule(limit: RateLimit) -> ComputeSecurityPolicyRuleBlock {
    ComputeSecurityPolicyRuleBlock::new(ComputeSecurityPolicyRuleBlockArgs {
        action: "throttle".into(),
        priority: THROTTLE_PRIORITY.into(),
        match_: every_ip(),
    })
    .description(format!(
        "throttle each client IP above {} requests per {} s",
        limit.requests, limit.interval_s
    ))
    .rate_limit_options(
        ComputeSecurityPolicyRuleBlockRateLimitOptions::new(
            ComputeSecurityPolicyRuleBlockRateLimitOptionsArgs {
                conform_action: "allow".into(),
                exceed_action: "deny(429)".into(),
                rate_limit_threshold:
                    ComputeSecurityPolicyRuleBlockRateLimitOptionsRateLimitThreshold::new(
                        limit.requests,
                        limit.interval_s,
                    ),
            },
        )
        .enforce_on_key("IP"),
    )
}
