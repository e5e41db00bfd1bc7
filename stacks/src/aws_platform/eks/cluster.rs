//! The `cluster` stack of an EKS environment: the control plane (private API endpoint),
//! node groups, add-ons, the IRSA roles of the controllers that act on AWS for the
//! cluster (load balancers, node autoscaling) and the deploy runner inside the VPC.

use terrane_aws::constructs::{
    cluster_autoscaler_statements, external_dns_statements, load_balancer_controller_statements,
    AwsAccount, DeployRunner, DeployRunnerHandle, DnsCertificate, EksCluster, EksClusterHandle,
    HostedZone, IrsaRole, KmsKey, KmsKeyHandle, VpcHandle, WebAcl, WebAclHandle,
};
use terrane_core::construct::Construct;
use terrane_core::{Expr, Output, Stack, Variable};

use super::EksEnv;
use crate::aws_platform::{Environment, STATE_REGION};

/// The cluster and the roles of the controllers the platform stack installs.
pub(super) struct ClusterParts {
    pub cluster: EksClusterHandle,
    pub load_balancer_controller: IrsaRole,
    pub cluster_autoscaler: IrsaRole,
    /// external-dns, allowed to change the public hosts' records in `hosted_zone_id` only.
    pub external_dns: IrsaRole,
    /// The Route 53 hosted zone of the environment's domain (a variable).
    pub hosted_zone_id: Expr<String>,
}

/// The `cluster` stack.
pub(super) fn cluster_stack(
    e: &Environment<'_>,
    env: &EksEnv,
    vpc: &VpcHandle,
) -> (Stack, ClusterParts) {
    let n = env.name;
    let mut cluster = e.stack("cluster");
    let account = AwsAccount::current(&mut cluster);
    let cluster_key = KmsKey::new(&format!("{n}-eks"), &account).add_to(&mut cluster);
    let mut eks = EksCluster::new(n, vpc.private_subnet_ids(), cluster_key.arn());
    for g in (env.node_groups)() {
        eks = eks.node_group(g);
    }
    let eks = eks.add_to(&mut cluster);
    let runner = deploy_runner(&mut cluster, e, env, vpc, &eks, &account, &cluster_key);
    let (load_balancer_controller, cluster_autoscaler) =
        controller_roles(&mut cluster, n, &eks, &account);
    let (waf, zone_id, external_dns) =
        public_entry(&mut cluster, env, &eks, &account, &cluster_key);
    cluster_outputs(&mut cluster, &eks, &waf, &runner);
    (
        cluster,
        ClusterParts {
            cluster: eks,
            load_balancer_controller,
            cluster_autoscaler,
            external_dns,
            hosted_zone_id: zone_id,
        },
    )
}

/// The API endpoint is private: the Helm releases and manifests are applied from
/// inside the VPC by this CodeBuild project.
fn deploy_runner(
    cluster: &mut Stack,
    e: &Environment<'_>,
    env: &EksEnv,
    vpc: &VpcHandle,
    eks: &EksClusterHandle,
    account: &AwsAccount,
    cluster_key: &KmsKeyHandle,
) -> DeployRunnerHandle {
    let n = env.name;
    DeployRunner::new(&format!("{n}-deploy"), e.target, eks, account)
        .network(vpc.id(), vpc.private_subnet_ids())
        .kms_key(cluster_key.arn())
        .bundle_bucket(&format!("acme-{n}-deploy-bundles"))
        .state(env.state_bucket, STATE_REGION)
        .applies("platform")
        .overlay(&format!("k8s/overlays/{}", env.overlay()))
        .add_to(cluster)
}

/// The IRSA roles of the AWS Load Balancer Controller and cluster-autoscaler, the
/// controllers that act on AWS for the cluster.
fn controller_roles(
    cluster: &mut Stack,
    n: &str,
    eks: &EksClusterHandle,
    account: &AwsAccount,
) -> (IrsaRole, IrsaRole) {
    let load_balancer_controller = eks.irsa_role(
        cluster,
        "aws-load-balancer-controller",
        "kube-system",
        "aws-load-balancer-controller",
        &[],
        load_balancer_controller_statements(&account.partition()),
    );
    let cluster_autoscaler = eks.irsa_role(
        cluster,
        "cluster-autoscaler",
        "kube-system",
        "cluster-autoscaler",
        &[],
        cluster_autoscaler_statements(n, &account.partition()),
    );
    (load_balancer_controller, cluster_autoscaler)
}

/// The public entry: the ALB the `edge` Ingress makes, guarded by the web ACL (the
/// first returned), serving the certificate the Load Balancer Controller finds in ACM
/// by host; with the hosted zone variable and external-dns's role on its records.
fn public_entry(
    cluster: &mut Stack,
    env: &EksEnv,
    eks: &EksClusterHandle,
    account: &AwsAccount,
    cluster_key: &KmsKeyHandle,
) -> (WebAclHandle, Expr<String>, IrsaRole) {
    let n = env.name;
    let waf = WebAcl::new(&format!("{n}-ingress"), cluster_key.arn()).add_to(cluster);
    let zone_id = cluster.variable(
        "hosted_zone_id",
        Variable::<String>::new()
            .description(
                "Route 53 hosted zone of the environment's domain (ACM validation records)",
            )
            .supplied_at_apply(),
    );
    // One name per public host: checkov (CKV2_AWS_71) refuses wildcard certificates.
    let domain = env.domain();
    let hosts = crate::k8s_platform::public_hosts(env.has_gpu_nodes());
    let fqdns: Vec<String> = hosts.iter().map(|h| format!("{h}.{domain}")).collect();
    let external_dns = eks.irsa_role(
        cluster,
        "external-dns",
        "external-dns",
        "external-dns",
        &[],
        external_dns_statements(&account.partition(), zone_id.clone(), &fqdns),
    );
    let mut cert = DnsCertificate::new(
        &format!("{}.{domain}", hosts[0]),
        HostedZone::Given(zone_id.clone().into()),
    );
    for host in &hosts[1..] {
        cert = cert.alternative_name(&format!("{host}.{domain}"));
    }
    cert.add_to(cluster);
    (waf, zone_id, external_dns)
}

/// The cluster stack's outputs: what the deploy and the platform stack need to
/// reach the cluster, the web ACL and the deploy runner.
fn cluster_outputs(
    cluster: &mut Stack,
    eks: &EksClusterHandle,
    waf: &WebAclHandle,
    runner: &DeployRunnerHandle,
) {
    for (name, value, description) in [
        ("cluster_name", eks.name(), "EKS cluster name"),
        (
            "ingress_waf_acl_arn",
            waf.arn(),
            "WAF web ACL of the public ALB (alb.ingress.kubernetes.io/wafv2-acl-arn)",
        ),
        (
            "cluster_endpoint",
            eks.endpoint(),
            "Kubernetes API endpoint (private: reached from the VPC only)",
        ),
        (
            "deploy_project",
            runner.project_name(),
            "CodeBuild project that applies the platform stack and the manifests (aws codebuild start-build --project-name)",
        ),
        (
            "deploy_bundle_bucket",
            runner.bundle_bucket(),
            "Bucket the zipped out/<target>/ folder is uploaded to as <target>.zip before a deploy",
        ),
    ] {
        cluster.output(name, Output::new(value).description(description));
    }
}
