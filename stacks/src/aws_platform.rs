//! The AWS platform of the SaaS API: `eks-prod` and `eks-staging` (one program, two
//! settings), and `fargate-prod`, the smaller path without Kubernetes.

mod eks;
mod fargate;
mod state;

use std::collections::BTreeMap;

use terrane_aws::constructs::{Alarms, AwsAccount, Budget, KmsKey, Vpc, VpcHandle};
use terrane_aws::{AwsProvider, AwsProviderDefaultTags};
use terrane_core::construct::Construct;
use terrane_core::{App, Backend, Expr, ProviderRef, Stack};

pub use eks::{
    add_eks_with_workloads, build_eks, eks_prod, eks_staging, EksEnv, EksWorkloadValues,
};
pub use fargate::{build_fargate, fargate_prod, fargate_staging, FargateEnv};
pub use state::{aws_state, build_state, StateEnv};

/// What every AWS environment of the platform has, whatever runs in it.
struct Environment<'a> {
    /// The target's name (the state key prefix).
    target: &'a str,
    /// Environment name, the prefix of every name.
    name: &'a str,
    /// The only account the stacks may be applied to (the provider refuses any other);
    /// ARNs and policies read the account from the credentials, never from this.
    account_id: &'a str,
    region: &'a str,
    state_bucket: &'a str,
    alert_email: &'a str,
    budget_usd: u64,
}

impl Environment<'_> {
    /// An empty stack of this environment with its S3 state and, unless it only holds
    /// helm releases, the AWS provider.
    fn stack(&self, name: &str) -> Stack {
        let mut s = new_stack(self.target, name, self.state_bucket);
        provider(&mut s, self.name, self.account_id, self.region, None);
        s
    }

    /// The `network` stack: its KMS key and `vpc` with flow logs encrypted by it.
    fn network(&self, vpc: Vpc) -> (Stack, VpcHandle) {
        let n = self.name;
        let mut network = self.stack("network");
        let account = AwsAccount::current(&mut network);
        let key = KmsKey::new(&format!("{n}-network"), &account).add_to(&mut network);
        let vpc = vpc.flow_log_key(key.arn()).add_to(&mut network);
        (network, vpc)
    }

    /// The `observability` stack: alarms on the database (and the load balancer, if
    /// any) and the monthly budget, both notifying the alert address through one
    /// encrypted topic.
    fn observability(&self, db_identifier: Expr<String>, alb: Option<Expr<String>>) -> Stack {
        self.observability_with(db_identifier, alb, |alarms| alarms)
    }

    /// [`Environment::observability`] with more resources watched by `watch`.
    fn observability_with(
        &self,
        db_identifier: Expr<String>,
        alb: Option<Expr<String>>,
        watch: impl FnOnce(Alarms) -> Alarms,
    ) -> Stack {
        let n = self.name;
        let mut observability = self.stack("observability");
        let account = AwsAccount::current(&mut observability);
        let alarms_key = KmsKey::new(&format!("{n}-alarms"), &account)
            .allow_service("cloudwatch.amazonaws.com")
            .allow_service("budgets.amazonaws.com")
            .add_to(&mut observability);
        let mut alarms = Alarms::new(n, &account, self.region, alarms_key.arn())
            .email(self.alert_email)
            .rds(db_identifier);
        if let Some(arn_suffix) = alb {
            alarms = alarms.alb(arn_suffix);
        }
        let topic = watch(alarms).add_to(&mut observability);
        Budget::new(&format!("{n}-monthly"), self.budget_usd)
            .email(self.alert_email)
            .sns_topic(topic.arn())
            .add_to(&mut observability);
        observability
    }
}

fn provider(
    stack: &mut Stack,
    env_name: &str,
    account_id: &str,
    region: &str,
    alias: Option<&str>,
) -> ProviderRef {
    let mut tags = BTreeMap::new();
    tags.insert("environment", env_name);
    tags.insert("managed-by", "terrane");
    let mut p = AwsProvider::new()
        .region(region)
        .allowed_account_ids(vec![account_id])
        .default_tags(AwsProviderDefaultTags::new().tags(tags));
    if let Some(a) = alias {
        p = p.alias(a);
    }
    stack.provider(p)
}

/// The region of the Terraform state bucket every AWS target's backend uses.
const STATE_REGION: &str = "us-east-1";

/// The terraform versions the AWS stacks accept: S3 lock files (`use_lockfile`)
/// arrived in 1.10, write-only arguments (secrets that never reach state) in 1.11.
const REQUIRED_TERRAFORM: &str = ">= 1.11.0, < 2.0.0";

fn new_stack(target: &str, name: &str, state_bucket: &str) -> Stack {
    let mut s = Stack::new(name);
    s.required_version(REQUIRED_TERRAFORM);
    s.backend(Backend::s3(
        state_bucket,
        &format!("{target}/{name}.tfstate"),
        STATE_REGION,
    ));
    s
}

/// Registers the AWS targets.
pub fn register(app: &mut App) {
    app.target(
        "aws-state",
        "Bootstrap: the S3 bucket (versioned, KMS-encrypted, private) holding the AWS targets' Terraform state",
        |t| build_state(t, &aws_state()),
    );
    app.target(
        "eks-prod",
        "AWS production on EKS: network, cluster, data, platform, observability (us-east-1, backups to us-west-2)",
        |t| add_eks_with_workloads(t, &eks_prod()),
    );
    app.target(
        "eks-staging",
        "AWS staging on EKS: 2 zones, one NAT, single-AZ database, spot nodes",
        |t| add_eks_with_workloads(t, &eks_staging()),
    );
    app.target(
        "fargate-prod",
        "AWS production on ECS Fargate behind an ALB, with RDS, Secrets Manager, alarms and a budget",
        |t| build_fargate(t, &fargate_prod()),
    );
    app.target(
        "fargate-staging",
        "AWS staging on ECS Fargate: the fargate-prod program with smaller values (one NAT, one task, a small database)",
        |t| build_fargate(t, &fargate_staging()),
    );
}
