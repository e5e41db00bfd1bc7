//! `GlobalHttpsLoadBalancer`: one global anycast IP in front of Cloud Run in every
//! region, HTTPS (TLS 1.2 or newer) with a Google-managed certificate, HTTP
//! redirected to HTTPS.

use terrane_core::construct::Construct;
use terrane_core::{Expr, Handle, Meta, Stack, Value};

use crate::compute::{
    ComputeBackendService, ComputeBackendServiceBackend, ComputeBackendServiceLogConfig,
    ComputeBackendServiceRef, ComputeGlobalAddress, ComputeGlobalAddressRef,
    ComputeGlobalForwardingRule, ComputeGlobalForwardingRuleRef, ComputeManagedSslCertificate,
    ComputeManagedSslCertificateManaged, ComputeRegionNetworkEndpointGroup,
    ComputeRegionNetworkEndpointGroupCloudRun, ComputeSecurityPolicyRef, ComputeSslPolicy,
    ComputeSslPolicyRef, ComputeTargetHttpProxy, ComputeTargetHttpsProxy, ComputeUrlMap,
    ComputeUrlMapDefaultUrlRedirect, ComputeUrlMapRef,
};

use super::{apis, block_name, CloudArmor, CloudRunServiceHandle, ProjectServicesHandle};

/// The TLS profile of the HTTPS proxy's SSL policy; both require TLS 1.2 or newer
/// (Google's default policy still accepts TLS 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsProfile {
    /// Modern clients, forward-secret ciphers (`MODERN`, the default).
    #[default]
    Modern,
    /// Only the strongest ciphers, for compliance regimes such as PCI DSS
    /// (`RESTRICTED`).
    Restricted,
}

impl TlsProfile {
    /// Compute Engine's profile name.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsProfile::Modern => "MODERN",
            TlsProfile::Restricted => "RESTRICTED",
        }
    }
}

/// A global external Application Load Balancer for Cloud Run services.
///
/// Declares: a global IPv4 address, a Google-managed certificate for the domains,
/// one serverless network endpoint group per Cloud Run region, a backend service
/// over all of them (requests go to the nearest healthy region) with request
/// logging, a URL map, a target HTTPS proxy and a forwarding rule on 443; a second
/// URL map that redirects every request to HTTPS, its HTTP proxy and a forwarding
/// rule on 80; an SSL policy (TLS 1.2 minimum, [`TlsProfile::Modern`] unless set);
/// optionally a Cloud Armor policy.
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
    tls: TlsProfile,
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
            tls: TlsProfile::Modern,
        }
    }
    /// Serves every region of a Cloud Run service.
    pub fn backend(mut self, services: &CloudRunServiceHandle) -> Self {
        for (region, svc) in services.regions() {
            self.backends.push((region.to_string(), svc.name()));
        }
        self
    }
    /// The TLS profile (default [`TlsProfile::Modern`]; TLS 1.2 minimum either way).
    pub fn tls_profile(mut self, profile: TlsProfile) -> Self {
        self.tls = profile;
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
        ssl_policy: &ComputeSslPolicyRef,
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
                .ssl_certificates(vec![cert])
                .ssl_policy(ssl_policy.id()),
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
        let ssl_policy = stack.add_with(
            &base,
            ComputeSslPolicy::new(format!("{}-tls", self.name))
                .project(project.id())
                .description("TLS 1.2 or newer for the HTTPS proxy")
                .min_tls_version("TLS_1_2")
                .profile(self.tls.as_str()),
            after.clone(),
        );
        let armor = self.armor.as_ref().map(|armor| {
            let policy = stack.add_with(
                &base,
                armor.policy(format!("{}-armor", self.name), project.id()),
                after.clone(),
            );
            armor.check(stack, &policy.address());
            policy
        });
        let backend = self.add_backend_service(stack, &after, armor.as_ref());
        let (url_map, https) =
            self.add_https_frontend(stack, &backend, cert.id(), ip.id(), &ssl_policy);
        let (redirect, http) = self.add_http_redirect(stack, ip.id());
        GlobalHttpsLoadBalancerHandle {
            ip,
            backend,
            url_map,
            redirect,
            https,
            http,
            armor,
            ssl_policy,
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
    ssl_policy: ComputeSslPolicyRef,
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
    /// The SSL policy of the HTTPS proxy.
    pub fn ssl_policy(&self) -> &ComputeSslPolicyRef {
        &self.ssl_policy
    }
    /// The domains served.
    pub fn domains(&self) -> &[String] {
        &self.domains
    }
}
