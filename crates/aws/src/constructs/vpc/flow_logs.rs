//! Flow logs of a [`Vpc`](super::Vpc): all traffic to a CloudWatch log group, written
//! by a role that may only write there.

use terrane_core::Stack;

use super::Vpc;
use crate::cloudwatch::CloudwatchLogGroup;
use crate::constructs::policy::{assume_role_policy, policy_document, PolicyStatement};
use crate::iam::{IamRole, IamRolePolicy};
use crate::vpc::{FlowLog, VpcRef};

impl Vpc {
    /// The log group, the role that writes to it and the flow log of the whole VPC.
    pub(super) fn flow_logs(&self, stack: &mut Stack, id: &str, vpc: &VpcRef) {
        let tags = crate::constructs::tags(&format!("{}-flow-logs", self.name), &self.tags);
        let mut group = CloudwatchLogGroup::new()
            .name(format!("/vpc/{}/flow-logs", self.name))
            .retention_in_days(self.flow_log_retention_days)
            .tags(tags.clone());
        if let Some(k) = &self.flow_log_key {
            group = group.kms_key_id(k.clone());
        }
        let group = stack.add(&format!("{id}_flow_logs"), group);
        let trust = assume_role_policy(
            stack,
            &format!("{id}_flow_logs_assume"),
            "vpc-flow-logs.amazonaws.com",
        );
        let role = stack.add(
            &format!("{id}_flow_logs"),
            IamRole::new(trust).name(format!("{}-flow-logs", self.name)),
        );
        let write = policy_document(
            stack,
            &format!("{id}_flow_logs_write"),
            &[PolicyStatement::allow([
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ])
            .resource(terrane_core::tmpl!("{}:*", group.arn()))],
        );
        stack.add(
            &format!("{id}_flow_logs"),
            IamRolePolicy::new(write, role.id()).name("write-flow-logs"),
        );
        stack.add(
            id,
            FlowLog::new()
                .vpc_id(vpc.id())
                .traffic_type("ALL")
                .log_destination_type("cloud-watch-logs")
                .log_destination(group.arn())
                .iam_role_arn(role.arn())
                .max_aggregation_interval(60)
                .tags(tags),
        );
    }
}
