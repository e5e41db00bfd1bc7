//! The hardened main container of a pod template: env, ports, resources, probes and
//! a security context that drops everything.

use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMapEnvSource, Container, ContainerPort, EnvFromSource, EnvVar,
    EnvVarSource, ExecAction, HTTPGetAction, Probe, SecretEnvSource, SecretKeySelector,
    SecurityContext, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::spec::runtime_default;
use super::{EnvValue, Health, PodTemplate, Probes, GPU_RESOURCE, RUN_AS_USER};

impl PodTemplate {
    /// The main container, hardened.
    pub(crate) fn container(&self, name: &str) -> Container {
        let mut resources = self.resources.clone();
        if let Some(n) = self.gpus {
            resources = resources.extra_limit(GPU_RESOURCE, n.to_string());
        }
        let env = self.env_vars();
        let env_from = self.env_from();
        let (liveness, readiness, startup) = self.probes();
        Container {
            name: name.to_string(),
            image: Some(self.image.clone()),
            image_pull_policy: Some("Always".into()),
            command: (!self.command.is_empty()).then(|| self.command.clone()),
            args: (!self.args.is_empty()).then(|| self.args.clone()),
            ports: self.port.map(|p| {
                vec![ContainerPort {
                    name: Some(self.port_name.clone()),
                    container_port: p,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]
            }),
            env: (!env.is_empty()).then_some(env),
            env_from: (!env_from.is_empty()).then_some(env_from),
            resources: Some(resources.to_k8s()),
            liveness_probe: (self.probes == Probes::On).then_some(liveness),
            readiness_probe: (self.probes == Probes::On).then_some(readiness),
            startup_probe: startup.filter(|_| self.probes == Probes::On),
            security_context: Some(self.container_security_context()),
            volume_mounts: Some(vec![VolumeMount {
                name: "tmp".into(),
                mount_path: "/tmp".into(),
                ..Default::default()
            }]),
            ..Default::default()
        }
    }

    /// An init container: the main container's image, env, resources and hardening,
    /// running `init.command` to completion; no probes, no ports.
    pub(crate) fn init_container(&self, init: &super::InitContainer) -> Container {
        let env = self.env_vars();
        let env_from = self.env_from();
        Container {
            name: init.name.clone(),
            image: Some(self.image.clone()),
            image_pull_policy: Some("Always".into()),
            command: Some(init.command.clone()),
            env: (!env.is_empty()).then_some(env),
            env_from: (!env_from.is_empty()).then_some(env_from),
            resources: Some(self.resources.to_k8s()),
            security_context: Some(self.container_security_context()),
            volume_mounts: Some(vec![VolumeMount {
                name: "tmp".into(),
                mount_path: "/tmp".into(),
                ..Default::default()
            }]),
            ..Default::default()
        }
    }

    /// One variable per env entry; a Terraform value's variable is left empty for
    /// the kustomize replacement to fill (see the crate docs).
    fn env_vars(&self) -> Vec<EnvVar> {
        self.env
            .iter()
            .map(|(k, v)| match v {
                EnvValue::Literal(s) => EnvVar {
                    name: k.clone(),
                    value: Some(s.clone()),
                    ..Default::default()
                },
                EnvValue::SecretKey { secret, key } => EnvVar {
                    name: k.clone(),
                    value_from: Some(EnvVarSource {
                        secret_key_ref: Some(SecretKeySelector {
                            name: secret.clone(),
                            key: key.clone(),
                            optional: Some(false),
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                // The value is written by a kustomize replacement (see the crate docs).
                EnvValue::Terraform(_) => EnvVar {
                    name: k.clone(),
                    ..Default::default()
                },
            })
            .collect()
    }

    /// Every key of the listed ConfigMaps, then Secrets, as variables.
    fn env_from(&self) -> Vec<EnvFromSource> {
        self.env_from_config_maps
            .iter()
            .map(|c| EnvFromSource {
                config_map_ref: Some(ConfigMapEnvSource {
                    name: c.clone(),
                    optional: Some(false),
                }),
                ..Default::default()
            })
            .chain(self.env_from_secrets.iter().map(|s| EnvFromSource {
                secret_ref: Some(SecretEnvSource {
                    name: s.clone(),
                    optional: Some(false),
                }),
                ..Default::default()
            }))
            .collect()
    }

    fn container_security_context(&self) -> SecurityContext {
        SecurityContext {
            allow_privilege_escalation: Some(false),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                add: None,
            }),
            privileged: Some(false),
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(!self.run_as_root),
            run_as_user: Some(if self.run_as_root { 0 } else { RUN_AS_USER }),
            run_as_group: Some(if self.run_as_root { 0 } else { RUN_AS_USER }),
            seccomp_profile: Some(runtime_default()),
            ..Default::default()
        }
    }

    fn probes(&self) -> (Probe, Probe, Option<Probe>) {
        let handler = |p: &mut Probe| match &self.health {
            Health::Http(path) => {
                p.http_get = Some(HTTPGetAction {
                    path: Some(path.clone()),
                    port: IntOrString::String(self.port_name.clone()),
                    scheme: Some("HTTP".into()),
                    ..Default::default()
                })
            }
            Health::Exec(cmd) => {
                p.exec = Some(ExecAction {
                    command: Some(cmd.clone()),
                })
            }
        };
        let mut liveness = Probe {
            period_seconds: Some(20),
            timeout_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        };
        let mut readiness = Probe {
            period_seconds: Some(10),
            timeout_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        };
        handler(&mut liveness);
        handler(&mut readiness);
        // Slow starters (model loading) get up to 5 minutes before liveness applies.
        let startup = matches!(self.health, Health::Http(_)).then(|| {
            let mut p = Probe {
                period_seconds: Some(5),
                failure_threshold: Some(60),
                ..Default::default()
            };
            handler(&mut p);
            p
        });
        (liveness, readiness, startup)
    }
}
