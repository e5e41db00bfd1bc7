//! The IAM permissions of the controllers an EKS cluster runs as IRSA roles: the AWS
//! Load Balancer Controller (its published policy) and cluster-autoscaler.

use terrane_core::{tmpl, Expr, Value};

use crate::constructs::policy::PolicyStatement;

/// The tag the AWS Load Balancer Controller puts on what it creates.
const LBC_TAG: &str = "elbv2.k8s.aws/cluster";

/// The AWS Load Balancer Controller's policy, statement by statement as published with
/// v3.5.0 (`docs/install/iam_policy.json` of kubernetes-sigs/aws-load-balancer-controller),
/// the ARN patterns in the account's `partition`. Where the published policy gives
/// `"*"` for actions that take a resource, the statement names the resource types the
/// actions act on instead (same actions, least privilege).
pub fn load_balancer_controller_statements(partition: &Expr<String>) -> Vec<PolicyStatement> {
    [
        lbc_discovery_and_integration_statements(partition),
        lbc_security_group_statements(partition),
        lbc_elb_creation_statements(partition),
        lbc_elb_tag_statements(partition),
        lbc_elb_management_statements(partition),
    ]
    .concat()
}

/// Statements 1 to 3 of the published policy: the ELB service-linked role, the reads
/// the controller reconciles from, and the certificates, Cognito, WAF and Shield it
/// looks up and attaches.
fn lbc_discovery_and_integration_statements(partition: &Expr<String>) -> Vec<PolicyStatement> {
    vec![
        PolicyStatement::allow(["iam:CreateServiceLinkedRole"])
            .resource("*")
            .condition(
                "StringEquals",
                "iam:AWSServiceName",
                vec!["elasticloadbalancing.amazonaws.com".into()],
            ),
        PolicyStatement::allow(LBC_DESCRIBE).resource("*"),
        // Reads of statement 2 that take a resource: the VPC's groups, outpost pools.
        PolicyStatement::allow(["ec2:GetSecurityGroupsForVpc", "ec2:GetCoipPoolUsage"])
            .resource(tmpl!("arn:{}:ec2:*:*:vpc/*", partition))
            .resource(tmpl!("arn:{}:ec2:*:*:coip-pool/*", partition)),
        PolicyStatement::allow(LBC_INTEGRATIONS_LIST).resource("*"),
        integrations(partition),
    ]
}

/// The security groups the controller creates for its load balancers: opening them,
/// creating them (tagged), and changing, untagging or deleting only the ones it tagged.
fn lbc_security_group_statements(partition: &Expr<String>) -> Vec<PolicyStatement> {
    let security_groups: Value<String> = tmpl!("arn:{}:ec2:*:*:security-group/*", partition).into();
    vec![
        // The published policy allows these on "*": kept to security groups (and, for
        // creation, the VPCs they are created in).
        PolicyStatement::allow([
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
        ])
        .resource(security_groups.clone()),
        PolicyStatement::allow(["ec2:CreateSecurityGroup"])
            .resource(security_groups.clone())
            .resource(tmpl!("arn:{}:ec2:*:*:vpc/*", partition)),
        PolicyStatement::allow(["ec2:CreateTags"])
            .resource(security_groups.clone())
            .condition(
                "StringEquals",
                "ec2:CreateAction",
                vec!["CreateSecurityGroup".into()],
            )
            .condition("Null", lbc_request_tag(), vec!["false".into()]),
        untag_request(
            PolicyStatement::allow(["ec2:CreateTags", "ec2:DeleteTags"])
                .resource(security_groups.clone()),
        ),
        tagged_by_lbc(
            PolicyStatement::allow([
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:DeleteSecurityGroup",
            ])
            .resource(security_groups),
        ),
    ]
}

/// Creating load balancers and target groups (only with the controller's tag in the
/// request), and creating or deleting their listeners and rules.
fn lbc_elb_creation_statements(partition: &Expr<String>) -> Vec<PolicyStatement> {
    vec![
        PolicyStatement::allow([
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
        ])
        .resource("*")
        .condition("Null", lbc_request_tag(), vec!["false".into()]),
        resources(
            PolicyStatement::allow([
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
            ]),
            [
                elb(partition, "loadbalancer/net/*/*"),
                elb(partition, "loadbalancer/app/*/*"),
                elb(partition, "listener/net/*/*/*"),
                elb(partition, "listener/app/*/*/*"),
                elb(partition, "listener-rule/net/*/*/*"),
                elb(partition, "listener-rule/app/*/*/*"),
            ],
        ),
    ]
}

