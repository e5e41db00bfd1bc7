//! `aws-state`: the bootstrap target that creates the S3 bucket every AWS target's
//! `s3` backend keeps its state in (versioned, SSE-KMS with its own key, every public
//! access blocked; the backends lock with S3 lock files, `use_lockfile`).
//!
//! Its own state cannot live in the bucket it creates: the `state` stack has the local
//! backend. Apply it once per account, keep `terraform.tfstate` safe (or move it into
//! the bucket afterwards with an `s3` backend block and `terraform init -migrate-state`).

use terrane_aws::constructs::{AwsAccount, Bucket, KmsKey};
use terrane_core::construct::Construct;
use terrane_core::{Output, Stack, Target};

use super::{provider, REQUIRED_TERRAFORM, STATE_REGION};

/// The account and bucket of the Terraform state.
#[derive(Debug, Clone)]
pub struct StateEnv {
    /// The account the bucket lives in (the AWS targets' account).
    pub account_id: &'static str,
    /// The bucket every AWS target's backend names.
    pub bucket: &'static str,
}

/// The state of `eks-prod`, `eks-staging`, `fargate-prod` and `fargate-staging` (one
/// account).
pub fn aws_state() -> StateEnv {
    StateEnv {
        account_id: super::eks_prod().account_id,
        bucket: super::eks_prod().state_bucket,
    }
}

/// Builds the `state` stack into `t`.
pub fn build_state(t: &mut Target, env: &StateEnv) {
    let mut s = Stack::new("state");
    s.required_version(REQUIRED_TERRAFORM);
    provider(&mut s, "shared", env.account_id, STATE_REGION, None);
    let account = AwsAccount::current(&mut s);
    let key = KmsKey::new("terraform-state", &account).add_to(&mut s);
    let bucket = Bucket::new(env.bucket, key.arn())
        .tag("purpose", "terraform-state")
        .add_to(&mut s);
    for (name, value, description) in [
        (
            "bucket",
            bucket.name(),
            "Bucket of the AWS targets' Terraform state",
        ),
        (
            "kms_key_arn",
            key.arn(),
            "Key the state objects are encrypted with",
        ),
    ] {
        s.output(name, Output::new(value).description(description));
    }
    t.add_stack(s);
}
