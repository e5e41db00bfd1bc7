//! The task of a [`FargateService`](super::FargateService): its container definition,
//! the execution role (image pull, secrets) and the task role (the application's identity).

use std::collections::BTreeMap;

use terrane_core::{func, Expr, Stack, Tree};

use super::FargateService;
use crate::constructs::policy::{
    assume_role_policy, policy_document, service_role, PolicyStatement,
};
use crate::ecs::{EcsTaskDefinition, EcsTaskDefinitionRef};
use crate::iam::{IamRole, IamRolePolicy};

impl FargateService {
    fn container_definitions(&self, log_group: Expr<String>) -> Tree {
        let env = Tree::List(
            self.env
                .iter()
                .map(|(k, v)| {
                    Tree::object([
                        ("name", Tree::from(k.as_str())),
                        ("value", Tree::from(v.clone())),
                    ])
                })
                .collect(),
        );
        let secrets = Tree::List(
            self.secrets
                .iter()
                .map(|(k, v)| {
                    Tree::object([
                        ("name", Tree::from(k.as_str())),
                        ("valueFrom", Tree::from(v.clone())),
                    ])
                })
                .collect(),
        );
        Tree::list([Tree::object([
            ("name", Tree::from(self.name.as_str())),
            ("image", Tree::from(self.image.clone())),
            ("essential", Tree::from(true)),
            ("readonlyRootFilesystem", Tree::from(true)),
            (
                "portMappings",
                Tree::list([Tree::object([
                    ("containerPort", Tree::from(u32::from(self.port))),
                    ("protocol", Tree::from("tcp")),
                ])]),
            ),
            ("environment", env),
            ("secrets", secrets),
            (
                "logConfiguration",
                Tree::object([
                    ("logDriver", Tree::from("awslogs")),
                    (
                        "options",
                        Tree::object([
                            ("awslogs-group", Tree::from(log_group)),
                            ("awslogs-region", Tree::from(self.region.as_str())),
                            ("awslogs-stream-prefix", Tree::from(self.name.as_str())),
                        ]),
                    ),
                ]),
            ),
        ])])
    }

    /// The roles and the task definition running the container, logging to `log_group`.
    pub(super) fn declare_task(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
        log_group: Expr<String>,
    ) -> EcsTaskDefinitionRef {
        // roles: the execution role pulls the image and reads the secrets; the task
        // role is the application's own identity
        let execution = service_role(
            stack,
            &format!("{id}_execution"),
            &format!("{}-execution", self.name),
            "ecs-tasks.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        );
        if !self.secrets.is_empty() {
            let mut read = PolicyStatement::allow(["secretsmanager:GetSecretValue"]);
            for arn in self.secrets.values() {
                read = read.resource(arn.clone());
            }
            let doc = policy_document(
                stack,
                &format!("{id}_execution_secrets"),
                &[
                    read,
                    PolicyStatement::allow(["kms:Decrypt"]).resource(self.kms_key_arn.clone()),
                ],
            );
            stack.add(
                &format!("{id}_execution_secrets"),
                IamRolePolicy::new(doc, execution.id()).name("read-secrets"),
            );
        }
        let task_trust = assume_role_policy(
            stack,
            &format!("{id}_task_assume"),
            "ecs-tasks.amazonaws.com",
        );
        let task_role = stack.add(
            &format!("{id}_task"),
            IamRole::new(task_trust).name(format!("{}-task", self.name)),
        );
        stack.add(
            id,
            EcsTaskDefinition::new(
                func::jsonencode_tree(self.container_definitions(log_group)),
                self.name.as_str(),
            )
            .requires_compatibilities(vec!["FARGATE"])
            .network_mode("awsvpc")
            .cpu(self.cpu.to_string())
            .memory(self.memory.to_string())
            .execution_role_arn(execution.arn())
            .task_role_arn(task_role.arn())
            .tags(tags.clone()),
        )
    }
}
