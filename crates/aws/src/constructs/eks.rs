//! `EksCluster`: a private EKS control plane with encrypted secrets, control-plane
//! logs, an OIDC provider for IRSA, managed add-ons and managed node groups.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{func, tmpl, Expr, Meta, Number, Set, Stack, Value};

use super::policy::{policy_document, service_role, PolicyStatement};
use crate::cloudwatch::CloudwatchLogGroup;
use crate::eks::{
    EksAddon, EksCluster as EksClusterResource, EksClusterAccessConfig, EksClusterArgs,
    EksClusterEncryptionConfig, EksClusterEncryptionConfigProvider, EksClusterRef,
    EksClusterVpcConfig, EksNodeGroup, EksNodeGroupArgs, EksNodeGroupRef,
    EksNodeGroupScalingConfig, EksNodeGroupScalingConfigArgs, EksNodeGroupTaint,
    EksNodeGroupUpdateConfig,
};
use crate::iam::{
    IamOpenidConnectProvider, IamOpenidConnectProviderRef, IamRole, IamRolePolicy,
    IamRolePolicyAttachment, IamRoleRef,
};

/// On-demand or spot capacity for a node group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// On-demand instances.
    OnDemand,
    /// Spot instances (cheaper, may be reclaimed).
    Spot,
}

/// A Kubernetes taint on every node of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    /// Taint key.
    pub key: String,
    /// Taint value.
    pub value: String,
    /// `NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`.
    pub effect: String,
}

impl Taint {
    /// A `NO_SCHEDULE` taint: only pods that tolerate it are scheduled on the nodes.
    pub fn no_schedule(key: &str, value: &str) -> Self {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: "NO_SCHEDULE".into(),
        }
    }
}

/// A managed node group.
///
/// ```
/// use terrane_aws::constructs::NodeGroup;
/// let gpu = NodeGroup::gpu("gpu", ["g5.xlarge"]).scaling(0, 0, 4);
/// let spot = NodeGroup::new("workers", ["m6i.large", "m5.large"]).spot().scaling(1, 3, 10);
/// ```
#[derive(Debug, Clone)]
pub struct NodeGroup {
    name: String,
    instance_types: Vec<String>,
    capacity: Capacity,
    min: u32,
    desired: u32,
    max: u32,
    disk_size: u32,
    ami_type: String,
    labels: BTreeMap<String, String>,
    taints: Vec<Taint>,
}

