//! Which AWS names must be unique where: the table behind rule `aws/name-collisions`.
//!
//! Each row is a resource type, the argument that holds its name, and where AWS
//! keeps that name unique. Two declarations of one row's name in one scope make the
//! second `terraform apply` fail (`ResourceAlreadyExists`, `EntityAlreadyExists`,
//! `BucketAlreadyExists`), or worse, for CloudWatch alarms and dashboards, silently
//! overwrite the first.

/// Where a name must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameScope {
    /// Across every account of the partition (S3 bucket names).
    Global,
    /// Across the account, every region (IAM).
    Account,
    /// Within one account and region.
    Region,
}

/// One named resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedType {
    /// Resource type (`aws_ecr_repository`).
    pub resource: &'static str,
    /// The argument holding the name (`name`).
    pub field: &'static str,
    /// What the name is called in messages.
    pub noun: &'static str,
    /// Where it must be unique.
    pub scope: NameScope,
    /// True when AWS compares the name without case (IAM names; RDS and ElastiCache
    /// identifiers, stored lower-case).
    pub ignore_case: bool,
    /// Where the uniqueness rule is documented.
    pub source: &'static str,
}

const fn row(
    resource: &'static str,
    field: &'static str,
    noun: &'static str,
    scope: NameScope,
    ignore_case: bool,
    source: &'static str,
) -> NamedType {
    NamedType {
        resource,
        field,
        noun,
        scope,
        ignore_case,
        source,
    }
}

use NameScope::{Account, Global, Region};

/// The named types terrane checks, by scope.
#[rustfmt::skip]
pub const NAMED_TYPES: &[NamedType] = &[
    row("aws_s3_bucket", "bucket", "S3 bucket", Global, false,
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"),
    row("aws_iam_role", "name", "IAM role", Account, true,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names"),
    row("aws_iam_policy", "name", "IAM policy", Account, true,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names"),
    row("aws_iam_user", "name", "IAM user", Account, true,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names"),
    row("aws_iam_instance_profile", "name", "IAM instance profile", Account, true,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names"),
    row("aws_budgets_budget", "name", "budget", Account, false,
        "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateBudget.html"),
    row("aws_ecr_repository", "name", "ECR repository", Region, false,
        "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html"),
    row("aws_secretsmanager_secret", "name", "Secrets Manager secret", Region, false,
        "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"),
    row("aws_kms_alias", "name", "KMS alias", Region, false,
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html"),
    row("aws_cloudwatch_log_group", "name", "CloudWatch log group", Region, false,
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"),
    row("aws_cloudwatch_metric_alarm", "alarm_name", "CloudWatch alarm", Region, false,
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"),
    row("aws_cloudwatch_dashboard", "dashboard_name", "CloudWatch dashboard", Region, false,
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html"),
    row("aws_sns_topic", "name", "SNS topic", Region, false,
        "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"),
    row("aws_db_instance", "identifier", "DB instance", Region, true,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"),
    row("aws_db_subnet_group", "name", "DB subnet group", Region, true,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html"),
    row("aws_db_parameter_group", "name", "DB parameter group", Region, true,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html"),
    row("aws_db_proxy", "name", "RDS proxy", Region, true,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html"),
    row("aws_elasticache_replication_group", "replication_group_id", "ElastiCache replication group", Region, true,
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html"),
    row("aws_elasticache_subnet_group", "name", "ElastiCache subnet group", Region, true,
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html"),
    row("aws_eks_cluster", "name", "EKS cluster", Region, false,
        "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html"),
    row("aws_ecs_cluster", "name", "ECS cluster", Region, false,
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"),
    row("aws_lb", "name", "load balancer", Region, false,
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"),
    row("aws_lb_target_group", "name", "target group", Region, false,
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"),
    row("aws_backup_vault", "name", "backup vault", Region, false,
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html"),
    row("aws_lambda_function", "function_name", "Lambda function", Region, false,
        "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"),
    row("aws_sqs_queue", "name", "SQS queue", Region, false,
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html"),
    // CloudFront is global: its policies and access controls are named once per account.
    row("aws_cloudfront_origin_access_control", "name", "CloudFront origin access control", Account, false,
        "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginAccessControl.html"),
    row("aws_cloudfront_response_headers_policy", "name", "CloudFront response headers policy", Account, false,
        "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateResponseHeadersPolicy.html"),
    // per scope and region (CLOUDFRONT ACLs live in us-east-1, the region of their provider)
    row("aws_wafv2_web_acl", "name", "WAF web ACL", Region, false,
        "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"),
    // Put* operations: a second declaration silently replaces the first
    row("aws_cloudwatch_log_delivery_source", "name", "log delivery source", Region, false,
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html"),
    row("aws_cloudwatch_log_delivery_destination", "name", "log delivery destination", Region, false,
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html"),
];

/// The row of a resource type, if its name is checked.
pub fn named_type(resource: &str) -> Option<&'static NamedType> {
    NAMED_TYPES.iter().find(|t| t.resource == resource)
}
