//! `KeyRing` and `CmekKey`: Cloud KMS keys that a Google service encrypts one
//! resource family with (customer-managed encryption keys), rotated and granted.

use terrane_core::construct::{Construct, Environment};
use terrane_core::{tmpl, Expr, Handle, Lifecycle, Meta, Stack, Value};

use crate::kms::{
    KmsCryptoKey, KmsCryptoKeyIamMember, KmsCryptoKeyIamMemberArgs, KmsCryptoKeyIamMemberRef,
    KmsCryptoKeyRef, KmsKeyRing, KmsKeyRingRef,
};

use super::{apis, block_name, ProjectServicesHandle};

/// A Cloud KMS key ring in one location. Key rings cannot be deleted (Cloud KMS
/// keeps the name forever), so the name must be new to the project.
///
/// ```
/// use terrane_core::{Expr, Stack};
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("foundation");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let ring = KeyRing::new(&project, "prod-platform", "us-central1").add_to(&mut stack);
/// let key = CmekKey::new(&ring, ServiceAgent::PubSub, Expr::<String>::raw("var.project_number"))
///     .add_to(&mut stack);
/// assert_eq!(key.id().to_hcl(), "google_kms_crypto_key_iam_member.prod_platform_pubsub.crypto_key_id");
/// ```
#[derive(Debug, Clone)]
pub struct KeyRing {
    project: ProjectServicesHandle,
    name: String,
    location: String,
}

impl KeyRing {
    /// A key ring of `project` named `name` in `location` (a region, `us-central1`:
    /// a regional resource must be encrypted with a key of its own region).
    pub fn new(project: &ProjectServicesHandle, name: &str, location: &str) -> Self {
        KeyRing {
            project: project.clone(),
            name: name.to_string(),
            location: location.to_string(),
        }
    }
}

impl Construct for KeyRing {
    type Handle = KeyRingHandle;

    /// Declares the `google_kms_key_ring` in `stack`.
    fn add_to(self, stack: &mut Stack) -> KeyRingHandle {
        let ring = stack.add_with(
            &block_name(&self.name),
            KmsKeyRing::new(self.location.as_str(), self.name.as_str()).project(self.project.id()),
            self.project.after(stack, &[apis::KMS]),
        );
        KeyRingHandle {
            ring,
            project: self.project,
            name: self.name,
            location: self.location,
        }
    }
}

/// The declared key ring.
#[derive(Debug, Clone)]
pub struct KeyRingHandle {
    ring: KmsKeyRingRef,
    project: ProjectServicesHandle,
    name: String,
    location: String,
}

impl KeyRingHandle {
    /// The key ring's id (`projects/<p>/locations/<l>/keyRings/<name>`).
    pub fn id(&self) -> Expr<String> {
        self.ring.id()
    }
    /// The location the ring (and every key in it) lives in.
    pub fn location(&self) -> &str {
        &self.location
    }
    /// The key ring handle.
    pub fn handle(&self) -> &KmsKeyRingRef {
        &self.ring
    }
}

/// A Google-managed service agent that encrypts with a customer-managed key: its
/// account is `service-<project number>@<domain>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceAgent {
    /// Pub/Sub (`gcp-sa-pubsub`): topics' messages at rest.
    PubSub,
    /// Artifact Registry (`gcp-sa-artifactregistry`): repositories' images.
    ArtifactRegistry,
}

impl ServiceAgent {
    /// The API whose enabling creates the agent.
    pub fn api(self) -> &'static str {
        match self {
            ServiceAgent::PubSub => apis::PUBSUB,
            ServiceAgent::ArtifactRegistry => apis::ARTIFACT_REGISTRY,
        }
    }
    /// The key's name in the ring (`pubsub`, `artifact-registry`).
    pub fn key_name(self) -> &'static str {
        match self {
            ServiceAgent::PubSub => "pubsub",
            ServiceAgent::ArtifactRegistry => "artifact-registry",
        }
    }
    /// The agent's IAM member for a project number.
    pub fn member(self, project_number: &Value<String>) -> Expr<String> {
        let domain = match self {
            ServiceAgent::PubSub => "gcp-sa-pubsub.iam.gserviceaccount.com",
            ServiceAgent::ArtifactRegistry => "gcp-sa-artifactregistry.iam.gserviceaccount.com",
        };
        tmpl!("serviceAccount:service-{}@{}", project_number, domain)
    }
}

