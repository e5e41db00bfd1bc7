//! `DeployRunner`: a CodeBuild project inside a cluster's VPC that applies the stacks
//! which talk to the Kubernetes API (Helm releases) and `kubectl apply -k`s the
//! manifests, so the cluster's API endpoint can stay private.

mod buildspec;
mod iam;

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{Expr, Meta, Set, Stack, Value};

use super::{AwsAccount, Bucket, EksClusterHandle};
use crate::cloudwatch::CloudwatchLogGroup;
use crate::codebuild::{
    CodebuildProject, CodebuildProjectArgs, CodebuildProjectArtifacts, CodebuildProjectEnvironment,
    CodebuildProjectEnvironmentArgs, CodebuildProjectEnvironmentEnvironmentVariable,
    CodebuildProjectLogsConfig, CodebuildProjectLogsConfigCloudwatchLogs,
    CodebuildProjectLogsConfigS3Logs, CodebuildProjectRef, CodebuildProjectSource,
    CodebuildProjectVpcConfig, CodebuildProjectVpcConfigArgs,
};
use crate::eks::{
    EksAccessEntry, EksAccessPolicyAssociation, EksAccessPolicyAssociationAccessScope,
    EksAccessPolicyAssociationArgs,
};
use crate::iam::IamRoleRef;
use crate::vpc::{SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule};

pub use buildspec::{KUBECTL_VERSION, TERRAFORM_VERSION};

/// A deploy runner for an EKS cluster with a private API endpoint.
///
/// What it declares: an S3 bucket the deploy bundle (the synthesized `out/<target>/`
/// folder, zipped) is uploaded to; a CodeBuild project in the cluster's private subnets
/// whose build unpacks the bundle, `terraform apply`s the given stacks (the Helm
/// releases) and `kubectl apply -k`s the overlay; its security group (HTTPS out only)
/// and the rule letting it into the cluster's security group on 443; its IAM role,
/// limited to reading the target's Terraform state and writing the applied stacks'
/// state, reading the bundle, its log group and the network interfaces CodeBuild
/// creates in the VPC; an EKS access entry for that role with the cluster-admin access
/// policy (Helm installs CRDs, cluster roles and webhooks); and a log group kept a year.
/// Logs, bundle, build artifacts and cache are encrypted with the given KMS key.
/// Privileged mode (Docker in Docker) stays off.
///
/// The user deploys with `aws s3 cp <target>.zip s3://<bundle bucket>/<target>.zip`
/// then `aws codebuild start-build --project-name <name>` (the handle's getters).
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{AwsAccount, DeployRunner, EksCluster};
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("cluster");
/// let account = AwsAccount::current(&mut s);
/// let subnets = vec![Expr::<String>::raw("var.subnet_a").into()];
/// let eks = EksCluster::new("prod", subnets.clone(), Expr::<String>::raw("var.key")).add_to(&mut s);
/// let runner = DeployRunner::new("prod-deploy", "eks-prod", &eks, &account)
///     .network(Expr::<String>::raw("var.vpc_id"), subnets)
///     .kms_key(Expr::<String>::raw("var.key"))
///     .state("acme-terraform-state", "us-east-1")
///     .applies("platform")
///     .overlay("k8s/overlays/production")
///     .add_to(&mut s);
/// assert_eq!(runner.project_name().to_hcl(), "aws_codebuild_project.prod_deploy.name");
/// ```
#[derive(Debug, Clone)]
pub struct DeployRunner {
    name: String,
    target: String,
    cluster: EksClusterHandle,
    account: AwsAccount,
    vpc_id: Value<String>,
    subnet_ids: Vec<Value<String>>,
    kms_key_arn: Value<String>,
    bundle_bucket: String,
    state_bucket: String,
    state_region: String,
    stacks: Vec<String>,
    overlay: String,
    log_retention_days: u32,
    tags: BTreeMap<String, String>,
}

/// A declared [`DeployRunner`].
#[derive(Debug, Clone)]
pub struct DeployRunnerHandle {
    project: CodebuildProjectRef,
    role: IamRoleRef,
    bundle_bucket: Expr<String>,
}

impl DeployRunnerHandle {
    /// The CodeBuild project's name (`aws codebuild start-build --project-name`).
    pub fn project_name(&self) -> Expr<String> {
        self.project.name()
    }
    /// The role the builds run as (the EKS access entry's principal).
    pub fn role_arn(&self) -> Expr<String> {
        self.role.arn()
    }
    /// The bucket the deploy bundle is uploaded to.
    pub fn bundle_bucket(&self) -> Expr<String> {
        self.bundle_bucket.clone()
    }
}

