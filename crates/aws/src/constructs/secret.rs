//! `Secret`: a Secrets Manager secret encrypted with a customer key, with an optional
//! initial value (from a sensitive variable, never a literal, or write-only from an
//! ephemeral value so that it never reaches state) and optional rotation.

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{Expr, Number, Stack, Value, WriteOnly};

use crate::secretsmanager::{
    SecretsmanagerSecret, SecretsmanagerSecretRef, SecretsmanagerSecretRotation,
    SecretsmanagerSecretRotationRotationRules, SecretsmanagerSecretVersion,
    SecretsmanagerSecretVersionRef,
};

/// A Secrets Manager secret.
///
/// Defaults: encrypted with the given KMS key, 30-day recovery window.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::Secret;
/// use terrane_core::{Expr, Stack, Variable};
/// let mut s = Stack::new("data");
/// let token = s.variable("api_token", Variable::<String>::new().sensitive().supplied_at_apply());
/// let secret = Secret::new("prod/api-token", Expr::<String>::raw("var.key"))
///     .value(token)
///     .rotate_with(Expr::<String>::raw("var.rotation_lambda"), 30)
///     .add_to(&mut s);
/// assert_eq!(secret.arn().to_hcl(), "aws_secretsmanager_secret.prod_api_token.arn");
/// ```
///
/// A value that never reaches state: an ephemeral value (here a password Secrets
/// Manager generates at apply) into the version's write-only `secret_string_wo`.
/// Terraform sends it once and keeps only `secret_string_wo_version`; to rotate,
/// bump the version number (`2`, `3`, ...) and apply: a new value is generated and
/// written as the secret's current version. Consumers read the secret from Secrets
/// Manager at run time, so [`SecretHandle::value`] is `None` for such a secret.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::Secret;
/// use terrane_aws::secretsmanager::EphemeralSecretsmanagerRandomPassword;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("app");
/// let key = s.ephemeral(
///     "signing_key",
///     EphemeralSecretsmanagerRandomPassword::new().password_length(64).exclude_punctuation(true),
/// );
/// let secret = Secret::new("prod/signing-key", Expr::<String>::raw("var.key"))
///     .value_write_only(key.attr::<String>("random_password"), 1)
///     .add_to(&mut s);
/// assert!(secret.value().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Secret {
    name: String,
    kms_key_arn: Value<String>,
    description: Option<String>,
    value: Option<SecretValue>,
    rotation: Option<(Value<String>, u32)>,
    tags: BTreeMap<String, String>,
}

/// Where a [`Secret`]'s first version comes from.
#[derive(Debug, Clone)]
enum SecretValue {
    /// `secret_string`: Terraform keeps the value in state.
    InState(Value<String>),
    /// `secret_string_wo` with its version: the value never reaches state.
    WriteOnly(Value<String>, u32),
}

/// A declared [`Secret`].
#[derive(Debug, Clone)]
pub struct SecretHandle {
    secret: SecretsmanagerSecretRef,
    version: Option<SecretsmanagerSecretVersionRef>,
    write_only: bool,
}

impl SecretHandle {
    /// The secret resource.
    pub fn secret(&self) -> &SecretsmanagerSecretRef {
        &self.secret
    }
    /// Its first version, when a value was given.
    pub fn version(&self) -> Option<&SecretsmanagerSecretVersionRef> {
        self.version.as_ref()
    }
    /// The secret's ARN (what an ECS task or external-secrets refers to).
    pub fn arn(&self) -> Expr<String> {
        self.secret.arn()
    }
    /// The secret's value, read from Secrets Manager (sensitive), if one was given
    /// with [`Secret::value`] (a write-only value has no readable attribute).
    pub fn value(&self) -> Option<Expr<String>> {
        if self.write_only {
            return None;
        }
        self.version.as_ref().map(|v| v.secret_string())
    }
}

impl Secret {
    /// A secret named `name`, encrypted with `kms_key_arn`.
    pub fn new(name: &str, kms_key_arn: impl Into<Value<String>>) -> Self {
        Secret {
            name: name.to_string(),
            kms_key_arn: kms_key_arn.into(),
            description: None,
            value: None,
            rotation: None,
            tags: BTreeMap::new(),
        }
    }
    /// Description.
    pub fn description(mut self, d: &str) -> Self {
        self.description = Some(d.into());
        self
    }
    /// The initial value: pass a sensitive variable supplied at apply.
    pub fn value(mut self, v: impl Into<Value<String>>) -> Self {
        self.value = Some(SecretValue::InState(v.into()));
        self
    }
    /// The value, write-only (Terraform 1.11): `v` is an ephemeral value and never
    /// reaches state. `version` is stored instead; bump it to write a new value
    /// (rotation by apply).
    pub fn value_write_only(mut self, v: impl Into<WriteOnly<String>>, version: u32) -> Self {
        self.value = Some(SecretValue::WriteOnly(v.into().into_value(), version));
        self
    }
    /// Rotates the secret every `days` days with the given rotation Lambda function.
    pub fn rotate_with(mut self, lambda_arn: impl Into<Value<String>>, days: u32) -> Self {
        self.rotation = Some((lambda_arn.into(), days));
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
}

impl Construct for Secret {
    type Handle = SecretHandle;

    /// Adds the secret, its version and rotation.
    fn add_to(self, stack: &mut Stack) -> SecretHandle {
        let id = block_name(&self.name);
        let mut s = SecretsmanagerSecret::new()
            .name(self.name.as_str())
            .kms_key_id(self.kms_key_arn.clone())
            .recovery_window_in_days(30)
            .tags(super::tags(&self.name, &self.tags));
        if let Some(d) = &self.description {
            s = s.description(d.as_str());
        }
        let secret = stack.add(&id, s);
        let write_only = matches!(self.value, Some(SecretValue::WriteOnly(..)));
        let version = self.value.map(|v| {
            let body = SecretsmanagerSecretVersion::new(secret.id());
            let body = match v {
                SecretValue::InState(v) => body.secret_string(v),
                SecretValue::WriteOnly(v, n) => body
                    .secret_string_wo(WriteOnly::from(v))
                    .secret_string_wo_version(Number::from(n)),
            };
            stack.add(&id, body)
        });
        if let Some((lambda, days)) = self.rotation {
            stack.add(
                &id,
                SecretsmanagerSecretRotation::new(
                    secret.id(),
                    SecretsmanagerSecretRotationRotationRules::new().automatically_after_days(days),
                )
                .rotation_lambda_arn(lambda),
            );
        }
        SecretHandle {
            secret,
            version,
            write_only,
        }
    }
}