impl NodeGroup {
    /// An on-demand group of general-purpose nodes, scaling 1..3 (desired 2).
    pub fn new<S: Into<String>>(name: &str, instance_types: impl IntoIterator<Item = S>) -> Self {
        let mut labels = BTreeMap::new();
        labels.insert("node-group".to_string(), name.to_string());
        NodeGroup {
            name: name.to_string(),
            instance_types: instance_types.into_iter().map(Into::into).collect(),
            capacity: Capacity::OnDemand,
            min: 1,
            desired: 2,
            max: 3,
            disk_size: 50,
            ami_type: "AL2023_x86_64_STANDARD".into(),
            labels,
            taints: Vec::new(),
        }
    }
    /// A GPU group: NVIDIA AMI, `accelerator=nvidia` label and a `nvidia.com/gpu`
    /// `NO_SCHEDULE` taint so only GPU workloads land there; scales from zero.
    pub fn gpu<S: Into<String>>(name: &str, instance_types: impl IntoIterator<Item = S>) -> Self {
        let mut g = Self::new(name, instance_types);
        g.ami_type = "AL2023_x86_64_NVIDIA".into();
        g.labels.insert("accelerator".into(), "nvidia".into());
        g.taints.push(Taint::no_schedule("nvidia.com/gpu", "true"));
        g.min = 0;
        g.desired = 0;
        g.disk_size = 100;
        g
    }
    /// Spot capacity.
    pub fn spot(mut self) -> Self {
        self.capacity = Capacity::Spot;
        self
    }
    /// Minimum, desired and maximum node counts.
    pub fn scaling(mut self, min: u32, desired: u32, max: u32) -> Self {
        self.min = min;
        self.desired = desired;
        self.max = max;
        self
    }
    /// Root volume size in GiB.
    pub fn disk_size(mut self, gib: u32) -> Self {
        self.disk_size = gib;
        self
    }
    /// Adds a Kubernetes label.
    pub fn label(mut self, k: &str, v: &str) -> Self {
        self.labels.insert(k.into(), v.into());
        self
    }
    /// Adds a taint.
    pub fn taint(mut self, t: Taint) -> Self {
        self.taints.push(t);
        self
    }
    /// The capacity type.
    pub fn capacity(&self) -> Capacity {
        self.capacity
    }
    /// The group's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// An EKS cluster.
///
/// Defaults: Kubernetes 1.31; private API endpoint only (a public endpoint must be
/// asked for with a CIDR list); Kubernetes secrets envelope-encrypted with the given
/// KMS key; all five control-plane log types to a log group kept a year; an IAM
/// OIDC provider for IRSA; the vpc-cni, coredns, kube-proxy and aws-ebs-csi-driver
/// add-ons (the EBS driver through its own IRSA role); node groups rolled one node
/// at a time.
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
    public_access_cidrs: Option<Vec<String>>,
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

/// An IAM role for a Kubernetes service account (IRSA).
#[derive(Debug, Clone)]
pub struct IrsaRole {
    role: IamRoleRef,
}

impl IrsaRole {
    /// The role.
    pub fn role(&self) -> &IamRoleRef {
        &self.role
    }
    /// The ARN the ServiceAccount annotates (`eks.amazonaws.com/role-arn`).
    pub fn arn(&self) -> Expr<String> {
        self.role.arn()
    }
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
        irsa_role(
            stack,
            &self.id,
            &self.name,
            &self.cluster,
            &self.oidc,
            (name, namespace, service_account),
            managed_policies,
            statements,
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn irsa_role(
    stack: &mut Stack,
    cluster_id: &str,
    cluster_name: &str,
    cluster: &EksClusterRef,
    oidc: &IamOpenidConnectProviderRef,
    (name, namespace, service_account): (&str, &str, &str),
    managed_policies: &[&str],
    statements: Vec<PolicyStatement>,
) -> IrsaRole {
    let id = format!("{cluster_id}_irsa_{}", block_name(name));
    let issuer = func::replace(
        cluster.identity().at(0).oidc().at(0).issuer(),
        "https://",
        "",
    );
    let trust = policy_document(
        stack,
        &format!("{id}_assume"),
        &[PolicyStatement::allow(["sts:AssumeRoleWithWebIdentity"])
            .principal("Federated", oidc.arn())
            .condition(
                "StringEquals",
                tmpl!("{}:sub", issuer),
                vec![format!("system:serviceaccount:{namespace}:{service_account}").into()],
            )
            .condition(
                "StringEquals",
                tmpl!("{}:aud", issuer),
                vec!["sts.amazonaws.com".into()],
            )],
    );
    let role = stack.add(
        &id,
        IamRole::new(trust)
            .name(format!("{cluster_name}-{name}"))
            .description(format!(
                "IRSA role of {namespace}/{service_account} on EKS cluster {cluster_name}"
            )),
    );
    for (i, arn) in managed_policies.iter().enumerate() {
        stack.add(
            &format!("{id}_{i}"),
            IamRolePolicyAttachment::new(*arn, role.name()),
        );
    }
    if !statements.is_empty() {
        let doc = policy_document(stack, &format!("{id}_inline"), &statements);
        stack.add(&id, IamRolePolicy::new(doc, role.id()).name(name));
    }
    IrsaRole { role }
}

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
            version: "1.31".into(),
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
    /// Opens the public API endpoint to these CIDRs only (the private endpoint stays on).
    pub fn public_endpoint<S: Into<String>>(mut self, cidrs: impl IntoIterator<Item = S>) -> Self {
        self.public_access_cidrs = Some(cidrs.into_iter().map(Into::into).collect());
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
        let cluster_role = service_role(
            stack,
            &format!("{id}_cluster"),
            &format!("{}-eks-cluster", self.name),
            "eks.amazonaws.com",
            &[&format!("{AWS_POLICY}/AmazonEKSClusterPolicy")],
        );
        // Envelope encryption of secrets runs as the cluster role: it needs the key.
        let key_use = policy_document(
            stack,
            &format!("{id}_cluster_kms"),
            &[PolicyStatement::allow([
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ListGrants",
                "kms:DescribeKey",
            ])
            .resource(self.kms_key_arn.clone())],
        );
        stack.add(
            &format!("{id}_cluster_kms"),
            IamRolePolicy::new(key_use, cluster_role.id()).name("secrets-encryption"),
        );
        let logs = stack.add(
            &format!("{id}_control_plane"),
            CloudwatchLogGroup::new()
                .name(format!("/aws/eks/{}/cluster", self.name))
                .retention_in_days(self.log_retention_days)
                .kms_key_id(self.kms_key_arn.clone())
                .tags(tags.clone()),
        );
        let mut vpc = EksClusterVpcConfig::new(Value::Lit(Set(self.subnet_ids.clone())))
            .endpoint_private_access(true)
            .endpoint_public_access(self.public_access_cidrs.is_some());
        if let Some(cidrs) = &self.public_access_cidrs {
            vpc = vpc.public_access_cidrs(cidrs.clone());
        }
        let cluster = stack.add_with(
            &id,
            EksClusterResource::new(EksClusterArgs {
                name: self.name.as_str().into(),
                role_arn: cluster_role.arn().into(),
                vpc_config: vpc,
            })
            .version(self.version.as_str())
            .enabled_cluster_log_types(vec![
                "api",
                "audit",
                "authenticator",
                "controllerManager",
                "scheduler",
            ])
            .encryption_config(EksClusterEncryptionConfig::new(
                vec!["secrets"],
                EksClusterEncryptionConfigProvider::new(self.kms_key_arn.clone()),
            ))
            .access_config(
                EksClusterAccessConfig::new()
                    .authentication_mode("API")
                    .bootstrap_cluster_creator_admin_permissions(true),
            )
            .tags(tags.clone()),
            Meta::new().depends_on(&logs),
        );
        let oidc = stack.add(
            &id,
            IamOpenidConnectProvider::new(
                vec!["sts.amazonaws.com"],
                cluster.identity().at(0).oidc().at(0).issuer(),
            )
            .tags(tags.clone()),
        );

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

        let mut node_groups = Vec::new();
        for g in &self.node_groups {
            let gid = format!("{id}_{}", block_name(&g.name));
            let addr = address("aws_eks_node_group", &format!("{}_{}", self.name, g.name));
            if g.min > g.max {
                stack.report(
                    &addr,
                    "scaling_config.min_size",
                    format!(
                        "node group `{}`: min size {} is above max size {}",
                        g.name, g.min, g.max
                    ),
                );
            } else if g.desired < g.min || g.desired > g.max {
                stack.report(
                    &addr,
                    "scaling_config.desired_size",
                    format!(
                        "node group `{}`: desired size {} is outside min {} .. max {}",
                        g.name, g.desired, g.min, g.max
                    ),
                );
            }
            if g.max == 0 {
                stack.report(
                    &addr,
                    "scaling_config.max_size",
                    format!("node group `{}`: max size must be at least 1", g.name),
                );
            }
            let mut ng = EksNodeGroup::new(EksNodeGroupArgs {
                cluster_name: cluster.name().into(),
                node_role_arn: node_role.arn().into(),
                subnet_ids: Value::Lit(Set(self.subnet_ids.clone())),
                scaling_config: EksNodeGroupScalingConfig::new(EksNodeGroupScalingConfigArgs {
                    desired_size: Number::from(g.desired).into(),
                    max_size: Number::from(g.max).into(),
                    min_size: Number::from(g.min).into(),
                }),
            })
            .node_group_name(g.name.as_str())
            .instance_types(g.instance_types.clone())
            .capacity_type(match g.capacity {
                Capacity::OnDemand => "ON_DEMAND",
                Capacity::Spot => "SPOT",
            })
            .ami_type(g.ami_type.as_str())
            .disk_size(g.disk_size)
            .labels(g.labels.clone())
            .update_config(EksNodeGroupUpdateConfig::new().max_unavailable(1))
            .tags(super::tags(
                &format!("{}-{}", self.name, g.name),
                &self.tags,
            ));
            for t in &g.taints {
                ng = ng.taint(
                    EksNodeGroupTaint::new(t.effect.as_str(), t.key.as_str())
                        .value(t.value.as_str()),
                );
            }
            // Desired size is owned by the cluster autoscaler once running.
            node_groups.push(
                stack.add_with(
                    &gid,
                    ng,
                    Meta::new().lifecycle(
                        terrane_core::Lifecycle::new()
                            .ignore_changes(["scaling_config[0].desired_size"]),
                    ),
                ),
            );
        }

        // add-ons, after the nodes they run on
        let ebs = irsa_role(
            stack,
            &id,
            &self.name,
            &cluster,
            &oidc,
            ("ebs-csi", "kube-system", "ebs-csi-controller-sa"),
            &[&format!(
                "{AWS_POLICY}/service-role/AmazonEBSCSIDriverPolicy"
            )],
            vec![],
        );
        for addon in ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"] {
            let mut a = EksAddon::new(addon, cluster.name())
                .resolve_conflicts_on_create("OVERWRITE")
                .resolve_conflicts_on_update("PRESERVE")
                .tags(tags.clone());
            if addon == "aws-ebs-csi-driver" {
                a = a.service_account_role_arn(ebs.arn());
            }
            let mut meta = Meta::new();
            if addon == "coredns" || addon == "aws-ebs-csi-driver" {
                for ng in &node_groups {
                    meta = meta.depends_on(ng);
                }
            }
            stack.add_with(&format!("{id}_{}", block_name(addon)), a, meta);
        }

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

impl NodeGroup {
    /// Scaling as (min, desired, max).
    pub fn scaling_counts(&self) -> (u32, u32, u32) {
        (self.min, self.desired, self.max)
    }
}
