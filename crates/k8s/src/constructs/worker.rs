//! Background processes: `Worker` (scaled on CPU or queue depth), `Scheduler`
//! (exactly one beat process) and `CronJob`.

use std::collections::BTreeMap;

use k8s_openapi::api::autoscaling::v2::{
    ExternalMetricSource, MetricIdentifier, MetricSpec, MetricTarget,
};
use k8s_openapi::api::batch::v1::{CronJob as K8sCronJob, CronJobSpec, JobSpec, JobTemplateSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::common::{self, Allowed, Rollout};
use super::workload::{Workload, DEPLOYMENT_POD_SPEC};
use terrane_core::construct::Construct;

use crate::manifests::Manifests;
use crate::pod::{Health, PodBuilder, PodTemplate, Probes, Spread};

/// What a [`Worker`]'s HPA follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerScaling {
    /// Average CPU utilization, percent of requests.
    Cpu(i32),
    /// An external metric (a queue's depth, served by an external metrics adapter such as
    /// prometheus-adapter or KEDA): scale so each pod has at most `per_pod` messages.
    QueueDepth {
        /// External metric name (`celery_queue_length`).
        metric: String,
        /// Labels selecting the queue (`queue=default`).
        selector: BTreeMap<String, String>,
        /// Target messages per pod.
        per_pod: u32,
    },
}

/// The default health check of processes without HTTP: PID 1 is alive.
fn process_alive() -> Health {
    Health::Exec(vec!["/bin/sh".into(), "-c".into(), "kill -0 1".into()])
}

/// A queue consumer: Deployment, ServiceAccount, HPA, PDB, VPA, NetworkPolicy (no ingress), no Service.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, PodBuilder, Worker, WorkerScaling};
/// let mut m = Manifests::new("shop", "shop");
/// Worker::new("worker", "registry.example.com/api:1.4.2")
///     .command(["celery", "-A", "shop", "worker"])
///     .replicas(3, 15)
///     .scaling(WorkerScaling::Cpu(70))
///     .add_to(&mut m);
/// assert!(m.objects().iter().any(|o| o.kind() == "HorizontalPodAutoscaler"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    name: String,
    namespace: Option<String>,
    pod: PodTemplate,
    min_replicas: i32,
    max_replicas: i32,
    scaling: WorkerScaling,
}

impl Worker {
    /// Worker `name` running `image`.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            pod: PodTemplate::new(image, None, process_alive()),
            min_replicas: 1,
            max_replicas: 10,
            scaling: WorkerScaling::Cpu(70),
        }
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// HPA range (default 1-10).
    pub fn replicas(mut self, min: i32, max: i32) -> Self {
        self.min_replicas = min;
        self.max_replicas = max;
        self
    }

    /// What the HPA follows (default CPU at 70%).
    pub fn scaling(mut self, scaling: WorkerScaling) -> Self {
        self.scaling = scaling;
        self
    }
}

impl PodBuilder for Worker {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl Construct<Manifests> for Worker {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, self.namespace.as_deref(), "worker");
        w.declare_identity(m, &self.pod, "Deployment", DEPLOYMENT_POD_SPEC);
        let template = self.pod.to_k8s(
            w.name,
            w.versioned_labels(&self.pod.image),
            &w.selector,
            Spread::AcrossZones,
        );
        m.push(w.deployment(None, Rollout::RollingUpdate, template));
        let (name, sel, meta) = (w.name, &w.selector, w.meta);
        m.push(common::hpa(
            meta.clone(),
            "Deployment",
            name,
            self.min_replicas,
            self.max_replicas,
            vec![self.scaling.metric()],
        ));
        m.push(common::pdb(meta.clone(), sel, None));
        m.push(common::vpa(meta.clone(), "Deployment", name));
        m.push(common::app_network_policy(
            meta,
            sel,
            None,
            &Allowed::default(),
        ));
    }
}

