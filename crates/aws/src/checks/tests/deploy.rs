//! `aws/deploy-path`: private endpoints need a runner in the VPC when the target
//! deploys to the cluster; public endpoints need CIDRs that are not the internet and
//! that cover the runner.

use super::{aws_stack, cluster, one_target, report, vpc, Manifest};
use crate::checks::{DeployPath, DeployRunner};
use crate::eks::EksClusterVpcConfig;
use crate::helm::HelmProvider;
use crate::helm::Release;
use terrane_core::construct::Ipv4Cidr;
use terrane_core::{App, Set, Target, Variable};

/// A target `dev` with one cluster; with a Helm release when `helm`, with a manifest
/// when `manifests`.
fn app(vpc: fn() -> EksClusterVpcConfig, helm: bool, manifests: bool, rule: DeployPath) -> App {
    let mut app = one_target(move |t: &mut Target| {
        let mut s = aws_stack("cluster", "us-east-1");
        s.add("main", cluster("dev", "1.35", vpc()));
        t.add_stack(s);
        if helm {
            let mut p = aws_stack("platform", "us-east-1");
            p.provider(HelmProvider::new());
            p.add("ingress", Release::new("ingress-nginx", "ingress-nginx"));
            t.add_stack(p);
        }
        if manifests {
            t.add_files(Manifest(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
            ));
        }
    });
    app.rule(rule);
    app
}

fn private_only() -> EksClusterVpcConfig {
    vpc()
        .endpoint_private_access(true)
        .endpoint_public_access(false)
}

const PRIVATE_FROM_OUTSIDE: &str = "error: [dev/cluster] aws_eks_cluster.main: vpc_config.endpoint_public_access: the cluster API endpoint is private only, but the target deploys Helm releases or Kubernetes manifests from a runner outside the VPC, which cannot reach it: declare a runner inside the VPC (DeployRunner::in_vpc) or enable the public endpoint restricted to the runner's CIDRs (public_access_cidrs)";

#[test]
fn a_private_endpoint_deployed_to_from_outside_the_vpc_is_an_error() {
    let helm = app(private_only, true, false, DeployPath::new());
    assert_eq!(report(&helm, "dev"), [PRIVATE_FROM_OUTSIDE]);
    let kubectl = app(private_only, false, true, DeployPath::new());
    assert_eq!(report(&kubectl, "dev"), [PRIVATE_FROM_OUTSIDE]);
    let declared_outside = DeployPath::new().runner("dev", DeployRunner::outside([]));
    assert_eq!(
        report(&app(private_only, true, true, declared_outside), "dev"),
        [PRIVATE_FROM_OUTSIDE]
    );
}

#[test]
fn a_private_endpoint_passes_with_a_runner_in_the_vpc_or_nothing_to_deploy() {
    let runner = DeployPath::new().runner("dev", DeployRunner::in_vpc("CodeBuild in dev-vpc"));
    assert_eq!(
        report(&app(private_only, true, true, runner), "dev"),
        Vec::<String>::new()
    );
    assert_eq!(
        report(&app(private_only, false, false, DeployPath::new()), "dev"),
        Vec::<String>::new()
    );
    // A runner declared for another target does not help this one.
    let elsewhere = DeployPath::new().runner("prod", DeployRunner::in_vpc("CodeBuild"));
    assert_eq!(
        report(&app(private_only, true, false, elsewhere), "dev"),
        [PRIVATE_FROM_OUTSIDE]
    );
}

#[test]
fn both_endpoints_off_is_an_error() {
    fn off() -> EksClusterVpcConfig {
        vpc().endpoint_public_access(false)
    }
    assert_eq!(
        report(&app(off, false, false, DeployPath::new()), "dev"),
        ["error: [dev/cluster] aws_eks_cluster.main: vpc_config.endpoint_public_access: both API endpoints of the cluster are off (endpoint_public_access and endpoint_private_access are false): nothing can reach it, and EKS refuses the configuration"]
    );
}

#[test]
fn a_public_endpoint_open_to_the_internet_is_an_error() {
    fn unset() -> EksClusterVpcConfig {
        vpc()
    }
    fn open() -> EksClusterVpcConfig {
        vpc().public_access_cidrs(["10.1.0.0/16", "0.0.0.0/0"])
    }
    assert_eq!(
        report(&app(unset, true, false, DeployPath::new()), "dev"),
        ["error: [dev/cluster] aws_eks_cluster.main: vpc_config.public_access_cidrs: public_access_cidrs is not set, so EKS opens the public API endpoint to 0.0.0.0/0: restrict it to the deploy runner's and administrators' CIDRs (a variable such as var.cluster_admin_cidrs), or make the endpoint private and deploy from a runner inside the VPC"]
    );
    assert_eq!(
        report(&app(open, false, false, DeployPath::new()), "dev"),
        ["error: [dev/cluster] aws_eks_cluster.main: vpc_config.public_access_cidrs: public_access_cidrs opens the public API endpoint to the whole internet: restrict it to the deploy runner's and administrators' CIDRs (a variable such as var.cluster_admin_cidrs), or make the endpoint private and deploy from a runner inside the VPC"]
    );
}