impl DeployRunner {
    /// A runner named `name` deploying target `target` to `cluster` in `account`.
    /// Give it its network, key, state bucket, stacks and overlay before adding it.
    pub fn new(name: &str, target: &str, cluster: &EksClusterHandle, account: &AwsAccount) -> Self {
        DeployRunner {
            name: name.to_string(),
            target: target.to_string(),
            cluster: cluster.clone(),
            account: account.clone(),
            vpc_id: Value::Lit(String::new()),
            subnet_ids: Vec::new(),
            kms_key_arn: Value::Lit(String::new()),
            bundle_bucket: String::new(),
            state_bucket: String::new(),
            state_region: String::new(),
            stacks: Vec::new(),
            overlay: String::new(),
            log_retention_days: 365,
            tags: BTreeMap::new(),
        }
    }
    /// The VPC and the private subnets (routed to a NAT gateway) the builds run in.
    pub fn network(
        mut self,
        vpc_id: impl Into<Value<String>>,
        subnets: Vec<Value<String>>,
    ) -> Self {
        self.vpc_id = vpc_id.into();
        self.subnet_ids = subnets;
        self
    }
    /// The KMS key of the logs, the bundle and the build artifacts.
    pub fn kms_key(mut self, arn: impl Into<Value<String>>) -> Self {
        self.kms_key_arn = arn.into();
        self
    }
    /// The name of the bucket the deploy bundle is uploaded to (S3 names are global:
    /// prefix it with the organisation).
    pub fn bundle_bucket(mut self, name: &str) -> Self {
        self.bundle_bucket = name.to_string();
        self
    }
    /// The S3 bucket and region of the target's Terraform state (keys `<target>/<stack>.tfstate`).
    pub fn state(mut self, bucket: &str, region: &str) -> Self {
        self.state_bucket = bucket.to_string();
        self.state_region = region.to_string();
        self
    }
    /// A stack the runner applies (in call order); it may read every stack's state.
    pub fn applies(mut self, stack: &str) -> Self {
        self.stacks.push(stack.to_string());
        self
    }
    /// The kustomization folder inside the bundle the runner applies (`k8s/overlays/production`).
    pub fn overlay(mut self, dir: &str) -> Self {
        self.overlay = dir.to_string();
        self
    }
    /// Days the build logs are kept.
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_retention_days = days;
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }

    /// What is missing for the runner to work: `(field, message)`.
    fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.subnet_ids.is_empty() {
            out.push(("vpc_config.subnets", "the deploy runner has no subnets to run in: give the cluster's private subnets (DeployRunner::network)"));
        }
        if self.bundle_bucket.is_empty() {
            out.push((
                "source.location",
                "the deploy runner has no bundle bucket: name it (DeployRunner::bundle_bucket)",
            ));
        }
        if self.state_bucket.is_empty() {
            out.push(("service_role", "the deploy runner has no Terraform state bucket to read and write: give it (DeployRunner::state)"));
        }
        if self.stacks.is_empty() && self.overlay.is_empty() {
            out.push(("environment", "the deploy runner has nothing to deploy: give the stacks it applies (DeployRunner::applies) or an overlay (DeployRunner::overlay)"));
        }
        out
    }
}

impl Construct for DeployRunner {
    type Handle = DeployRunnerHandle;

    /// Adds the bundle bucket, log group, security group, role, project and access entry.
    fn add_to(self, stack: &mut Stack) -> DeployRunnerHandle {
        let id = block_name(&self.name);
        for (field, message) in self.problems() {
            stack.report(&format!("aws_codebuild_project.{id}"), field, message);
        }
        let tags = super::tags(&self.name, &self.tags);
        let bundle = Bucket::new(&self.bundle_bucket, self.kms_key_arn.clone())
            .tag("purpose", "deploy-bundles")
            .add_to(stack);
        let logs = stack.add(
            &id,
            CloudwatchLogGroup::new()
                .name(format!("/aws/codebuild/{}", self.name))
                .retention_in_days(self.log_retention_days)
                .kms_key_id(self.kms_key_arn.clone())
                .tags(tags.clone()),
        );
        let sg = self.declare_security_group(stack, &id, &tags);
        let (role, policy) = self.declare_role(stack, &id, &bundle.arn(), &logs.arn());
        let project = stack.add_with(
            &id,
            self.project(&role, &bundle.name(), &logs.name(), sg, &tags),
            // The role's policy must be in place before the first build starts.
            Meta::new().depends_on(&policy),
        );
        let entry = stack.add(
            &id,
            EksAccessEntry::new(self.cluster.name(), role.arn())
                .type_("STANDARD")
                .tags(tags.clone()),
        );
        stack.add_with(
            &id,
            EksAccessPolicyAssociation::new(EksAccessPolicyAssociationArgs {
                cluster_name: self.cluster.name().into(),
                policy_arn: self
                    .account
                    .eks_access_policy_arn("AmazonEKSClusterAdminPolicy")
                    .into(),
                principal_arn: role.arn().into(),
                access_scope: EksAccessPolicyAssociationAccessScope::new("cluster"),
            }),
            Meta::new().depends_on(&entry),
        );
        DeployRunnerHandle {
            project,
            role,
            bundle_bucket: bundle.name(),
        }
    }
}

