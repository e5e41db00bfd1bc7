//! Tests of the AWS rules on small programs: each rule's failing inputs with their
//! exact messages, and inputs that pass.

mod accounts;
mod deploy;
mod names;
mod versions;

use terrane_core::{App, Diagnostic, Error, FileSet, FileSetContext, Stack, Target};

use crate::eks::{EksCluster, EksClusterArgs, EksClusterVpcConfig};
use crate::AwsProvider;

/// The lines a synth reports: its errors and warnings, or its warnings when it passes.
pub(super) fn report(app: &App, target: &str) -> Vec<String> {
    match app.synth(target) {
        Ok(s) => s.warnings.iter().map(Diagnostic::to_string).collect(),
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => panic!("{e}"),
    }
}

/// A stack with the default `aws` provider in `region`.
pub(super) fn aws_stack(name: &str, region: &str) -> Stack {
    let mut s = Stack::new(name);
    s.provider(AwsProvider::new().region(region));
    s
}

/// A cluster named `name` on `version` with the given endpoint configuration.
pub(super) fn cluster(name: &str, version: &str, vpc: EksClusterVpcConfig) -> EksCluster {
    EksCluster::new(EksClusterArgs {
        name: name.into(),
        role_arn: "${aws_iam_role.cluster.arn}".into(),
        vpc_config: vpc,
    })
    .version(version)
}

/// The VPC configuration of a cluster in two made-up subnets.
pub(super) fn vpc() -> EksClusterVpcConfig {
    EksClusterVpcConfig::new(["subnet-a", "subnet-b"])
}

/// One Kubernetes manifest under `k8s/base/`.
pub(super) struct Manifest(pub &'static str);

impl FileSet for Manifest {
    fn dir(&self) -> &str {
        "k8s"
    }
    fn render(
        &self,
        _ctx: &mut FileSetContext<'_>,
    ) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
        Ok(vec![("base/app.yaml".to_string(), self.0.to_string())])
    }
}

/// An app with one target `dev` built by `build`.
pub(super) fn one_target(build: impl Fn(&mut Target) + Send + Sync + 'static) -> App {
    let mut app = App::new();
    app.target("dev", "test", build);
    app
}
