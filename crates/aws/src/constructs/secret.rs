//! `Secret`: a Secrets Manager secret encrypted with a customer key, with an optional
//! initial value (from a sensitive variable, never a literal) and optional rotation.

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{Expr, Stack, Value};

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
#[derive(Debug, Clone)]
pub struct Secret {
    name: String,
    kms_key_arn: Value<String>,
    description: Option<String>,
    value: Option<Value<String>>,
    rotation: Option<(Value<String>, u32)>,
    tags: BTreeMap<String, String>,
}

/// A declared [`Secret`].
#[derive(Debug, Clone)]
pub struct SecretHandle {
    secret: SecretsmanagerSecretRef,
    version: Option<SecretsmanagerSecretVersionRef>,
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
    /// The secret's value, read from Secrets Manager (sensitive), if one was given.
    pub fn value(&self) -> Option<Expr<String>> {
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
        self.value = Some(v.into());
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
        let version = self.value.map(|v| {
            stack.add(
                &id,
                SecretsmanagerSecretVersion::new(secret.id()).secret_string(v),
            )
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
        SecretHandle { secret, version }
    }
}
