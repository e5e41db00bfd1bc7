//! Where each generated type goes: services.json's explicit placements and the rule
//! for every type it does not list, and the type's module file within its service.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One provider's entry of `crates/codegen/services.json`.
#[derive(Deserialize, Default)]
pub(crate) struct ServiceMap {
    #[serde(rename = "crate")]
    pub(crate) krate: String,
    pub(crate) services: BTreeMap<String, Vec<String>>,
    /// Fields of object-typed arguments that the provider requires although the schema
    /// (a plain cty object type) cannot say so, by generated struct name.
    #[serde(default)]
    pub(crate) required_object_fields: BTreeMap<String, Vec<String>>,
    /// The service of a type's first word where it is not the service's own name
    /// (aws `lb` -> `elb`, `db` -> `rds`); see [`ServiceMap::service_of`].
    #[serde(default)]
    pub(crate) aliases: BTreeMap<String, String>,
    /// First words that name no service alone: the service is the first two words
    /// (google `cloud_scheduler`, `data_catalog`, `os_config`).
    #[serde(default)]
    pub(crate) two_words: BTreeSet<String>,
}

impl ServiceMap {
    /// The service of a type not listed in `services`: the longest listed service the
    /// name (after the provider's prefix) starts with (`google_cloud_run_v2_job` ->
    /// `cloud_run`), else its first two words where the first is in `two_words`
    /// (`google_cloud_tasks_queue` -> `cloud_tasks`), else its first word's alias
    /// (`aws_lb_trust_store` -> `elb`), else the first word itself
    /// ([`crate::krate::service_of`]).
    pub(crate) fn service_of(&self, provider: &str, tf_type: &str) -> String {
        let rest = tf_type
            .strip_prefix(provider)
            .and_then(|r| r.strip_prefix('_'))
            .unwrap_or(tf_type);
        let listed = self
            .services
            .keys()
            .filter(|svc| rest == svc.as_str() || rest.starts_with(&format!("{svc}_")))
            .max_by_key(|svc| svc.len());
        if let Some(svc) = listed {
            return svc.clone();
        }
        let first = rest.split('_').next().unwrap_or(rest);
        if self.two_words.contains(first) {
            let two: Vec<&str> = rest.splitn(3, '_').take(2).collect();
            return two.join("_");
        }
        match self.aliases.get(first) {
            Some(svc) => svc.clone(),
            None => crate::krate::service_of(provider, tf_type),
        }
    }
}

pub(crate) const SERVICES: &str = include_str!("../services.json");

/// A type's place in the crate: service module and file stem.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Placement {
    pub(crate) service: String,
    pub(crate) module: String,
}

pub(crate) fn place(provider: &str, service: &str, tf_type: &str, kind: &str) -> Placement {
    let stem = tf_type
        .strip_prefix(&format!("{provider}_"))
        .unwrap_or(tf_type);
    let stem = stem.strip_prefix(&format!("{service}_")).unwrap_or(stem);
    let module = match kind {
        "data" => format!("data_{stem}"),
        "ephemeral" => format!("ephemeral_{stem}"),
        // a keyword (`kubernetes_..._type`) gets a trailing `_`
        _ => crate::names::ident(stem, &["provider", "support", "mod"]),
    };
    Placement {
        service: service.to_string(),
        module,
    }
}
