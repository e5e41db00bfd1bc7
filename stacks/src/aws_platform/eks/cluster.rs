//! The `cluster` stack of an EKS environment: the control plane (public endpoint open to
//! the admin CIDRs only), node groups, add-ons and the IRSA roles of the controllers
//! that act on AWS for the cluster (load balancers, node autoscaling).

use terrane_aws::constructs::{
    cluster_autoscaler_statements, load_balancer_controller_statements, AwsAccount, EksCluster,
    EksClusterHandle, IrsaRole, KmsKey, VpcHandle,
};
use terrane_core::construct::Construct;
use terrane_core::{func, Output, Set, Stack, Tree, Variable};

use super::EksEnv;
use crate::aws_platform::Environment;

/// The cluster and the roles of the controllers the platform stack installs.
pub(super) struct ClusterParts {
    pub cluster: EksClusterHandle,
    pub load_balancer_controller: IrsaRole,
    pub cluster_autoscaler: IrsaRole,
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
    let admin_cidrs = cluster.variable(
        "cluster_admin_cidrs",
        Variable::<Set<String>>::new()
            .description(
                "CIDRs allowed to the public Kubernetes API endpoint (deploy runners, operators)",
            )
            .validation(
                |cidrs| {
                    func::call_fn::<bool>(
                        "contains",
                        vec![cidrs.node().clone(), Tree::from("0.0.0.0/0").into_node()],
                    )
                    .not()
                },
                "The API endpoint must not be open to the whole internet (0.0.0.0/0).",
            ),
    );
    cluster.set_variable::<Set<String>>("cluster_admin_cidrs", env.admin_cidrs.to_vec());
    let mut eks = EksCluster::new(n, vpc.private_subnet_ids(), cluster_key.arn())
        .public_endpoint(admin_cidrs);
    for g in (env.node_groups)() {
        eks = eks.node_group(g);
    }
    let eks = eks.add_to(&mut cluster);
    let load_balancer_controller = eks.irsa_role(
        &mut cluster,
        "aws-load-balancer-controller",
        "kube-system",
        "aws-load-balancer-controller",
        &[],
        load_balancer_controller_statements(&account.partition()),
    );
    let cluster_autoscaler = eks.irsa_role(
        &mut cluster,
        "cluster-autoscaler",
        "kube-system",
        "cluster-autoscaler",
        &[],
        cluster_autoscaler_statements(n, &account.partition()),
    );
    for (name, value, description) in [
        ("cluster_name", eks.name(), "EKS cluster name"),
        (
            "cluster_endpoint",
            eks.endpoint(),
            "Kubernetes API endpoint (public side open to cluster_admin_cidrs)",
        ),
    ] {
        cluster.output(name, Output::new(value).description(description));
    }
    (
        cluster,
        ClusterParts {
            cluster: eks,
            load_balancer_controller,
            cluster_autoscaler,
        },
    )
}
