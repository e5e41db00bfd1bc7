//! `flux/<target>.yaml`: one Flux tofu-controller `Terraform` object
//! (`infra.contrib.fluxcd.io/v1alpha2`) per stack, named `<target>-<stack>`.
//!
//! - `spec.path` is the stack's folder in the repository, `spec.sourceRef` the
//!   GitRepository holding it;
//! - `spec.dependsOn` names the producers' objects: the controller applies a stack
//!   only once they are ready;
//! - `spec.backendConfig.disable` keeps the program's own backend (the controller
//!   would otherwise put state in a Kubernetes Secret), so each
//!   `terraform_remote_state` read finds its producer's state where it is;
//! - `spec.writeOutputsToSecret` publishes each stack's outputs as Secret
//!   `<target>-<stack>-outputs`; every value a consumer reads from a producer reaches
//!   it through `spec.varsFrom` of that Secret: a value read from the producer's remote
//!   state by way of a Flux copy of both stacks ([`super::flux_values`], `spec.path`
//!   then names the copy), an output the consumer declares as a variable of the same
//!   name directly;
//! - the variables supplied at apply come from Secret `<target>-<stack>-inputs`
//!   (`varsFrom` with exactly those keys), which the operator creates.

use serde_json::{json, Map, Value};

use super::flux_values::{FluxValues, BUNDLE_OUTPUT};
use super::yaml::to_yaml;
use super::{EmitArgs, StackDir};

/// Where the Flux copies of the stacks go, under --emit-dir: `<FLUX_DIR>/<target>/<stack>`.
pub const FLUX_DIR: &str = "flux";

/// The file's text: the objects as a multi-document YAML stream. `values` says
/// which stacks have a Flux copy (written by the caller).
pub fn render(stacks: &[StackDir], args: &EmitArgs, values: &FluxValues) -> Result<String, String> {
    let (source_ns, source_name) = match args.flux_source.split_once('/') {
        Some((ns, name)) => (ns, name),
        None => (args.flux_namespace.as_str(), args.flux_source.as_str()),
    };
    let mut text = String::from(
        "# Written by `terrane synth --emit flux`: one tofu-controller Terraform object per\n\
         # stack, ordered by spec.dependsOn. Edit the stack program and re-run synth.\n",
    );
    for s in stacks {
        let object = terraform_object(s, stacks, args, (source_ns, source_name), values);
        text.push_str("---\n");
        text.push_str(&to_yaml(&object));
    }
    Ok(text)
}

fn terraform_object(
    s: &StackDir,
    all: &[StackDir],
    args: &EmitArgs,
    (source_ns, source_name): (&str, &str),
    values: &FluxValues,
) -> Value {
    let name = format!("{}-{}", s.target, s.name);
    let mut spec = Map::new();
    spec.insert("interval".into(), json!("10m"));
    spec.insert("approvePlan".into(), json!("auto"));
    let path = if values.rewrites(&s.name) {
        format!("./{FLUX_DIR}/{}/{}", s.target, s.name)
    } else {
        format!("./{}", s.dir)
    };
    spec.insert("path".into(), json!(path));
    spec.insert(
        "sourceRef".into(),
        json!({"kind": "GitRepository", "name": source_name, "namespace": source_ns}),
    );
    spec.insert("backendConfig".into(), json!({"disable": true}));
    if !s.producers.is_empty() {
        let deps: Vec<Value> = s
            .producers
            .iter()
            .map(|p| json!({"name": format!("{}-{p}", s.target)}))
            .collect();
        spec.insert("dependsOn".into(), Value::Array(deps));
    }
    if keys(&s.doc, "output").next().is_some() || values.read_from.contains_key(&s.name) {
        spec.insert(
            "writeOutputsToSecret".into(),
            json!({"name": format!("{name}-outputs")}),
        );
    }
    let vars_from = vars_from(s, all, &name, values);
    if !vars_from.is_empty() {
        spec.insert("varsFrom".into(), Value::Array(vars_from));
    }
    json!({
        "apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
        "kind": "Terraform",
        "metadata": {"name": name, "namespace": args.flux_namespace},
        "spec": spec,
    })
}

/// The Secrets a stack's variables come from: its producers' outputs it declares as
/// variables, and the variables supplied at apply.
fn vars_from(s: &StackDir, all: &[StackDir], name: &str, values: &FluxValues) -> Vec<Value> {
    let declared: Vec<&str> = keys(&s.doc, "variable").collect();
    let read = values.reads.get(&s.name);
    let mut refs = Vec::new();
    for p in &s.producers {
        let Some(producer) = all.iter().find(|o| o.target == s.target && &o.name == p) else {
            continue;
        };
        let mut shared: Vec<String> = keys(&producer.doc, "output")
            .filter(|o| declared.contains(o))
            .map(String::from)
            .collect();
        if read.is_some_and(|r| r.contains(p)) {
            shared.push(format!("{BUNDLE_OUTPUT}:{}", FluxValues::variable(p)));
        }
        if !shared.is_empty() {
            refs.push(json!({"kind": "Secret", "name": format!("{}-{p}-outputs", s.target), "varsKeys": shared}));
        }
    }
    let supplied: Vec<&str> = s
        .supplied
        .iter()
        .map(String::as_str)
        .filter(|n| !refs_cover(&refs, n))
        .collect();
    if !supplied.is_empty() {
        refs.push(
            json!({"kind": "Secret", "name": format!("{name}-inputs"), "varsKeys": supplied}),
        );
    }
    refs
}

fn refs_cover(refs: &[Value], var: &str) -> bool {
    refs.iter().any(|r| {
        r["varsKeys"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == var))
    })
}

fn keys<'a>(doc: &'a Value, block: &str) -> impl Iterator<Item = &'a str> {
    doc[block]
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str))
}
