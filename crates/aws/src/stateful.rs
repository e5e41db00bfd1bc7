//! The AWS resource types that hold data, for the refactor guard and `terrane diff`
//! ([`terrane_core::refactor`]): what each holds, the arguments naming the real
//! object, and the arguments documented as "Forces new resource" on its provider page.

use terrane_core::refactor::{StatefulTable, StatefulType};

/// The provider documentation page of a resource type.
fn doc(page: &str) -> String {
    format!("https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/{page}")
}

fn entry(holds: &str, page: &str) -> StatefulType {
    StatefulType::new(holds, &doc(page))
}

/// Every AWS stateful type terrane knows; register with
/// `app.stateful(terrane_aws::stateful::table())`.
pub fn table() -> StatefulTable {
    StatefulTable::new()
        .resource(
            "aws_db_instance",
            // `identifier` names the instance but is renamed in place (a new endpoint,
            // same data); the forcing arguments below are checked against the real
            // provider by .ci/refactor.sh.
            entry("RDS database instance", "db_instance")
                .identity(&["identifier"])
                .forces(&[
                    "engine",
                    "db_name",
                    "username",
                    "storage_encrypted",
                    "kms_key_id",
                    "availability_zone",
                    "character_set_name",
                    "timezone",
                ])
                .import_id("identifier"),
        )
        .resource(
            "aws_rds_cluster",
            entry("Aurora database cluster", "rds_cluster")
                .identity(&["cluster_identifier"])
                .forces(&[
                    "cluster_identifier",
                    "engine",
                    "database_name",
                    "master_username",
                    "storage_encrypted",
                    "kms_key_id",
                    "availability_zones",
                ])
                .import_id("cluster_identifier"),
        )
        .resource(
            "aws_docdb_cluster",
            entry("DocumentDB cluster", "docdb_cluster")
                .identity(&["cluster_identifier"])
                .forces(&[
                    "cluster_identifier",
                    "engine",
                    "master_username",
                    "storage_encrypted",
                    "kms_key_id",
                ])
                .import_id("cluster_identifier"),
        )
        .resource(
            "aws_dynamodb_table",
            entry("DynamoDB table", "dynamodb_table")
                .identity(&["name"])
                .forces(&["name", "hash_key", "range_key"])
                .import_id("name"),
        )
        .resource(
            "aws_elasticache_replication_group",
            entry(
                "ElastiCache replication group (cache data, snapshots)",
                "elasticache_replication_group",
            )
            .identity(&["replication_group_id"])
            .forces(&[
                "replication_group_id",
                "at_rest_encryption_enabled",
                "kms_key_id",
                "subnet_group_name",
            ])
            .import_id("replication_group_id"),
        )
        .resource(
            "aws_s3_bucket",
            entry("S3 bucket objects", "s3_bucket")
                .identity(&["bucket"])
                .forces(&["bucket", "bucket_prefix", "object_lock_enabled"])
                .import_id("bucket"),
        )
        .resource(
            "aws_ebs_volume",
            // No identity argument: a volume is matched when its arguments are unchanged.
            entry("EBS volume", "ebs_volume").forces(&[
                "availability_zone",
                "snapshot_id",
                "encrypted",
                "kms_key_id",
            ]),
        )
        .resource(
            "aws_efs_file_system",
            entry("EFS file system", "efs_file_system")
                .identity(&["creation_token"])
                .forces(&[
                    "creation_token",
                    "encrypted",
                    "kms_key_id",
                    "performance_mode",
                    "availability_zone_name",
                ]),
        )
        .resource(
            "aws_kms_key",
            // No identity argument: a key is matched when its arguments are unchanged.
            entry("KMS key (data encrypted with it)", "kms_key").forces(&[
                "customer_master_key_spec",
                "key_usage",
                "multi_region",
            ]),
        )
        .resource(
            "aws_secretsmanager_secret",
            entry("Secrets Manager secret", "secretsmanager_secret")
                .identity(&["name"])
                .forces(&["name", "name_prefix"]),
        )
        .resource(
            "aws_route53_zone",
            entry(
                "Route 53 hosted zone (its records, its name servers)",
                "route53_zone",
            )
            .identity(&["name"])
            .forces(&["name"]),
        )
        .resource(
            "aws_cloudwatch_log_group",
            entry(
                "CloudWatch log group (retained logs)",
                "cloudwatch_log_group",
            )
            .identity(&["name"])
            .forces(&["name", "name_prefix", "log_group_class"])
            .import_id("name"),
        )
        .resource(
            "aws_ecr_repository",
            entry("ECR repository (its images)", "ecr_repository")
                .identity(&["name"])
                .forces(&["name", "encryption_configuration"])
                .import_id("name"),
        )
        .resource(
            "aws_eks_cluster",
            entry("EKS cluster (its workloads and volumes)", "eks_cluster")
                .identity(&["name"])
                .forces(&[
                    "name",
                    "bootstrap_self_managed_addons",
                    "kubernetes_network_config.service_ipv4_cidr",
                    "kubernetes_network_config.ip_family",
                ])
                .import_id("name"),
        )
        .resource(
            "aws_backup_vault",
            entry("AWS Backup vault (recovery points)", "backup_vault")
                .identity(&["name"])
                .forces(&["name", "kms_key_arn"])
                .import_id("name"),
        )
}