impl WorkerScaling {
    /// The HPA metric that follows this.
    fn metric(&self) -> MetricSpec {
        match self {
            WorkerScaling::Cpu(p) => common::resource_metric("cpu", *p),
            WorkerScaling::QueueDepth {
                metric,
                selector,
                per_pod,
            } => MetricSpec {
                type_: "External".into(),
                external: Some(ExternalMetricSource {
                    metric: MetricIdentifier {
                        name: metric.clone(),
                        selector: Some(LabelSelector {
                            match_labels: Some(selector.clone()),
                            match_expressions: None,
                        }),
                    },
                    target: MetricTarget {
                        type_: "AverageValue".into(),
                        average_value: Some(Quantity(per_pod.to_string())),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            },
        }
    }
}

/// A single-replica periodic scheduler (a Celery beat): `Recreate` rollouts so two never run at once.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, PodBuilder, Scheduler};
/// let mut m = Manifests::new("shop", "shop");
/// Scheduler::new("beat", "registry.example.com/api:1.4.2").command(["celery", "-A", "shop", "beat"]).add_to(&mut m);
/// let files = m.render("t").unwrap();
/// assert!(files["base/workloads.yaml"].contains("type: Recreate"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduler {
    name: String,
    namespace: Option<String>,
    pod: PodTemplate,
}

impl Scheduler {
    /// Scheduler `name` running `image`.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            pod: PodTemplate::new(image, None, process_alive()),
        }
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }
}

impl PodBuilder for Scheduler {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl Construct<Manifests> for Scheduler {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, self.namespace.as_deref(), "scheduler");
        w.declare_identity(m, &self.pod, "Deployment", DEPLOYMENT_POD_SPEC);
        let template = self
            .pod
            .to_k8s(w.name, w.labels.all(), &w.selector, Spread::Anywhere);
        m.push(w.deployment(Some(1), Rollout::Recreate, template));
        m.push(common::vpa(w.meta.clone(), "Deployment", w.name));
        m.push(common::app_network_policy(
            w.meta,
            &w.selector,
            None,
            &Allowed::default(),
        ));
    }
}

/// A CronJob: no overlapping runs, bounded retries and run time, history kept short.
///
/// ```
/// use terrane_k8s::{Construct, CronJob, Manifests, PodBuilder};
/// let mut m = Manifests::new("shop", "shop");
/// CronJob::new("cleanup", "registry.example.com/api:1.4.2", "0 3 * * *").command(["python", "manage.py", "cleanup"]).add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/workloads.yaml"].contains("concurrencyPolicy: Forbid"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CronJob {
    name: String,
    namespace: Option<String>,
    schedule: String,
    pod: PodTemplate,
    deadline_seconds: i64,
}

impl CronJob {
    /// Job `name` running `image` on `schedule` (cron syntax, UTC).
    pub fn new(
        name: impl Into<String>,
        image: impl Into<String>,
        schedule: impl Into<String>,
    ) -> Self {
        let mut pod = PodTemplate::new(image, None, process_alive());
        // A job's pod is expected to finish; liveness and readiness do not apply.
        pod.probes = Probes::Off;
        Self {
            name: name.into(),
            namespace: None,
            schedule: schedule.into(),
            pod,
            deadline_seconds: 3600,
        }
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Longest run before the job is killed (default one hour).
    pub fn deadline_seconds(mut self, seconds: i64) -> Self {
        self.deadline_seconds = seconds;
        self
    }
}

impl PodBuilder for CronJob {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl Construct<Manifests> for CronJob {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, self.namespace.as_deref(), "job");
        w.declare_identity(
            m,
            &self.pod,
            "CronJob",
            "spec.jobTemplate.spec.template.spec",
        );
        let mut template = self
            .pod
            .to_k8s(w.name, w.labels.all(), &w.selector, Spread::Anywhere);
        if let Some(spec) = template.spec.as_mut() {
            spec.restart_policy = Some("Never".into());
        }
        m.push(K8sCronJob {
            metadata: w.meta.clone(),
            spec: Some(CronJobSpec {
                schedule: self.schedule.clone(),
                time_zone: Some("Etc/UTC".into()),
                concurrency_policy: Some("Forbid".into()),
                successful_jobs_history_limit: Some(3),
                failed_jobs_history_limit: Some(3),
                starting_deadline_seconds: Some(600),
                job_template: JobTemplateSpec {
                    metadata: None,
                    spec: Some(JobSpec {
                        backoff_limit: Some(2),
                        active_deadline_seconds: Some(self.deadline_seconds),
                        ttl_seconds_after_finished: Some(86400),
                        template,
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            status: None,
        });
        m.push(common::app_network_policy(
            w.meta,
            &w.selector,
            None,
            &Allowed::default(),
        ));
    }
}
