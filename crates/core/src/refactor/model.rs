//! The semantic model of a target's output: each stack's `main.tf.json` parsed into
//! resources by address (with their arguments), `moved` blocks and outputs, and the
//! Kubernetes objects of its manifests by kind, namespace and name.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::k8s::{self, ObjectKey};

/// One resource of a stack's output.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceModel {
    /// Resource type (`aws_db_instance`).
    pub resource_type: String,
    /// Arguments as written (meta-arguments included).
    pub arguments: Map<String, Value>,
}

/// One stack's `main.tf.json`, by address.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StackModel {
    /// Resources by address (`aws_db_instance.main`).
    pub resources: BTreeMap<String, ResourceModel>,
    /// `moved` blocks, `(from, to)`.
    pub moved: Vec<(String, String)>,
    /// Names of the stack's outputs.
    pub outputs: BTreeSet<String>,
    /// Addresses of `removed` blocks that keep the real object (`destroy = false`).
    pub forgotten: BTreeSet<String>,
}

/// A target's output, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetModel {
    /// Stacks by name.
    pub stacks: BTreeMap<String, StackModel>,
    /// Kubernetes objects of every manifest, by identity.
    pub objects: BTreeMap<ObjectKey, Value>,
}

impl TargetModel {
    /// Parses a target's files (paths relative to `out/<target>/`). A file that is
    /// not valid JSON or YAML is an error naming it.
    pub fn parse(files: &BTreeMap<String, String>) -> Result<Self, String> {
        let mut model = TargetModel::default();
        for (path, text) in files {
            if let Some(stack) = path.strip_suffix("/main.tf.json") {
                if stack.contains('/') {
                    continue;
                }
                let parsed = parse_stack(text).map_err(|e| format!("{path}: {e}"))?;
                model.stacks.insert(stack.to_string(), parsed);
            } else if k8s::is_manifest(path) {
                k8s::parse_into(path, text, &mut model.objects)
                    .map_err(|e| format!("{path}: {e}"))?;
            }
        }
        Ok(model)
    }
}

/// Parses one `main.tf.json`.
pub fn parse_stack(text: &str) -> Result<StackModel, serde_json::Error> {
    let doc: Map<String, Value> = serde_json::from_str(text)?;
    let mut stack = StackModel::default();
    if let Some(Value::Object(types)) = doc.get("resource") {
        for (ty, named) in types {
            let Value::Object(named) = named else {
                continue;
            };
            for (name, body) in named {
                let arguments = match body {
                    Value::Object(m) => m.clone(),
                    _ => Map::new(),
                };
                stack.resources.insert(
                    format!("{ty}.{name}"),
                    ResourceModel {
                        resource_type: ty.clone(),
                        arguments,
                    },
                );
            }
        }
    }
    if let Some(Value::Array(blocks)) = doc.get("moved") {
        for b in blocks {
            if let (Some(Value::String(from)), Some(Value::String(to))) =
                (b.get("from"), b.get("to"))
            {
                stack.moved.push((from.clone(), to.clone()));
            }
        }
    }
    if let Some(Value::Array(blocks)) = doc.get("removed") {
        for b in blocks {
            let keeps = b.pointer("/lifecycle/destroy") == Some(&Value::Bool(false));
            if let (Some(Value::String(from)), true) = (b.get("from"), keeps) {
                stack.forgotten.insert(from.clone());
            }
        }
    }
    if let Some(Value::Object(outs)) = doc.get("output") {
        stack.outputs = outs.keys().cloned().collect();
    }
    Ok(stack)
}