/// Tagging and untagging load balancers and target groups (without removing the
/// controller's own tag), and listeners and rules.
fn lbc_elb_tag_statements(partition: &Expr<String>) -> Vec<PolicyStatement> {
    vec![
        untag_request(resources(
            PolicyStatement::allow([
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
            ]),
            balancers_and_target_groups(partition),
        )),
        resources(
            PolicyStatement::allow([
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
            ]),
            [
                elb(partition, "listener/net/*/*/*"),
                elb(partition, "listener/app/*/*/*"),
                elb(partition, "listener-rule/net/*/*/*"),
                elb(partition, "listener-rule/app/*/*/*"),
            ],
        ),
    ]
}

/// Running what the controller made: changing and deleting the load balancers and
/// target groups it tagged, tagging them as they are created, registering targets,
/// and configuring listeners and rules (certificates, web ACLs, priorities).
fn lbc_elb_management_statements(partition: &Expr<String>) -> Vec<PolicyStatement> {
    vec![
        tagged_by_lbc(PolicyStatement::allow(LBC_MODIFY_OWN).resource("*")),
        resources(
            PolicyStatement::allow(["elasticloadbalancing:AddTags"]),
            balancers_and_target_groups(partition),
        )
        .condition(
            "StringEquals",
            "elasticloadbalancing:CreateAction",
            vec!["CreateTargetGroup".into(), "CreateLoadBalancer".into()],
        )
        .condition("Null", lbc_request_tag(), vec!["false".into()]),
        PolicyStatement::allow([
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:DeregisterTargets",
        ])
        .resource(elb(partition, "targetgroup/*/*")),
        resources(
            PolicyStatement::allow([
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
            ]),
            [
                elb(partition, "loadbalancer/app/*/*"),
                elb(partition, "listener/net/*/*/*"),
                elb(partition, "listener/app/*/*/*"),
                elb(partition, "listener-rule/net/*/*/*"),
                elb(partition, "listener-rule/app/*/*/*"),
            ],
        ),
    ]
}

/// An Elastic Load Balancing ARN pattern, `resource` in any region and account.
fn elb(partition: &Expr<String>, resource: &str) -> Value<String> {
    tmpl!("arn:{}:elasticloadbalancing:*:*:{}", partition, resource).into()
}

/// The target groups and the network and application load balancers.
fn balancers_and_target_groups(partition: &Expr<String>) -> [Value<String>; 3] {
    [
        elb(partition, "targetgroup/*/*"),
        elb(partition, "loadbalancer/net/*/*"),
        elb(partition, "loadbalancer/app/*/*"),
    ]
}

/// The condition key of the controller's tag in a request (what it creates).
fn lbc_request_tag() -> String {
    format!("aws:RequestTag/{LBC_TAG}")
}

/// The condition key of the controller's tag on a resource (what it made).
fn lbc_resource_tag() -> String {
    format!("aws:ResourceTag/{LBC_TAG}")
}

/// `s`, on resources the controller tagged only.
fn tagged_by_lbc(s: PolicyStatement) -> PolicyStatement {
    s.condition("Null", lbc_resource_tag(), vec!["false".into()])
}

/// `s`, on resources the controller tagged only, by requests that leave its tag alone.
fn untag_request(s: PolicyStatement) -> PolicyStatement {
    s.condition("Null", lbc_request_tag(), vec!["true".into()])
        .condition("Null", lbc_resource_tag(), vec!["false".into()])
}

/// Statement 3's actions that act on a resource (certificates, user pools, web ACLs,
/// protections, load balancers), given the ARN patterns of those resources instead of "*".
fn integrations(partition: &Expr<String>) -> PolicyStatement {
    let mut s = PolicyStatement::allow(LBC_INTEGRATIONS_ON_RESOURCES);
    for (service, resource) in [
        ("acm", "*:*:certificate/*"),
        ("cognito-idp", "*:*:userpool/*"),
        ("iam", ":*:server-certificate/*"),
        ("waf-regional", "*:*:webacl/*"),
        ("wafv2", "*:*:regional/webacl/*/*"),
        ("shield", ":*:protection/*"),
        ("elasticloadbalancing", "*:*:loadbalancer/app/*/*"),
    ] {
        s = s.resource(tmpl!("arn:{}:{}:{}", partition, service, resource));
    }
    s
}