#[test]
fn a_public_endpoint_must_include_the_runner_addresses() {
    fn restricted() -> EksClusterVpcConfig {
        vpc()
            .endpoint_private_access(true)
            .public_access_cidrs(["203.0.113.0/24"])
    }
    let cidr = |s: &str| Ipv4Cidr::parse(s).unwrap();
    let outside = DeployPath::new().runner(
        "dev",
        DeployRunner::outside([cidr("203.0.113.16/28"), cidr("198.51.100.7/32")]),
    );
    assert_eq!(
        report(&app(restricted, true, false, outside), "dev"),
        ["error: [dev/cluster] aws_eks_cluster.main: vpc_config.public_access_cidrs: the deploy runner connects from 198.51.100.7/32, which public_access_cidrs (203.0.113.0/24) does not include: helm and kubectl cannot reach the API"]
    );
    let covered = DeployPath::new().runner("dev", DeployRunner::outside([cidr("203.0.113.16/28")]));
    assert_eq!(
        report(&app(restricted, true, true, covered), "dev"),
        Vec::<String>::new()
    );
}

#[test]
fn cidrs_from_a_variable_are_given_at_apply_and_pass() {
    let mut app = one_target(|t: &mut Target| {
        let mut s = aws_stack("cluster", "us-east-1");
        let cidrs = s.variable(
            "cluster_admin_cidrs",
            Variable::<Set<String>>::new().supplied_at_apply(),
        );
        let vpc = vpc()
            .endpoint_private_access(true)
            .public_access_cidrs(cidrs);
        s.add("main", cluster("dev", "1.35", vpc));
        s.provider(HelmProvider::new());
        s.add("ingress", Release::new("ingress-nginx", "ingress-nginx"));
        t.add_stack(s);
    });
    app.rule(DeployPath::new());
    assert_eq!(report(&app, "dev"), Vec::<String>::new());
}

/// A target `dev` with a private cluster, a Helm release and a CodeBuild project in the
/// VPC; with an access entry admitting the project's role when `admitted`.
fn codebuild_app(admitted: bool) -> App {
    use crate::codebuild::{
        CodebuildProject, CodebuildProjectArgs, CodebuildProjectArtifacts,
        CodebuildProjectEnvironment, CodebuildProjectEnvironmentArgs, CodebuildProjectSource,
        CodebuildProjectVpcConfig, CodebuildProjectVpcConfigArgs,
    };
    use crate::eks::EksAccessEntry;
    let mut app = one_target(move |t: &mut Target| {
        let mut s = aws_stack("cluster", "us-east-1");
        s.add("main", cluster("dev", "1.35", private_only()));
        let role = "${aws_iam_role.deploy.arn}";
        s.add(
            "deploy",
            CodebuildProject::new(CodebuildProjectArgs {
                name: "dev-deploy".into(),
                service_role: role.into(),
                artifacts: CodebuildProjectArtifacts::new("NO_ARTIFACTS"),
                environment: CodebuildProjectEnvironment::new(CodebuildProjectEnvironmentArgs {
                    compute_type: "BUILD_GENERAL1_SMALL".into(),
                    image: "aws/codebuild/amazonlinux-x86_64-standard:5.0".into(),
                    type_: "LINUX_CONTAINER".into(),
                }),
                source: CodebuildProjectSource::new("NO_SOURCE"),
            })
            .vpc_config(CodebuildProjectVpcConfig::new(
                CodebuildProjectVpcConfigArgs {
                    security_group_ids: ["sg-1"].into(),
                    subnets: ["subnet-a"].into(),
                    vpc_id: "vpc-1".into(),
                },
            )),
        );
        if admitted {
            s.add("deploy", EksAccessEntry::new("dev", role));
        }
        s.provider(HelmProvider::new());
        s.add("ingress", Release::new("ingress-nginx", "ingress-nginx"));
        t.add_stack(s);
    });
    app.rule(DeployPath::new());
    app
}

#[test]
fn a_codebuild_project_in_the_vpc_admitted_to_the_cluster_is_the_runner() {
    assert_eq!(report(&codebuild_app(true), "dev"), Vec::<String>::new());
}

#[test]
fn a_codebuild_project_in_the_vpc_without_an_access_entry_is_an_error() {
    assert_eq!(
        report(&codebuild_app(false), "dev"),
        ["error: [dev/cluster] aws_codebuild_project.deploy: service_role: the CodeBuild project runs in the VPC but no aws_eks_access_entry admits its service_role (principal_arn): the cluster refuses its helm and kubectl calls; add an access entry and an access policy association for the role"]
    );
}
