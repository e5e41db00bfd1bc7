//! `MigrationJob`: the database migrations of one release, run once, before the
//! release's pods start serving.

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use terrane_core::construct::Construct;

use super::common::{self, Allowed};
use super::workload::Workload;
use crate::labels;
use crate::manifests::Manifests;
use crate::pod::{Health, PodBuilder, PodTemplate, Probes, Spread};

/// A Job named `<name>-<image tag>` (dots as dashes) running the release's
/// migrations. Named by the tag, it runs once per release: re-applying the same
/// release finds the Job done and leaves it (no TTL deletes it, so it is not re-run).
///
/// Ordering without a controller: the Job and the new Deployments are applied
/// together; each Deployment's pods wait in an init container (see
/// [`PodBuilder::init_command`]) until the schema is at their release, and the rolling
/// update keeps the old pods serving until then (`maxUnavailable: 0`).
///
/// ```
/// use terrane_k8s::{Construct, Manifests, MigrationJob, PodBuilder};
/// let mut m = Manifests::new("shop", "shop");
/// MigrationJob::new("migrate", "api:1.4.2").command(["python", "manage.py", "migrate"]).add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/workloads.yaml"].contains("name: migrate-1-4-2"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationJob {
    name: String,
    pod: PodTemplate,
    deadline_seconds: i64,
}

impl MigrationJob {
    /// Migrations `name` of the release `image` (tagged).
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        let mut pod = PodTemplate::new(image, None, Health::Exec(Vec::new()));
        pod.probes = Probes::Off;
        Self {
            name: name.into(),
            pod,
            deadline_seconds: 1800,
        }
    }

    /// Longest run before the Job fails (default 30 minutes).
    pub fn deadline_seconds(mut self, seconds: i64) -> Self {
        self.deadline_seconds = seconds;
        self
    }

    /// The Job's name: `<name>-<tag>`, the tag's dots, underscores and plus signs as
    /// dashes, lower case (a DNS label).
    pub fn job_name(&self) -> String {
        let tag = labels::image_tag(&self.pod.image).unwrap_or("untagged");
        let tag: String = tag
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        format!("{}-{}", self.name, tag.trim_matches('-'))
    }
}

impl PodBuilder for MigrationJob {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl Construct<Manifests> for MigrationJob {
    type Handle = ();

    /// Adds the Job, its ServiceAccount, policy and Terraform values to `m`.
    fn add_to(self, m: &mut Manifests) {
        let job_name = self.job_name();
        let w = Workload::new(m, &self.name, None, "migration");
        w.service_account(m, self.pod.irsa_role.as_ref());
        w.bridge_pod(m, &self.pod, "Job", &job_name, "spec.template.spec");
        let mut template = self.pod.to_k8s(
            w.name,
            w.versioned_labels(&self.pod.image),
            &w.selector,
            Spread::Anywhere,
        );
        if let Some(spec) = template.spec.as_mut() {
            spec.restart_policy = Some("Never".into());
        }
        let mut meta = w.meta.clone();
        meta.name = Some(job_name);
        m.push(Job {
            metadata: meta,
            spec: Some(JobSpec {
                backoff_limit: Some(2),
                active_deadline_seconds: Some(self.deadline_seconds),
                template,
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
