//! `GlobalHttpsLoadBalancer`: one global anycast IP in front of Cloud Run in every
//! region, HTTPS with a Google-managed certificate, HTTP redirected to HTTPS.

use terrane_core::construct::Construct;
use terrane_core::{Expr, Handle, Meta, Stack, Value};

use crate::compute::{
    ComputeBackendService, ComputeBackendServiceBackend, ComputeBackendServiceLogConfig,
    ComputeBackendServiceRef, ComputeGlobalAddress, ComputeGlobalAddressRef,
    ComputeGlobalForwardingRule, ComputeGlobalForwardingRuleRef, ComputeManagedSslCertificate,
    ComputeManagedSslCertificateManaged, ComputeRegionNetworkEndpointGroup,
    ComputeRegionNetworkEndpointGroupCloudRun, ComputeSecurityPolicy,
    ComputeSecurityPolicyAdvancedOptionsConfig, ComputeSecurityPolicyRef,
    ComputeSecurityPolicyRule, ComputeSecurityPolicyRuleArgs, ComputeSecurityPolicyRuleMatch,
    ComputeSecurityPolicyRuleMatchConfig, ComputeSecurityPolicyRuleMatchExpr,
    ComputeTargetHttpProxy, ComputeTargetHttpsProxy, ComputeUrlMap,
    ComputeUrlMapDefaultUrlRedirect, ComputeUrlMapRef,
};

use super::{apis, block_name, CloudRunServiceHandle, ProjectServicesHandle};

/// A Cloud Armor policy for the backend service: Google's preconfigured WAF rules
/// (SQL injection, cross-site scripting, Log4j) deny with 403, everything else is
/// allowed. Add rules with [`CloudArmor::deny_expression`].
#[derive(Debug, Clone)]
pub struct CloudArmor {
    rules: Vec<(u32, String, String)>,
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
        }
    }
}

impl CloudArmor {
    /// The preconfigured WAF rules.
    pub fn new() -> Self {
        Self::default()
    }
    /// Denies requests matching a CEL expression, at `priority` (lower runs first).
    pub fn deny_expression(mut self, priority: u32, expression: &str, description: &str) -> Self {
        self.rules
            .push((priority, expression.to_string(), description.to_string()));
        self
    }
}

/// A global external Application Load Balancer for Cloud Run services.
///
/// Declares: a global IPv4 address, a Google-managed certificate for the domains,
/// one serverless network endpoint group per Cloud Run region, a backend service
/// over all of them (requests go to the nearest healthy region) with request
/// logging, a URL map, a target HTTPS proxy and a forwarding rule on 443; a second
/// URL map that redirects every request to HTTPS, its HTTP proxy and a forwarding
/// rule on 80; optionally a Cloud Armor policy.
///
/// Checked at synth: a health check on a backend service of serverless NEGs.
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("services");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
///     .region("us-central1")
///     .add_to(&mut stack);
/// let lb = GlobalHttpsLoadBalancer::new(&project, "api", ["api.example.com"])
///     .backend(&api)
///     .cloud_armor(CloudArmor::new())
///     .add_to(&mut stack);
/// assert_eq!(lb.ip_address().to_hcl(), "google_compute_global_address.api.address");
/// ```
#[derive(Debug, Clone)]
pub struct GlobalHttpsLoadBalancer {
    project: ProjectServicesHandle,
    name: String,
    domains: Vec<String>,
    backends: Vec<(String, Expr<String>)>,
    armor: Option<CloudArmor>,
    health_checks: Vec<Value<String>>,
}

impl GlobalHttpsLoadBalancer {
    /// A load balancer of `project` named `name` serving `domains`.
    pub fn new<S: AsRef<str>>(
        project: &ProjectServicesHandle,
        name: &str,
        domains: impl IntoIterator<Item = S>,
    ) -> Self {
        GlobalHttpsLoadBalancer {
            project: project.clone(),
            name: name.to_string(),
            domains: domains
                .into_iter()
                .map(|d| d.as_ref().to_string())
                .collect(),
            backends: Vec::new(),
            armor: None,
            health_checks: Vec::new(),
        }
    }
    /// Serves every region of a Cloud Run service.
    pub fn backend(mut self, services: &CloudRunServiceHandle) -> Self {
        for (region, svc) in services.regions() {
            self.backends.push((region.to_string(), svc.name()));
        }
        self
    }
    /// Attaches a Cloud Armor policy.
    pub fn cloud_armor(mut self, armor: CloudArmor) -> Self {
        self.armor = Some(armor);
        self
    }
    /// A health check for the backend service. Serverless NEGs do not support one
    /// (Cloud Run checks its own instances), so this is reported at synth.
    pub fn health_check(mut self, health_check: impl Into<Value<String>>) -> Self {
        self.health_checks.push(health_check.into());
        self
    }

