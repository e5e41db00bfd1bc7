//! The IAM role of a [`DeployRunner`]: what its builds may do, and nothing more.

use terrane_core::{tmpl, Expr, Stack, Value};

use super::DeployRunner;
use crate::constructs::policy::{assume_role_policy, policy_document, PolicyStatement};
use crate::iam::{IamRole, IamRolePolicy, IamRolePolicyRef, IamRoleRef};

impl DeployRunner {
    /// The role CodeBuild assumes for this project only, and its inline policy.
    pub(super) fn declare_role(
        &self,
        stack: &mut Stack,
        id: &str,
        bundle_arn: &Expr<String>,
        log_group_arn: &Expr<String>,
    ) -> (IamRoleRef, IamRolePolicyRef) {
        let trust = assume_role_policy(stack, &format!("{id}_assume"), "codebuild.amazonaws.com");
        let role = stack.add(
            id,
            IamRole::new(trust)
                .name(self.name.as_str())
                .description(format!("Deploy runner {} (CodeBuild)", self.name)),
        );
        let doc = policy_document(stack, id, &self.statements(bundle_arn, log_group_arn));
        let policy = stack.add(id, IamRolePolicy::new(doc, role.id()).name("deploy"));
        (role, policy)
    }

    fn statements(
        &self,
        bundle_arn: &Expr<String>,
        log_group_arn: &Expr<String>,
    ) -> Vec<PolicyStatement> {
        let partition = self.account.partition();
        let state = |key: &str| -> Value<String> {
            tmpl!(
                "arn:{}:s3:::{}/{}/{}",
                partition,
                self.state_bucket,
                self.target,
                key
            )
            .into()
        };
        let mut write_state = PolicyStatement::allow(["s3:PutObject", "s3:DeleteObject"])
            .sid("WriteAppliedStacksState");
        for s in &self.stacks {
            // The state and the S3-native lock file (use_lockfile) of each applied stack.
            write_state = write_state
                .resource(state(&format!("{s}.tfstate")))
                .resource(state(&format!("{s}.tfstate.tflock")));
        }
        let mut statements = vec![
            PolicyStatement::allow(["s3:ListBucket"])
                .sid("ListTargetState")
                .resource(tmpl!("arn:{}:s3:::{}", partition, self.state_bucket))
                .condition(
                    "StringLike",
                    "s3:prefix",
                    vec![Value::Lit(format!("{}/*", self.target))],
                ),
            PolicyStatement::allow(["s3:GetObject"])
                .sid("ReadTargetState")
                .resource(state("*")),
            PolicyStatement::allow(["s3:GetObject", "s3:GetObjectVersion"])
                .sid("ReadBundle")
                .resource(tmpl!("{}/{}.zip", bundle_arn, self.target)),
            PolicyStatement::allow(["s3:GetBucketLocation", "s3:GetBucketAcl"])
                .sid("BundleBucket")
                .resource(bundle_arn.clone()),
            // The state bucket's key (a bootstrap target's), used only through S3.
            PolicyStatement::allow(["kms:Decrypt", "kms:GenerateDataKey"])
                .sid("StateEncryptionThroughS3")
                .resource(tmpl!(
                    "arn:{}:kms:{}:{}:key/*",
                    partition,
                    self.state_region,
                    self.account.account_id()
                ))
                .condition(
                    "StringEquals",
                    "kms:ViaService",
                    vec![Value::Lit(format!(
                        "s3.{}.amazonaws.com",
                        self.state_region
                    ))],
                ),
            PolicyStatement::allow([
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKey*",
                "kms:DescribeKey",
            ])
            .sid("BundleLogsAndArtifactsKey")
            .resource(self.kms_key_arn.clone()),
            PolicyStatement::allow(["logs:CreateLogStream", "logs:PutLogEvents"])
                .sid("BuildLogs")
                .resource(tmpl!("{}:*", log_group_arn)),
            PolicyStatement::allow(["eks:DescribeCluster"])
                .sid("Kubeconfig")
                .resource(self.cluster.cluster().arn()),
        ];
        if !self.stacks.is_empty() {
            statements.push(write_state);
        }
        statements.extend(self.network_interface_statements());
        statements
    }

    /// What CodeBuild needs to run a build in the VPC: it creates, describes and
    /// deletes a network interface in the given subnets (AWS CodeBuild user guide,
    /// "Allow CodeBuild access to AWS services required to create a VPC network interface").
    fn network_interface_statements(&self) -> Vec<PolicyStatement> {
        let ec2 = |resource: &str| self.account.arn("ec2", resource);
        let mut permission = PolicyStatement::allow(["ec2:CreateNetworkInterfacePermission"])
            .sid("AttachBuildInterface")
            .resource(ec2("network-interface/*"))
            .condition(
                "StringEquals",
                "ec2:AuthorizedService",
                vec![Value::Lit("codebuild.amazonaws.com".into())],
            );
        let subnet_arns: Vec<Value<String>> = self
            .subnet_ids
            .iter()
            .map(|s| {
                tmpl!(
                    "arn:{}:ec2:{}:{}:subnet/{}",
                    self.account.partition(),
                    self.account.region(),
                    self.account.account_id(),
                    s
                )
                .into()
            })
            .collect();
        permission = permission.condition("ArnEquals", "ec2:Subnet", subnet_arns);
        vec![
            // Describe calls take no resource ARN.
            PolicyStatement::allow([
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
            ])
            .sid("DescribeNetwork")
            .resource("*"),
            PolicyStatement::allow(["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"])
                .sid("BuildInterface")
                .resource(ec2("network-interface/*"))
                .resource(ec2("subnet/*"))
                .resource(ec2("security-group/*")),
            permission,
        ]
    }
}