/// Rotation bounds Cloud KMS accepts (at least a day) and the platform allows
/// (at most 90 days, the CIS benchmark).
const ROTATION_DAYS: std::ops::RangeInclusive<u32> = 1..=90;

/// A symmetric encryption key in a [`KeyRing`] for one Google service, with that
/// service's agent granted `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it.
///
/// Safe defaults: rotated every 90 days; in production `prevent_destroy`, because
/// destroying the key makes everything encrypted with it unreadable. One key per
/// service, so revoking one service's access never touches another's data.
///
/// Checked at synth: a rotation period outside 1 to 90 days.
#[derive(Debug, Clone)]
pub struct CmekKey {
    ring: KeyRingHandle,
    agent: ServiceAgent,
    project_number: Value<String>,
    rotation_days: u32,
    environment: Environment,
}

impl CmekKey {
    /// A key in `ring` for `agent` of the project numbered `project_number`
    /// (`data.google_project.x.number`).
    pub fn new(
        ring: &KeyRingHandle,
        agent: ServiceAgent,
        project_number: impl Into<Value<String>>,
    ) -> Self {
        CmekKey {
            ring: ring.clone(),
            agent,
            project_number: project_number.into(),
            rotation_days: 90,
            environment: Environment::Production,
        }
    }
    /// Days between automatic rotations (default 90), in 1 to 90.
    pub fn rotation_days(mut self, days: u32) -> Self {
        self.rotation_days = days;
        self
    }
    /// Production (the default) protects the key from `terraform destroy`.
    pub fn environment(mut self, e: Environment) -> Self {
        self.environment = e;
        self
    }
}

impl Construct for CmekKey {
    type Handle = CmekKeyHandle;

    /// Declares the `google_kms_crypto_key` and its service agent's binding.
    fn add_to(self, stack: &mut Stack) -> CmekKeyHandle {
        let block = format!(
            "{}_{}",
            block_name(&self.ring.name),
            block_name(self.agent.key_name())
        );
        let mut meta = Meta::new();
        if self.environment.is_production() {
            meta = meta.lifecycle(Lifecycle::new().prevent_destroy());
        }
        let key = stack.add_with(
            &block,
            KmsCryptoKey::new(self.ring.id(), self.agent.key_name())
                .purpose("ENCRYPT_DECRYPT")
                .rotation_period(format!("{}s", u64::from(self.rotation_days) * 86_400)),
            meta,
        );
        if !ROTATION_DAYS.contains(&self.rotation_days) {
            stack.report(
                &key.address(),
                "rotation_period",
                format!(
                    "key rotation every {} days is outside 1 to 90 days",
                    self.rotation_days
                ),
            );
        }
        // Enabling the agent's API creates the agent: grant after it.
        let after_agent = self.ring.project.after(stack, &[self.agent.api()]);
        let grant = stack.add_with(
            &block,
            KmsCryptoKeyIamMember::new(KmsCryptoKeyIamMemberArgs {
                crypto_key_id: key.id().into(),
                role: "roles/cloudkms.cryptoKeyEncrypterDecrypter".into(),
                member: self.agent.member(&self.project_number).into(),
            }),
            after_agent,
        );
        CmekKeyHandle {
            key,
            grant,
            location: self.ring.location,
        }
    }
}

/// The declared key and its grant.
#[derive(Debug, Clone)]
pub struct CmekKeyHandle {
    key: KmsCryptoKeyRef,
    grant: KmsCryptoKeyIamMemberRef,
    location: String,
}

impl CmekKeyHandle {
    /// The key's id, read from the service agent's grant: a resource encrypted with
    /// it is created after the agent may use the key, also from another stack.
    pub fn id(&self) -> Expr<String> {
        self.grant.crypto_key_id()
    }
    /// The location of the key (its ring's).
    pub fn location(&self) -> &str {
        &self.location
    }
    /// The key.
    pub fn key(&self) -> &KmsCryptoKeyRef {
        &self.key
    }
    /// The service agent's encrypter/decrypter binding.
    pub fn grant(&self) -> &KmsCryptoKeyIamMemberRef {
        &self.grant
    }
}