impl DeployRunner {
    /// HTTPS out (AWS APIs, chart and binary downloads through the NAT gateway, the
    /// cluster endpoint in the VPC), and the cluster's security group letting it in on 443.
    fn declare_security_group(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
    ) -> Expr<String> {
        let sg = stack.add(
            id,
            SecurityGroup::new()
                .name(self.name.as_str())
                .description(format!("Deploy runner {}", self.name))
                .vpc_id(self.vpc_id.clone())
                .tags(tags.clone()),
        );
        stack.add(
            &format!("{id}_https_out"),
            VpcSecurityGroupEgressRule::new("tcp", sg.id())
                .description("HTTPS to the cluster API, AWS APIs and release downloads")
                .cidr_ipv4("0.0.0.0/0")
                .from_port(443)
                .to_port(443),
        );
        stack.add(
            &format!("{id}_to_cluster_api"),
            VpcSecurityGroupIngressRule::new("tcp", self.cluster.node_security_group_id())
                .description(format!("Kubernetes API from deploy runner {}", self.name))
                .referenced_security_group_id(sg.id())
                .from_port(443)
                .to_port(443),
        );
        sg.id()
    }

    fn project(
        &self,
        role: &IamRoleRef,
        bundle_bucket: &Expr<String>,
        log_group: &Expr<String>,
        security_group: Expr<String>,
        tags: &BTreeMap<String, String>,
    ) -> CodebuildProject {
        let vars = [
            ("TARGET", Value::Lit(self.target.clone())),
            ("CLUSTER_NAME", self.cluster.name().into()),
            ("APPLY_STACKS", Value::Lit(self.stacks.join(" "))),
            ("OVERLAY", Value::Lit(self.overlay.clone())),
        ];
        let mut environment = CodebuildProjectEnvironment::new(CodebuildProjectEnvironmentArgs {
            compute_type: "BUILD_GENERAL1_SMALL".into(),
            image: "aws/codebuild/amazonlinux-x86_64-standard:5.0".into(),
            type_: "LINUX_CONTAINER".into(),
        })
        .privileged_mode(false)
        .image_pull_credentials_type("CODEBUILD");
        for (name, value) in vars {
            environment = environment.environment_variable(
                CodebuildProjectEnvironmentEnvironmentVariable::new(name, value),
            );
        }
        CodebuildProject::new(CodebuildProjectArgs {
            name: self.name.as_str().into(),
            service_role: role.arn().into(),
            artifacts: CodebuildProjectArtifacts::new("NO_ARTIFACTS"),
            environment,
            source: CodebuildProjectSource::new("S3")
                .location(terrane_core::tmpl!("{}/{}.zip", bundle_bucket, self.target))
                .buildspec(buildspec::buildspec()),
        })
        .description(format!(
            "Applies {} and the Kubernetes manifests of {} from inside the VPC",
            self.stacks.join(", "),
            self.target
        ))
        .build_timeout(60)
        .queued_timeout(60)
        .concurrent_build_limit(1)
        .encryption_key(self.kms_key_arn.clone())
        .logs_config(
            CodebuildProjectLogsConfig::new()
                .cloudwatch_logs(
                    CodebuildProjectLogsConfigCloudwatchLogs::new()
                        .status("ENABLED")
                        .group_name(log_group.clone()),
                )
                .s3_logs(CodebuildProjectLogsConfigS3Logs::new().status("DISABLED")),
        )
        .vpc_config(CodebuildProjectVpcConfig::new(
            CodebuildProjectVpcConfigArgs {
                security_group_ids: Value::Lit(Set(vec![security_group.into()])),
                subnets: Value::Lit(Set(self.subnet_ids.clone())),
                vpc_id: self.vpc_id.clone(),
            },
        ))
        .tags(tags.clone())
    }
}
