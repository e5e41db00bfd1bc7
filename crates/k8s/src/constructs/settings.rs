//! `AppConfig`: the non-secret settings workloads read as environment variables,
//! some known only after `terraform apply`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use terrane_core::construct::Construct;

use crate::bridge::TfValue;
use crate::manifests::Manifests;

/// A ConfigMap of settings (workloads read it with
/// [`PodBuilder::env_from_config_map`](crate::PodBuilder::env_from_config_map));
/// Terraform values reach it through the kustomize bridge, never as placeholders.
///
/// ```
/// use terrane_k8s::{AppConfig, Construct, Manifests, TfValue};
/// let mut m = Manifests::new("shop", "shop");
/// AppConfig::new("settings").set("LOG_LEVEL", "info")
///     .set_from_terraform("DATABASE_HOST", TfValue::output("data", "db_endpoint"))
///     .add_to(&mut m);
/// assert_eq!(m.bridge_uses()[0].field_path, "data.DATABASE_HOST");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    name: String,
    literals: BTreeMap<String, String>,
    terraform: BTreeMap<String, TfValue>,
}

impl AppConfig {
    /// An empty ConfigMap `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            literals: BTreeMap::new(),
            terraform: BTreeMap::new(),
        }
    }

    /// Setting `key` = `value`.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.literals.insert(key.into(), value.into());
        self
    }

    /// Setting `key` from a Terraform value, written at deploy time.
    pub fn set_from_terraform(mut self, key: impl Into<String>, value: impl Into<TfValue>) -> Self {
        self.terraform.insert(key.into(), value.into());
        self
    }
}

impl Construct<Manifests> for AppConfig {
    type Handle = ();

    /// Adds the ConfigMap and the Terraform values it reads to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "config");
        for (key, value) in &self.terraform {
            m.bridge(
                value.clone(),
                "ConfigMap",
                &ns,
                &self.name,
                format!("data.{key}"),
            );
        }
        m.push(ConfigMap {
            metadata: m.meta(&self.name, &ns, &l),
            data: Some(self.literals),
            ..Default::default()
        });
    }
}