fn resources<const N: usize>(mut s: PolicyStatement, arns: [Value<String>; N]) -> PolicyStatement {
    for arn in arns {
        s = s.resource(arn);
    }
    s
}

/// What the controller reads to reconcile (statement 2 of the published policy).
const LBC_DESCRIBE: [&str; 27] = [
    "ec2:DescribeAccountAttributes",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeTags",
    "ec2:DescribeCoipPools",
    "ec2:DescribeIpamPools",
    "ec2:DescribeRouteTables",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeCapacityReservation",
];

/// Statement 3's actions that take no resource (lists, the Shield subscription).
const LBC_INTEGRATIONS_LIST: [&str; 3] = [
    "acm:ListCertificates",
    "iam:ListServerCertificates",
    "shield:GetSubscriptionState",
];

/// Certificates, Cognito, WAF and Shield the controller attaches (the rest of statement 3).
const LBC_INTEGRATIONS_ON_RESOURCES: [&str; 14] = [
    "cognito-idp:DescribeUserPoolClient",
    "acm:DescribeCertificate",
    "iam:GetServerCertificate",
    "waf-regional:GetWebACL",
    "waf-regional:GetWebACLForResource",
    "waf-regional:AssociateWebACL",
    "waf-regional:DisassociateWebACL",
    "wafv2:GetWebACL",
    "wafv2:GetWebACLForResource",
    "wafv2:AssociateWebACL",
    "wafv2:DisassociateWebACL",
    "shield:DescribeProtection",
    "shield:CreateProtection",
    "shield:DeleteProtection",
];

/// Changes to load balancers and target groups the controller tagged (statement 13).
const LBC_MODIFY_OWN: [&str; 11] = [
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:SetIpAddressType",
    "elasticloadbalancing:SetSecurityGroups",
    "elasticloadbalancing:SetSubnets",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:ModifyListenerAttributes",
    "elasticloadbalancing:ModifyCapacityReservation",
    "elasticloadbalancing:ModifyIpPools",
];

/// cluster-autoscaler's permissions (its AWS cloud provider README): read the groups,
/// instance types and managed node groups (labels and taints for scaling from zero);
/// resize and terminate only in the groups tagged as owned by `cluster_name`.
pub fn cluster_autoscaler_statements(
    cluster_name: &str,
    partition: &Expr<String>,
) -> Vec<PolicyStatement> {
    vec![
        PolicyStatement::allow([
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
        ])
        .resource("*"),
        PolicyStatement::allow(["eks:DescribeNodegroup"]).resource(tmpl!(
            "arn:{}:eks:*:*:nodegroup/{}/*/*",
            partition,
            cluster_name
        )),
        PolicyStatement::allow([
            "autoscaling:SetDesiredCapacity",
            "autoscaling:TerminateInstanceInAutoScalingGroup",
        ])
        .resource(tmpl!(
            "arn:{}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*",
            partition
        ))
        .condition(
            "StringEquals",
            format!("aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}"),
            vec!["owned".into()],
        ),
    ]
}

/// external-dns's permissions (its AWS tutorial, chart 1.21.1), limited to one hosted
/// zone: change, list and read the tags of the records of `zone_id` only, and of
/// those only the names `records` (each host, and the TXT registry's `<type>-<host>`
/// ownership records) through the
/// `route53:ChangeResourceRecordSetsNormalizedRecordNames` condition; list the
/// zones (an action with no resource) to find it.
pub fn external_dns_statements(
    partition: &Expr<String>,
    zone_id: impl Into<Value<String>>,
    hosts: &[String],
) -> Vec<PolicyStatement> {
    let zone_id: Value<String> = zone_id.into();
    let zone: Value<String> = tmpl!("arn:{}:route53:::hostedzone/{}", partition, zone_id).into();
    let names: Vec<Value<String>> = hosts
        .iter()
        .flat_map(|h| {
            let h = h.to_ascii_lowercase();
            [h.clone().into(), format!("*-{h}").into()]
        })
        .collect();
    vec![
        PolicyStatement::allow(["route53:ChangeResourceRecordSets"])
            .resource(zone.clone())
            .condition(
                "ForAllValues:StringLike",
                "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                names,
            ),
        PolicyStatement::allow([
            "route53:ListResourceRecordSets",
            "route53:ListTagsForResources",
        ])
        .resource(zone),
        PolicyStatement::allow(["route53:ListHostedZones"]).resource("*"),
    ]
}
