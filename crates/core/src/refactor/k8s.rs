//! Kubernetes objects of a target's manifests, keyed by kind, namespace and name
//! (and the manifest folder: base and each overlay are applied on their own).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

/// The identity of a Kubernetes object: what `kubectl apply` matches on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectKey {
    /// `kind` (`StatefulSet`).
    pub kind: String,
    /// `metadata.namespace`, empty for cluster objects or when unset.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// The manifest folder (`base`, `overlays/production`): each is applied on its own.
    pub dir: String,
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.namespace, self.kind, self.name)
        }
    }
}

/// True for a YAML manifest of the target.
pub(crate) fn is_manifest(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// Parses every YAML document of `text` that is a Kubernetes object into `objects`.
pub(crate) fn parse_into(
    path: &str,
    text: &str,
    objects: &mut BTreeMap<ObjectKey, Value>,
) -> Result<(), String> {
    let dir = path
        .rsplit_once('/')
        .map(|(d, _)| d)
        .unwrap_or_default()
        .to_string();
    for doc in serde_norway::Deserializer::from_str(text) {
        let value = Value::deserialize(doc).map_err(|e| e.to_string())?;
        let (Some(kind), Some(name)) = (
            value.get("kind").and_then(Value::as_str),
            value.pointer("/metadata/name").and_then(Value::as_str),
        ) else {
            continue; // kustomization.yaml, patches without identity
        };
        let namespace = value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let key = ObjectKey {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            dir: dir.clone(),
        };
        objects.insert(key, value);
    }
    Ok(())
}