    /// The Cloud Armor policy: the configured deny rules, then allow everything else.
    fn armor_policy(&self, armor: &CloudArmor) -> ComputeSecurityPolicy {
        let mut policy = ComputeSecurityPolicy::new(format!("{}-armor", self.name))
            .project(self.project.id())
            .description("WAF in front of the API: preconfigured rules deny, default allow")
            .type_("CLOUD_ARMOR")
            .advanced_options_config(
                ComputeSecurityPolicyAdvancedOptionsConfig::new().log_level("VERBOSE"),
            );
        for (priority, expression, description) in &armor.rules {
            policy = policy.rule(
                ComputeSecurityPolicyRule::new(ComputeSecurityPolicyRuleArgs {
                    action: "deny(403)".into(),
                    priority: (*priority).into(),
                    match_: ComputeSecurityPolicyRuleMatch::new()
                        .expr(ComputeSecurityPolicyRuleMatchExpr::new(expression.as_str())),
                })
                .description(format!("deny {description}")),
            );
        }
        policy.rule(
            ComputeSecurityPolicyRule::new(ComputeSecurityPolicyRuleArgs {
                action: "allow".into(),
                priority: 2147483647u32.into(),
                match_: ComputeSecurityPolicyRuleMatch::new()
                    .versioned_expr("SRC_IPS_V1")
                    .config(ComputeSecurityPolicyRuleMatchConfig::new(vec!["*"])),
            })
            .description("default: allow"),
        )
    }

    /// One serverless NEG per Cloud Run region and the backend service over them;
    /// reports a health check, which serverless NEGs do not support.
    fn add_backend_service(
        &self,
        stack: &mut Stack,
        after: &Meta,
        armor: Option<&ComputeSecurityPolicyRef>,
    ) -> ComputeBackendServiceRef {
        let project = &self.project;
        let base = block_name(&self.name);
        let mut backend = ComputeBackendService::new(format!("{}-backend", self.name))
            .project(project.id())
            .load_balancing_scheme("EXTERNAL_MANAGED")
            .protocol("HTTPS")
            .log_config(
                ComputeBackendServiceLogConfig::new()
                    .enable(true)
                    .sample_rate(1.0),
            );
        for (region, service) in &self.backends {
            let neg = stack.add_with(
                &format!("{base}_{}", block_name(region)),
                ComputeRegionNetworkEndpointGroup::new(
                    format!("{}-{region}", self.name),
                    region.as_str(),
                )
                .project(project.id())
                .network_endpoint_type("SERVERLESS")
                .cloud_run(
                    ComputeRegionNetworkEndpointGroupCloudRun::new().service(service.clone()),
                ),
                after.clone(),
            );
            backend = backend.backend(ComputeBackendServiceBackend::new(neg.id()));
        }
        if let Some(policy) = armor {
            backend = backend.security_policy(policy.id());
        }
        if !self.health_checks.is_empty() {
            backend = backend.health_checks(self.health_checks.clone());
        }
        let backend = stack.add(&base, backend);
        if !self.health_checks.is_empty() && !self.backends.is_empty() {
            stack.report(
                &backend.address(),
                "health_checks",
                "a backend service with serverless NEG backends cannot have a health check: Cloud Run checks its own instances; remove .health_check(...)",
            );
        }
        backend
    }

    /// The HTTPS URL map, its proxy with the certificate, and the rule on 443.
    fn add_https_frontend(
        &self,
        stack: &mut Stack,
        backend: &ComputeBackendServiceRef,
        cert: Expr<String>,
        ip: Expr<String>,
    ) -> (ComputeUrlMapRef, ComputeGlobalForwardingRuleRef) {
        let project = &self.project;
        let base = block_name(&self.name);
        let url_map = stack.add(
            &base,
            ComputeUrlMap::new(format!("{}-https", self.name))
                .project(project.id())
                .default_service(backend.id()),
        );
        let https_proxy = stack.add(
            &base,
            ComputeTargetHttpsProxy::new(format!("{}-https", self.name), url_map.id())
                .project(project.id())
                .ssl_certificates(vec![cert]),
        );
        let https = stack.add(
            &format!("{base}_https"),
            ComputeGlobalForwardingRule::new(format!("{}-https", self.name), https_proxy.id())
                .project(project.id())
                .ip_address(ip)
                .ip_protocol("TCP")
                .port_range("443")
                .load_balancing_scheme("EXTERNAL_MANAGED"),
        );
        (url_map, https)
    }

