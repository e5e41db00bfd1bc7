//! `ContainerRegistry`: an Artifact Registry Docker repository the services' images
//! are pushed to and pulled from, encrypted with a customer-managed key.

use terrane_core::construct::Construct;
use terrane_core::{tmpl, Expr, Handle, Stack, Value};

use crate::artifact_registry::{
    ArtifactRegistryRepository, ArtifactRegistryRepositoryCleanupPolicies,
    ArtifactRegistryRepositoryCleanupPoliciesCondition,
    ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions,
    ArtifactRegistryRepositoryDockerConfig, ArtifactRegistryRepositoryRef,
    ArtifactRegistryRepositoryVulnerabilityScanningConfig,
};

use super::{apis, block_name, CmekKeyHandle, ProjectServicesHandle};

/// An Artifact Registry repository of Docker images in one region.
///
/// Safe defaults: immutable tags (a released tag always names the same image, so a
/// rollback redeploys what was tested); cleanup keeps the 20 most recent versions of
/// each image and deletes untagged ones after 30 days; every pushed image is scanned
/// for vulnerabilities (Artifact Analysis, the Container Scanning API that
/// [`apis::ALL`](super::apis::ALL) enables).
///
/// Checked at synth: the repository id (lowercase letters, digits and hyphens,
/// starting with a letter, at most 63 characters), and a key from another location.
///
/// ```
/// use terrane_core::{Expr, Stack};
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("foundation");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let registry = ContainerRegistry::new(&project, "prod-images", "us-central1").add_to(&mut stack);
/// assert_eq!(
///     registry.image("api", "1.0.0").to_hcl(),
///     "\"${google_artifact_registry_repository.prod_images.location}-docker.pkg.dev/${google_artifact_registry_repository.prod_images.project}/${google_artifact_registry_repository.prod_images.repository_id}/api:1.0.0\""
/// );
/// ```
#[derive(Debug, Clone)]
pub struct ContainerRegistry {
    project: ProjectServicesHandle,
    repository_id: String,
    location: String,
    key: Option<(Expr<String>, String)>,
    keep_versions: u32,
}

impl ContainerRegistry {
    /// A Docker repository of `project` named `repository_id` in `location`
    /// (`us-central1`; images are then `us-central1-docker.pkg.dev/...`).
    pub fn new(project: &ProjectServicesHandle, repository_id: &str, location: &str) -> Self {
        ContainerRegistry {
            project: project.clone(),
            repository_id: repository_id.to_string(),
            location: location.to_string(),
            key: None,
            keep_versions: 20,
        }
    }
    /// Encrypts the images with a customer-managed key of the same location
    /// (a [`CmekKey`](super::CmekKey) for [`ServiceAgent::ArtifactRegistry`](super::ServiceAgent)).
    pub fn encryption_key(mut self, key: &CmekKeyHandle) -> Self {
        self.key = Some((key.id(), key.location().to_string()));
        self
    }
    /// How many recent versions of each image cleanup keeps (default 20).
    pub fn keep_versions(mut self, n: u32) -> Self {
        self.keep_versions = n;
        self
    }

    /// The repository id rule of Artifact Registry.
    fn id_problem(&self) -> Option<String> {
        let id = &self.repository_id;
        let valid = id.len() <= 63
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.ends_with('-');
        (!valid).then(|| format!(
            "repository id `{id}` must be lowercase letters, digits and hyphens, start with a letter, not end with a hyphen, at most 63 characters"
        ))
    }
}

impl Construct for ContainerRegistry {
    type Handle = ContainerRegistryHandle;

    /// Declares the `google_artifact_registry_repository` in `stack`.
    fn add_to(self, stack: &mut Stack) -> ContainerRegistryHandle {
        let mut repo = ArtifactRegistryRepository::new("DOCKER", self.repository_id.as_str())
            .project(self.project.id())
            .location(self.location.as_str())
            .description("Container images of the platform's services")
            .docker_config(ArtifactRegistryRepositoryDockerConfig::new().immutable_tags(true))
            // INHERITED: scanned whenever the project has the Container Scanning API on
            .vulnerability_scanning_config(
                ArtifactRegistryRepositoryVulnerabilityScanningConfig::new()
                    .enablement_config("INHERITED"),
            )
            .cleanup_policy_dry_run(false)
            .cleanup_policies(
                ArtifactRegistryRepositoryCleanupPolicies::new("keep-recent")
                    .action("KEEP")
                    .most_recent_versions(
                        ArtifactRegistryRepositoryCleanupPoliciesMostRecentVersions::new()
                            .keep_count(self.keep_versions),
                    ),
            )
            .cleanup_policies(
                ArtifactRegistryRepositoryCleanupPolicies::new("delete-untagged")
                    .action("DELETE")
                    .condition(
                        ArtifactRegistryRepositoryCleanupPoliciesCondition::new()
                            .tag_state("UNTAGGED")
                            .older_than("2592000s"),
                    ),
            );
        if let Some((key, _)) = &self.key {
            repo = repo.kms_key_name(key.clone());
        }
        let repo = stack.add_with(
            &block_name(&self.repository_id),
            repo,
            self.project
                .after(stack, &[apis::ARTIFACT_REGISTRY, apis::CONTAINER_SCANNING]),
        );
        if let Some(problem) = self.id_problem() {
            stack.report(&repo.address(), "repository_id", problem);
        }
        if let Some((_, key_location)) = &self.key {
            if key_location != &self.location {
                stack.report(
                    &repo.address(),
                    "kms_key_name",
                    format!(
                        "the key is in {key_location} but the repository is in {}: Artifact Registry needs a key of the repository's location",
                        self.location
                    ),
                );
            }
        }
        ContainerRegistryHandle { repo }
    }
}

/// The declared repository.
#[derive(Debug, Clone)]
pub struct ContainerRegistryHandle {
    repo: ArtifactRegistryRepositoryRef,
}

impl ContainerRegistryHandle {
    /// The reference of image `name` at `tag`:
    /// `<location>-docker.pkg.dev/<project>/<repository>/<name>:<tag>`.
    pub fn image(&self, name: &str, tag: impl Into<Value<String>>) -> Expr<String> {
        let tag: Value<String> = tag.into();
        tmpl!(
            "{}-docker.pkg.dev/{}/{}/{}:{}",
            self.repo.location(),
            self.repo.project(),
            self.repo.repository_id(),
            name,
            tag
        )
    }
    /// The repository.
    pub fn repository(&self) -> &ArtifactRegistryRepositoryRef {
        &self.repo
    }
}
