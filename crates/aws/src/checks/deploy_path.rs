//! Rule `aws/deploy-path`: the deploy steps of a target can reach the API endpoint of
//! every EKS cluster it deploys to.
//!
//! A target deploys to Kubernetes when it has `helm_release` blocks (applied by
//! Terraform) or manifests under `k8s/` (applied with `kubectl apply -k`). Both run
//! on the target's deploy runner, declared with [`DeployPath::runner`] or found in the
//! target's own blocks (an `aws_codebuild_project` with a `vpc_config` whose role an
//! `aws_eks_access_entry` admits: `vpc_runner.rs`); a target with neither is taken to
//! deploy from outside the VPC (a hosted CI runner, a workstation), from addresses
//! nobody listed.
//!
//! | cluster `vpc_config` | runner | verdict |
//! |---|---|---|
//! | both endpoints off | any | error: nothing can reach the API |
//! | `endpoint_public_access = false` | outside the VPC | error: helm and kubectl cannot connect |
//! | `endpoint_public_access = false` | [`DeployRunner::InVpc`] | passes |
//! | public, `public_access_cidrs` unset, empty or with `0.0.0.0/0` | any | error |
//! | public, literal CIDRs | [`DeployRunner::Outside`] with egress CIDRs | each egress CIDR must be inside one of them |
//! | public, CIDRs from an expression (`var.cluster_admin_cidrs`) | any | passes: given at apply |
//!
//! An open public endpoint is an error, not a warning: the issue accepts exactly two
//! deploy paths (a runner in the VPC, or a public endpoint restricted to given
//! CIDRs); a Kubernetes API open to the internet is the largest exposure a platform
//! can have (checkov's CKV_AWS_38 says the same); and the fix is one argument. A
//! runner with changing addresses belongs inside the VPC.

use std::collections::BTreeMap;

use terrane_core::checks::{Rule, TargetView};
use terrane_core::construct::Ipv4Cidr;
use terrane_core::{BlockView, Diagnostic, Stack};

use super::body::{boolean, deploys_to_kubernetes, strings, Value};

/// Where a target's deploy steps (the Terraform apply of its Helm releases, `kubectl
/// apply -k` of its manifests) run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployRunner {
    /// Outside the cluster's VPC, connecting from these egress CIDRs (empty: the
    /// addresses are not known, as with hosted CI runners).
    Outside {
        /// The addresses the runner connects from.
        egress: Vec<Ipv4Cidr>,
    },
    /// Inside the cluster's VPC, or a network routed to it (a self-hosted CI runner
    /// or a CodeBuild project in the private subnets, a VPN): it reaches a private
    /// endpoint.
    InVpc {
        /// What the runner is, for the reader (`self-hosted GitHub runner in prod-vpc`).
        name: String,
    },
}

impl DeployRunner {
    /// A runner inside the cluster's VPC.
    pub fn in_vpc(name: &str) -> Self {
        DeployRunner::InVpc {
            name: name.to_string(),
        }
    }
    /// A runner outside the VPC connecting from `egress`.
    pub fn outside(egress: impl IntoIterator<Item = Ipv4Cidr>) -> Self {
        DeployRunner::Outside {
            egress: egress.into_iter().collect(),
        }
    }
}

/// Rule `aws/deploy-path` (see the module doc), with the deploy runner of each
/// target that declares one.
///
/// ```
/// use terrane_aws::checks::{DeployPath, DeployRunner};
/// let rule = DeployPath::new().runner("eks-prod", DeployRunner::in_vpc("CodeBuild in prod-vpc"));
/// # let _ = rule;
/// ```
#[derive(Debug, Clone, Default)]
pub struct DeployPath {
    runners: BTreeMap<String, DeployRunner>,
}

impl DeployPath {
    /// The rule with no runner declared: every target deploys from outside the VPC.
    pub fn new() -> Self {
        Self::default()
    }
    /// Declares where `target` deploys from.
    pub fn runner(mut self, target: &str, runner: DeployRunner) -> Self {
        self.runners.insert(target.to_string(), runner);
        self
    }
}

/// Outside, from unknown addresses: what a target that declares nothing gets.
static UNDECLARED: DeployRunner = DeployRunner::Outside { egress: Vec::new() };