    /// The URL map that redirects every request to HTTPS, its proxy and the rule on 80.
    fn add_http_redirect(
        &self,
        stack: &mut Stack,
        ip: Expr<String>,
    ) -> (ComputeUrlMapRef, ComputeGlobalForwardingRuleRef) {
        let project = &self.project;
        let block = format!("{}_http_redirect", block_name(&self.name));
        let name = format!("{}-http-redirect", self.name);
        let redirect = stack.add(
            &block,
            ComputeUrlMap::new(name.as_str())
                .project(project.id())
                .description("Redirects every HTTP request to HTTPS")
                .default_url_redirect(
                    ComputeUrlMapDefaultUrlRedirect::new(false)
                        .https_redirect(true)
                        .redirect_response_code("MOVED_PERMANENTLY_DEFAULT"),
                ),
        );
        let http_proxy = stack.add(
            &block,
            ComputeTargetHttpProxy::new(name.as_str(), redirect.id()).project(project.id()),
        );
        let http = stack.add(
            &block,
            ComputeGlobalForwardingRule::new(name.as_str(), http_proxy.id())
                .project(project.id())
                .ip_address(ip)
                .ip_protocol("TCP")
                .port_range("80")
                .load_balancing_scheme("EXTERNAL_MANAGED"),
        );
        (redirect, http)
    }
}

impl Construct for GlobalHttpsLoadBalancer {
    type Handle = GlobalHttpsLoadBalancerHandle;

    /// Declares the load balancer's resources in `stack`.
    fn add_to(self, stack: &mut Stack) -> GlobalHttpsLoadBalancerHandle {
        let project = &self.project;
        let base = block_name(&self.name);
        let after = project.after(stack, &[apis::COMPUTE]);
        let ip = stack.add_with(
            &base,
            ComputeGlobalAddress::new(format!("{}-ip", self.name))
                .project(project.id())
                .ip_version("IPV4")
                .address_type("EXTERNAL"),
            after.clone(),
        );
        let cert = stack.add_with(
            &base,
            ComputeManagedSslCertificate::new()
                .name(format!("{}-cert", self.name))
                .project(project.id())
                .managed(ComputeManagedSslCertificateManaged::new(
                    self.domains.clone(),
                )),
            after.clone(),
        );
        let armor = self
            .armor
            .as_ref()
            .map(|armor| stack.add_with(&base, self.armor_policy(armor), after.clone()));
        let backend = self.add_backend_service(stack, &after, armor.as_ref());
        let (url_map, https) = self.add_https_frontend(stack, &backend, cert.id(), ip.id());
        let (redirect, http) = self.add_http_redirect(stack, ip.id());
        GlobalHttpsLoadBalancerHandle {
            ip,
            backend,
            url_map,
            redirect,
            https,
            http,
            armor,
            domains: self.domains,
        }
    }
}

/// The declared load balancer.
#[derive(Debug, Clone)]
pub struct GlobalHttpsLoadBalancerHandle {
    ip: ComputeGlobalAddressRef,
    backend: ComputeBackendServiceRef,
    url_map: ComputeUrlMapRef,
    redirect: ComputeUrlMapRef,
    https: ComputeGlobalForwardingRuleRef,
    http: ComputeGlobalForwardingRuleRef,
    armor: Option<ComputeSecurityPolicyRef>,
    domains: Vec<String>,
}

impl GlobalHttpsLoadBalancerHandle {
    /// The global IP address (point the domains' A records here).
    pub fn ip_address(&self) -> Expr<String> {
        self.ip.address_attr()
    }
    /// The backend service.
    pub fn backend_service(&self) -> &ComputeBackendServiceRef {
        &self.backend
    }
    /// The HTTPS URL map.
    pub fn url_map(&self) -> &ComputeUrlMapRef {
        &self.url_map
    }
    /// The URL map that redirects HTTP to HTTPS.
    pub fn redirect_url_map(&self) -> &ComputeUrlMapRef {
        &self.redirect
    }
    /// The forwarding rule on 443.
    pub fn https_rule(&self) -> &ComputeGlobalForwardingRuleRef {
        &self.https
    }
    /// The forwarding rule on 80 (redirect only).
    pub fn http_rule(&self) -> &ComputeGlobalForwardingRuleRef {
        &self.http
    }
    /// The Cloud Armor policy, if any.
    pub fn armor(&self) -> Option<&ComputeSecurityPolicyRef> {
        self.armor.as_ref()
    }
    /// The domains served.
    pub fn domains(&self) -> &[String] {
        &self.domains
    }
}
