//! In-cluster `Postgres` and `Redis` for environments without managed databases:
//! a StatefulSet with volume claim templates and a headless Service.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    EmptyDirVolumeSource, PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSpec, Service,
    ServicePort, ServiceSpec, Volume, VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::common::{self, Allowed};
use terrane_core::construct::Construct;

use super::workload::Workload;
use crate::manifests::Manifests;
use crate::pod::{with_labels, Health, PodBuilder, PodTemplate, Resources, Spread};

#[derive(Debug, Clone, PartialEq)]
struct Stateful {
    name: String,
    namespace: Option<String>,
    component: &'static str,
    pod: PodTemplate,
    data_path: String,
    scratch_paths: Vec<String>,
    storage: String,
    storage_class: Option<String>,
    allow_from: Vec<String>,
}

impl Stateful {
    fn build(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, self.namespace.as_deref(), self.component);
        w.service_account(m, None);
        m.push(self.headless_service(w.meta.clone(), &w.selector));
        m.push(self.stateful_set(&w));
        m.push(common::app_network_policy(
            w.meta,
            &w.selector,
            Some(&self.pod.port_name),
            &Allowed {
                ingress_controller: false,
                monitoring: false,
                apps: self.allow_from.clone(),
            },
        ));
    }

    /// The pod template's pod, with the data volume and an emptyDir per scratch path
    /// mounted into its container.
    fn pod_spec(&self, w: &Workload<'_>) -> PodSpec {
        let mut container = self.pod.container(w.name);
        let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
        mounts.push(VolumeMount {
            name: "data".into(),
            mount_path: self.data_path.clone(),
            ..Default::default()
        });
        for (i, p) in self.scratch_paths.iter().enumerate() {
            mounts.push(VolumeMount {
                name: format!("scratch-{i}"),
                mount_path: p.clone(),
                ..Default::default()
            });
        }
        let mut spec = self
            .pod
            .pod_spec(container, w.name, &w.selector, Spread::Anywhere);
        let volumes = spec.volumes.get_or_insert_with(Vec::new);
        for i in 0..self.scratch_paths.len() {
            volumes.push(Volume {
                name: format!("scratch-{i}"),
                empty_dir: Some(EmptyDirVolumeSource::default()),
                ..Default::default()
            });
        }
        spec
    }

    /// The headless Service that gives the pod its stable DNS name.
    fn headless_service(&self, meta: ObjectMeta, selector: &BTreeMap<String, String>) -> Service {
        Service {
            metadata: meta,
            spec: Some(ServiceSpec {
                cluster_ip: Some("None".into()),
                selector: Some(selector.clone()),
                ports: Some(vec![ServicePort {
                    name: Some(self.pod.port_name.clone()),
                    port: self.pod.port.unwrap_or_default(),
                    target_port: Some(IntOrString::String(self.pod.port_name.clone())),
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            status: None,
        }
    }

    /// One replica with its `data` volume claimed from the storage class.
    fn stateful_set(&self, w: &Workload<'_>) -> StatefulSet {
        StatefulSet {
            metadata: w.meta.clone(),
            spec: Some(StatefulSetSpec {
                replicas: Some(1),
                service_name: Some(w.name.to_string()),
                selector: common::selector(&w.selector),
                template: with_labels(w.labels.all(), self.pod_spec(w)),
                volume_claim_templates: Some(vec![PersistentVolumeClaim {
                    metadata: ObjectMeta {
                        name: Some("data".into()),
                        labels: Some(w.labels.all()),
                        ..Default::default()
                    },
                    spec: Some(PersistentVolumeClaimSpec {
                        access_modes: Some(vec!["ReadWriteOnce".into()]),
                        storage_class_name: self.storage_class.clone(),
                        resources: Some(VolumeResourceRequirements {
                            requests: Some(BTreeMap::from([(
                                "storage".to_string(),
                                Quantity(self.storage.clone()),
                            )])),
                            limits: None,
                        }),
                        ..Default::default()
                    }),
                    status: None,
                }]),
                ..Default::default()
            }),
            status: None,
        }
    }
}

macro_rules! stateful_builder {
    ($ty:ident) => {
        impl $ty {
            /// Namespace, instead of the manifests' default.
            pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
                self.0.namespace = Some(namespace.into());
                self
            }

            /// Size of the data volume (`20Gi`).
            pub fn storage(mut self, size: impl Into<String>) -> Self {
                self.0.storage = size.into();
                self
            }

            /// StorageClass of the data volume (default: the cluster's default class).
            pub fn storage_class(mut self, class: impl Into<String>) -> Self {
                self.0.storage_class = Some(class.into());
                self
            }

            /// Lets pods of application `app` connect.
            pub fn allow_from(mut self, app: impl Into<String>) -> Self {
                self.0.allow_from.push(app.into());
                self
            }
        }

        impl PodBuilder for $ty {
            fn pod_template(&mut self) -> &mut PodTemplate {
                &mut self.0.pod
            }
        }

        impl Construct<Manifests> for $ty {
            type Handle = ();

            /// Adds the construct's objects (and the Terraform values they read) to `m`.
            fn add_to(self, m: &mut Manifests) {
                self.0.build(m)
            }
        }
    };
}

/// A single-instance PostgreSQL. The superuser password comes from a Secret key,
/// typically written by an ExternalSecret.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, Postgres};
/// let mut m = Manifests::new("dev", "dev");
/// Postgres::new("postgres", "postgres-credentials").storage("5Gi").allow_from("api").add_to(&mut m);
/// assert!(m.objects().iter().any(|o| o.kind() == "StatefulSet"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Postgres(Stateful);

impl Postgres {
    /// PostgreSQL 16 named `name`, password from key `password` of Secret `password_secret`.
    pub fn new(name: impl Into<String>, password_secret: impl Into<String>) -> Self {
        let mut pod = PodTemplate::new(
            "postgres:16.4",
            Some(5432),
            Health::Exec(vec!["pg_isready".into(), "-U".into(), "postgres".into()]),
        );
        pod.port_name = "postgres".into();
        pod.resources = Resources::requests("250m", "512Mi").limits("1", "1Gi");
        let mut s = Stateful {
            name: name.into(),
            namespace: None,
            component: "database",
            pod,
            data_path: "/var/lib/postgresql/data".into(),
            scratch_paths: vec!["/var/run/postgresql".into()],
            storage: "20Gi".into(),
            storage_class: None,
            allow_from: Vec::new(),
        };
        s.pod
            .env
            .insert("PGDATA".into(), "/var/lib/postgresql/data/pgdata".into());
        s.pod.env.insert(
            "POSTGRES_PASSWORD".into(),
            crate::pod::EnvValue::SecretKey {
                secret: password_secret.into(),
                key: "password".into(),
            },
        );
        Postgres(s)
    }
}
stateful_builder!(Postgres);

/// A single-instance Redis with append-only persistence.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, Redis};
/// let mut m = Manifests::new("dev", "dev");
/// Redis::new("redis").allow_from("worker").add_to(&mut m);
/// assert!(m.objects().iter().any(|o| o.kind() == "StatefulSet"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Redis(Stateful);

impl Redis {
    /// Redis 7 named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        let mut pod = PodTemplate::new(
            "redis:7.4",
            Some(6379),
            Health::Exec(vec!["redis-cli".into(), "ping".into()]),
        );
        pod.port_name = "redis".into();
        pod.args = vec![
            "--appendonly".into(),
            "yes".into(),
            "--dir".into(),
            "/data".into(),
        ];
        pod.resources = Resources::requests("100m", "256Mi").limits("500m", "512Mi");
        Redis(Stateful {
            name: name.into(),
            namespace: None,
            component: "cache",
            pod,
            data_path: "/data".into(),
            scratch_paths: Vec::new(),
            storage: "5Gi".into(),
            storage_class: None,
            allow_from: Vec::new(),
        })
    }
}
stateful_builder!(Redis);
