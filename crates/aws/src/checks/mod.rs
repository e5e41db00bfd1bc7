//! AWS-side coherence rules ([`terrane_core::checks::Rule`]s), run at synth with every
//! other check. Each reads the target's Terraform blocks by type and body, so they
//! hold for constructs and hand-written blocks alike.
//!
//! | rule | type | what it reports |
//! |---|---|---|
//! | `aws/eks-version` | [`EksVersionSupport`] | an `aws_eks_cluster` `version` past the end of EKS support (error), in extended support or within 90 days of leaving standard support (warning), or not on the dated calendar [`EKS_VERSIONS`] (error) |
//! | `aws/deploy-path` | [`DeployPath`] | a private-only cluster endpoint the target deploys Helm releases or manifests to from outside the VPC (a CodeBuild project with `vpc_config` that an `aws_eks_access_entry` admits is a runner inside); such a project with no access entry; a public endpoint open to the internet or not covering the runner ([`DeployRunner`]) |
//! | `aws/name-collisions` | [`NameCollisions`] | one literal account-, region- or globally-scoped name ([`NAMED_TYPES`]) declared by two targets that share the scope, or twice in one target |
//! | `aws/literal-account-id` | [`LiteralAccountIds`] | a 12-digit account id written into an ARN, image URI or policy (warning) |
//!
//! [`register`] adds all four to an [`App`]:
//!
//! ```
//! use terrane_aws::checks::{register, AwsRules};
//! use terrane_core::App;
//! fn targets() -> App {
//!     App::new() // every target of the project
//! }
//! let mut app = targets();
//! register(&mut app, AwsRules::new(targets).account("eks-prod", "123456789012"));
//! ```

mod accounts;
mod body;
mod date;
mod deploy_path;
mod eks_versions;
mod name_scopes;
mod names;
mod vpc_runner;

#[cfg(all(test, feature = "default"))]
mod tests;

pub use accounts::LiteralAccountIds;
pub use date::{Clock, Date};
pub use deploy_path::{DeployPath, DeployRunner};
pub use eks_versions::{
    eks_version, EksVersion, EksVersionSupport, EKS_VERSIONS, WARN_DAYS_BEFORE_STANDARD_END,
};
pub use name_scopes::{named_type, NameScope, NamedType, NAMED_TYPES};
pub use names::NameCollisions;

use terrane_core::App;

/// What the AWS rules need to know about a project beyond its targets: where each
/// target deploys from and which account it is in.
pub struct AwsRules {
    clock: Clock,
    deploy: DeployPath,
    names: NameCollisions,
}

impl AwsRules {
    /// The rules for a project whose targets `targets` registers (the name-collision
    /// rule compares each target with all of them).
    pub fn new(targets: impl Fn() -> App + Send + Sync + 'static) -> Self {
        AwsRules {
            clock: Clock::System,
            deploy: DeployPath::new(),
            names: NameCollisions::new().peers(targets),
        }
    }
    /// Declares the account of a target whose `aws` providers have no
    /// `allowed_account_ids`.
    pub fn account(mut self, target: &str, account_id: &str) -> Self {
        self.names = self.names.account(target, account_id);
        self
    }
    /// Declares where a target's deploy steps run.
    pub fn deploy_runner(mut self, target: &str, runner: DeployRunner) -> Self {
        self.deploy = self.deploy.runner(target, runner);
        self
    }
    /// Another clock for the version calendar (a fixed day in tests).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// Adds every AWS rule to `app`, checked on each of its targets.
pub fn register(app: &mut App, rules: AwsRules) {
    app.rule(EksVersionSupport::new().clock(rules.clock));
    app.rule(rules.deploy);
    app.rule(rules.names);
    app.rule(LiteralAccountIds);
}
