//! `EksCluster`: a private EKS control plane with encrypted secrets, control-plane
//! logs, an OIDC provider for IRSA, managed add-ons and managed node groups.

mod addons;
mod control_plane;
mod controller_policies;
mod irsa;
mod node_group;

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{Expr, Set, Stack, Value};

use super::policy::{service_role, PolicyStatement};
use crate::eks::{EksClusterRef, EksNodeGroupRef};
use crate::iam::{IamOpenidConnectProviderRef, IamRoleRef};
pub use controller_policies::{
    cluster_autoscaler_statements, external_dns_statements, load_balancer_controller_statements,
};
use irsa::irsa_role;
pub use irsa::IrsaRole;
pub use node_group::{Capacity, NodeGroup, Taint};

/// An EKS cluster.
///
/// Defaults: Kubernetes 1.35 (in EKS standard support until 2027-03-27,
/// docs/facts/eks-versions.toml); private API endpoint only (a public endpoint must be
/// asked for with a CIDR list); Kubernetes secrets envelope-encrypted with the given
/// KMS key; all five control-plane log types to a log group kept a year; an IAM
/// OIDC provider for IRSA; the vpc-cni (network policy enforcement on), coredns,
/// kube-proxy, eks-pod-identity-agent and aws-ebs-csi-driver add-ons (the EBS driver
/// through its own IRSA role), each at EKS's default version for the cluster's
/// Kubernetes version; node groups rolled one node at a time and tagged for
/// cluster-autoscaler auto-discovery.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{EksCluster, NodeGroup};
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("cluster");
/// let subnets = vec![Expr::<String>::raw("var.subnet_a").into(), Expr::<String>::raw("var.subnet_b").into()];
/// let eks = EksCluster::new("prod", subnets, Expr::<String>::raw("var.key_arn"))
///     .node_group(NodeGroup::new("general", ["m6i.large"]))
///     .add_to(&mut s);
/// let role = eks.irsa_role(&mut s, "api", "shop", "api", &[], vec![]);
/// assert_eq!(role.arn().to_hcl(), "aws_iam_role.prod_irsa_api.arn");
/// ```
#[derive(Debug, Clone)]
pub struct EksCluster {
    name: String,
    version: String,
    subnet_ids: Vec<Value<String>>,
    kms_key_arn: Value<String>,
    public_access_cidrs: Option<Value<Set<String>>>,
    node_groups: Vec<NodeGroup>,
    log_retention_days: u32,
    tags: BTreeMap<String, String>,
}

/// A declared [`EksCluster`]: what workloads and other stacks need from it.
#[derive(Debug, Clone)]
pub struct EksClusterHandle {
    cluster: EksClusterRef,
    oidc: IamOpenidConnectProviderRef,
    node_role: IamRoleRef,
    node_groups: Vec<EksNodeGroupRef>,
    id: String,
    name: String,
}