impl Rule for DeployPath {
    fn name(&self) -> &str {
        "aws/deploy-path"
    }

    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
        let deploys = deploys_to_kubernetes(target);
        let found;
        let runner = match self.runners.get(target.name()) {
            Some(declared) => declared,
            None => {
                found = if deploys {
                    super::vpc_runner::declared_in_output(target, out)
                } else {
                    None
                };
                found.as_ref().unwrap_or(&UNDECLARED)
            }
        };
        for stack in target.stacks() {
            for block in stack.blocks().filter(|b| b.ty == "aws_eks_cluster") {
                let at = Here {
                    target: target.name(),
                    stack,
                    block: &block,
                };
                check_cluster(&at, runner, deploys, out);
            }
        }
    }
}

/// The cluster being checked, for locating diagnostics.
struct Here<'a> {
    target: &'a str,
    stack: &'a Stack,
    block: &'a BlockView<'a>,
}

impl Here<'_> {
    fn diag(&self, field: &str, d: Diagnostic) -> Diagnostic {
        d.target(self.target)
            .stack(self.stack.name())
            .address(self.block.address())
            .field(field)
    }
}

const PUBLIC: &str = "vpc_config.endpoint_public_access";
const PRIVATE: &str = "vpc_config.endpoint_private_access";
const CIDRS: &str = "vpc_config.public_access_cidrs";

fn check_cluster(at: &Here<'_>, runner: &DeployRunner, deploys: bool, out: &mut Vec<Diagnostic>) {
    let body = at.block.body;
    // AWS defaults: public endpoint on, private endpoint off.
    let public = match boolean(body, PUBLIC) {
        Value::Absent => true,
        Value::Literal(b) => b,
        Value::Expr(_) => return,
    };
    let private = match boolean(body, PRIVATE) {
        Value::Absent => Some(false),
        Value::Literal(b) => Some(b),
        Value::Expr(_) => None,
    };
    if !public && private == Some(false) {
        out.push(at.diag(
            PUBLIC,
            Diagnostic::new(
                "both API endpoints of the cluster are off (endpoint_public_access and endpoint_private_access are false): nothing can reach it, and EKS refuses the configuration",
            ),
        ));
        return;
    }
    if !public {
        if let (true, DeployRunner::Outside { .. }) = (deploys, runner) {
            out.push(at.diag(PUBLIC, Diagnostic::new(
                "the cluster API endpoint is private only, but the target deploys Helm releases or Kubernetes manifests from a runner outside the VPC, which cannot reach it: declare a runner inside the VPC (DeployRunner::in_vpc) or enable the public endpoint restricted to the runner's CIDRs (public_access_cidrs)",
            )));
        }
        return;
    }
    check_public_cidrs(at, runner, out);
}

/// A public endpoint must name the CIDRs it accepts, none of them the whole internet,
/// and they must cover the runner's addresses when the runner declares them.
fn check_public_cidrs(at: &Here<'_>, runner: &DeployRunner, out: &mut Vec<Diagnostic>) {
    let cidrs = match strings(at.block.body, CIDRS) {
        Value::Expr(_) => return,
        Value::Absent => Vec::new(),
        Value::Literal(c) => c,
    };
    if cidrs.is_empty() || cidrs.iter().any(|c| is_open(c)) {
        let what = if cidrs.is_empty() {
            "is not set, so EKS opens the public API endpoint to 0.0.0.0/0"
        } else {
            "opens the public API endpoint to the whole internet"
        };
        out.push(at.diag(CIDRS, Diagnostic::new(format!(
            "public_access_cidrs {what}: restrict it to the deploy runner's and administrators' CIDRs (a variable such as var.cluster_admin_cidrs), or make the endpoint private and deploy from a runner inside the VPC"
        ))));
        return;
    }
    let DeployRunner::Outside { egress } = runner else {
        return;
    };
    let allowed: Vec<Ipv4Cidr> = cidrs
        .iter()
        .filter_map(|c| Ipv4Cidr::parse(c).ok())
        .collect();
    for e in egress {
        if !allowed.iter().any(|a| a.contains(e)) {
            out.push(at.diag(CIDRS, Diagnostic::new(format!(
                "the deploy runner connects from {e}, which public_access_cidrs ({}) does not include: helm and kubectl cannot reach the API",
                cidrs.join(", ")
            ))));
        }
    }
}

/// `0.0.0.0/0`, or any CIDR with prefix 0.
fn is_open(cidr: &str) -> bool {
    Ipv4Cidr::parse(cidr).is_ok_and(|c| c.prefix() == 0)
}