impl EksClusterHandle {
    /// The cluster resource.
    pub fn cluster(&self) -> &EksClusterRef {
        &self.cluster
    }
    /// The IAM OIDC provider of the cluster's issuer.
    pub fn oidc(&self) -> &IamOpenidConnectProviderRef {
        &self.oidc
    }
    /// The role of the nodes.
    pub fn node_role(&self) -> &IamRoleRef {
        &self.node_role
    }
    /// The node groups, in declaration order.
    pub fn node_groups(&self) -> &[EksNodeGroupRef] {
        &self.node_groups
    }
    /// The cluster name.
    pub fn name(&self) -> Expr<String> {
        self.cluster.name()
    }
    /// The API server endpoint.
    pub fn endpoint(&self) -> Expr<String> {
        self.cluster.endpoint()
    }
    /// The cluster CA certificate (base64).
    pub fn certificate_authority_data(&self) -> Expr<String> {
        self.cluster.certificate_authority().at(0).data()
    }
    /// The security group EKS attaches to the control plane and managed nodes: what
    /// a database lets in.
    pub fn node_security_group_id(&self) -> Expr<String> {
        self.cluster.vpc_config().at(0).cluster_security_group_id()
    }
    /// The OIDC provider's ARN.
    pub fn oidc_provider_arn(&self) -> Expr<String> {
        self.oidc.arn()
    }
    /// An IAM role that only the service account `namespace/service_account` of this
    /// cluster can assume, with AWS-managed policies and inline statements.
    pub fn irsa_role(
        &self,
        stack: &mut Stack,
        name: &str,
        namespace: &str,
        service_account: &str,
        managed_policies: &[&str],
        statements: Vec<PolicyStatement>,
    ) -> IrsaRole {
        self.irsa_role_of_accounts(
            stack,
            name,
            namespace,
            &[service_account],
            managed_policies,
            statements,
        )
    }
    /// [`EksClusterHandle::irsa_role`] assumable by each of the service accounts
    /// `service_accounts` of `namespace`: workloads that act as one (a Celery
    /// worker per queue and its beat scheduler, each with a service account of its
    /// own).
    pub fn irsa_role_of_accounts(
        &self,
        stack: &mut Stack,
        name: &str,
        namespace: &str,
        service_accounts: &[&str],
        managed_policies: &[&str],
        statements: Vec<PolicyStatement>,
    ) -> IrsaRole {
        irsa_role(
            stack,
            &self.id,
            &self.name,
            &self.cluster,
            &self.oidc,
            (name, namespace, service_accounts),
            managed_policies,
            statements,
        )
    }
}

/// The Kubernetes version of a new cluster: the k8s-openapi pin (feature `v1_35`).
pub const DEFAULT_VERSION: &str = "1.35";

/// The prefix of AWS-managed IAM policies.
const AWS_POLICY: &str = "arn:aws:iam::aws:policy";

impl EksCluster {
    /// A cluster named `name` in the given (private) subnets, encrypting secrets with `kms_key_arn`.
    pub fn new(
        name: &str,
        subnet_ids: Vec<Value<String>>,
        kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        EksCluster {
            name: name.to_string(),
            version: DEFAULT_VERSION.into(),
            subnet_ids,
            kms_key_arn: kms_key_arn.into(),
            public_access_cidrs: None,
            node_groups: Vec::new(),
            log_retention_days: 365,
            tags: BTreeMap::new(),
        }
    }
    /// Kubernetes version.
    pub fn version(mut self, v: &str) -> Self {
        self.version = v.to_string();
        self
    }
    /// Opens the public API endpoint to these CIDRs only (the private endpoint stays
    /// on): a literal list or a variable, so deploy runners outside the VPC reach it.
    pub fn public_endpoint(mut self, cidrs: impl Into<Value<Set<String>>>) -> Self {
        self.public_access_cidrs = Some(cidrs.into());
        self
    }
    /// Adds a managed node group.
    pub fn node_group(mut self, g: NodeGroup) -> Self {
        self.node_groups.push(g);
        self
    }
    /// Days the control-plane logs are kept.
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_retention_days = days;
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
}

impl Construct for EksCluster {
    type Handle = EksClusterHandle;

    /// Adds the cluster, its roles, OIDC provider, add-ons and node groups.
    fn add_to(self, stack: &mut Stack) -> EksClusterHandle {
        let id = block_name(&self.name);
        let tags = super::tags(&self.name, &self.tags);
        let (cluster, oidc) = self.declare_control_plane(stack, &id, &tags);
        let node_role = service_role(
            stack,
            &format!("{id}_nodes"),
            &format!("{}-eks-nodes", self.name),
            "ec2.amazonaws.com",
            &[
                &format!("{AWS_POLICY}/AmazonEKSWorkerNodePolicy"),
                &format!("{AWS_POLICY}/AmazonEKS_CNI_Policy"),
                &format!("{AWS_POLICY}/AmazonEC2ContainerRegistryReadOnly"),
            ],
        );
        let node_groups = self.declare_node_groups(stack, &id, &cluster, &node_role);
        self.declare_addons(stack, &id, &tags, (&cluster, &oidc), &node_groups);
        EksClusterHandle {
            cluster,
            oidc,
            node_role,
            node_groups,
            id,
            name: self.name,
        }
    }
}
