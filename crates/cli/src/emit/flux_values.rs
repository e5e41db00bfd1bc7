//! Cross-stack values for Flux: every value a stack reads from another stack of its
//! target (`data.terraform_remote_state.<producer>.outputs.<name>`) travels through
//! the producer's outputs Secret instead of the producer's state.
//!
//! For each stack that produces or reads such values, a copy of its folder is written
//! at `flux/<target>/<stack>/` under `--emit-dir` (the synthesized folder, which the
//! by-hand and `terrane apply` paths use, is not touched), and its Terraform object
//! points there:
//!
//! - a producer's copy gets one more output, `terrane_flux_outputs`: an object of every
//!   output a consumer reads (the same value expressions), sensitive when one of them
//!   is. tofu-controller writes a non-string output to the Secret as its JSON text
//!   (`controllers/tf_controller_outputs.go`, `writeOutput`), so types survive;
//! - a consumer's copy declares `variable "terrane_remote_<producer>"` (a string),
//!   decodes it in `local.terrane_remote_<producer>` and reads
//!   `local.terrane_remote_<producer>.<name>` where the program read the remote
//!   state; the `terraform_remote_state` block is gone. Its object's `varsFrom` takes
//!   key `terrane_flux_outputs` of Secret `<target>-<producer>-outputs` renamed to that
//!   variable (`varsKeys: ["old:new"]`, `runner/server_generate_tf_vars.go`,
//!   `parseRenamePattern`; values are passed as strings, hence the `jsondecode`).
//!
//! Both files at flux-iac/tofu-controller commit 4cb9876f84af6e2bffc611f946371e5bc5c94ff9.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{json, Map, Value};

use super::StackDir;

/// The output a producer's copy adds: every output its consumers read, as one object.
pub const BUNDLE_OUTPUT: &str = "terrane_flux_outputs";

const REMOTE_STATE: &str = "data.terraform_remote_state.";

/// What the Flux copies change, per stack of one target.
#[derive(Debug, Default)]
pub(crate) struct FluxValues {
    /// Producer -> the outputs its consumers read.
    pub read_from: BTreeMap<String, BTreeSet<String>>,
    /// Consumer -> the producers whose values it reads.
    pub reads: BTreeMap<String, BTreeSet<String>>,
    /// Producers of which a read output is sensitive: the consumer's variable is too,
    /// as the remote-state read was.
    pub sensitive: BTreeSet<String>,
}

impl FluxValues {
    /// The remote-state reads of `stacks` (one target), by scanning their documents.
    pub fn find(stacks: &[StackDir]) -> Self {
        let mut v = FluxValues::default();
        for s in stacks {
            let mut refs = Vec::new();
            strings(&s.doc, &mut |text| remote_reads(text, &mut refs));
            for (producer, output) in refs {
                if !s.producers.contains(&producer) {
                    continue;
                }
                v.reads
                    .entry(s.name.clone())
                    .or_default()
                    .insert(producer.clone());
                v.read_from.entry(producer).or_default().insert(output);
            }
        }
        for s in stacks {
            let outputs = &s.doc["output"];
            if v.read_from
                .get(&s.name)
                .is_some_and(|names| names.iter().any(|n| outputs[n]["sensitive"] == json!(true)))
            {
                v.sensitive.insert(s.name.clone());
            }
        }
        v
    }

    /// True when the stack gets a Flux copy.
    pub fn rewrites(&self, stack: &str) -> bool {
        self.read_from.contains_key(stack) || self.reads.contains_key(stack)
    }

    /// The variable of consumer copies holding `producer`'s values.
    pub fn variable(producer: &str) -> String {
        format!("terrane_remote_{producer}")
    }

    /// Writes the copy of `s` (its folder `src`) into `dest`.
    pub fn write_copy(&self, s: &StackDir, src: &Path, dest: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dest)
            .map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        let entries =
            std::fs::read_dir(src).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_file() && name != "main.tf.json" {
                std::fs::copy(&path, dest.join(&name))
                    .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
            }
        }
        let doc = self.rewrite(s)?;
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        let main = dest.join("main.tf.json");
        std::fs::write(&main, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", main.display()))
    }

    /// The stack's document for Flux: the bundle output added (producer), the
    /// remote-state reads replaced by variables (consumer).
    pub fn rewrite(&self, s: &StackDir) -> Result<Value, String> {
        let mut doc = s.doc.clone();
        if let Some(outputs) = self.read_from.get(&s.name) {
            add_bundle_output(&mut doc, outputs, s)?;
        }
        for producer in self.reads.get(&s.name).into_iter().flatten() {
            read_from_variable(&mut doc, producer, s, self.sensitive.contains(producer))?;
        }
        Ok(doc)
    }
}

fn add_bundle_output(
    doc: &mut Value,
    names: &BTreeSet<String>,
    s: &StackDir,
) -> Result<(), String> {
    let outputs = doc["output"].as_object().cloned().unwrap_or_default();
    let mut value = Map::new();
    let mut sensitive = false;
    for name in names {
        let Some(o) = outputs.get(name) else {
            return Err(format!(
                "flux: [{}/{}] output {name} is read by another stack but not declared",
                s.target, s.name
            ));
        };
        value.insert(name.clone(), o["value"].clone());
        sensitive |= o["sensitive"] == json!(true);
    }
    let mut bundle = json!({
        "value": value,
        "description": "Every output other stacks of the target read, for tofu-controller's outputs Secret (terrane synth --emit flux)",
    });
    if sensitive {
        bundle["sensitive"] = json!(true);
    }
    if !doc["output"].is_object() {
        doc["output"] = json!({});
    }
    doc["output"][BUNDLE_OUTPUT] = bundle;
    Ok(())
}

fn read_from_variable(
    doc: &mut Value,
    producer: &str,
    s: &StackDir,
    sensitive: bool,
) -> Result<(), String> {
    let var = FluxValues::variable(producer);
    if let Some(blocks) = doc["data"]["terraform_remote_state"].as_object_mut() {
        blocks.remove(producer);
        if blocks.is_empty() {
            if let Some(data) = doc["data"].as_object_mut() {
                data.remove("terraform_remote_state");
            }
        }
    }
    if doc["data"].as_object().is_some_and(Map::is_empty) {
        if let Some(root) = doc.as_object_mut() {
            root.remove("data");
        }
    }
    let from = format!("{REMOTE_STATE}{producer}.outputs");
    let to = format!("local.{var}");
    replace_strings(doc, &from, &to);
    let mut left = false;
    strings(doc, &mut |t| {
        left |= t.contains(&format!("{REMOTE_STATE}{producer}"))
    });
    if left {
        return Err(format!(
            "flux: [{}/{}] reads data.terraform_remote_state.{producer} other than through its outputs: cannot pass it as a variable",
            s.target, s.name
        ));
    }
    for block in ["variable", "locals"] {
        if !doc[block].is_object() {
            doc[block] = json!({});
        }
    }
    doc["variable"][&var] = json!({
        "type": "string",
        "description": format!("Outputs of stack {producer} as JSON (tofu-controller varsFrom its outputs Secret)"),
    });
    if sensitive {
        doc["variable"][&var]["sensitive"] = json!(true);
    }
    doc["locals"][&var] = json!(format!("${{jsondecode(var.{var})}}"));
    Ok(())
}

/// Every `(producer, output)` read in `text`.
fn remote_reads(text: &str, out: &mut Vec<(String, String)>) {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut rest = text;
    while let Some(at) = rest.find(REMOTE_STATE) {
        rest = &rest[at + REMOTE_STATE.len()..];
        let producer: String = rest.chars().take_while(|&c| ident(c)).collect();
        let after = &rest[producer.len()..];
        let Some(after) = after.strip_prefix(".outputs") else {
            continue;
        };
        let name: String = if let Some(dotted) = after.strip_prefix('.') {
            dotted.chars().take_while(|&c| ident(c)).collect()
        } else if let Some(quoted) = after.strip_prefix("[\"") {
            quoted.chars().take_while(|&c| c != '"').collect()
        } else {
            String::new()
        };
        if !producer.is_empty() && !name.is_empty() {
            out.push((producer, name));
        }
    }
}

fn strings(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, f)),
        Value::Object(m) => m.values().for_each(|x| strings(x, f)),
        _ => {}
    }
}

fn replace_strings(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(a) => a.iter_mut().for_each(|x| replace_strings(x, from, to)),
        Value::Object(m) => m.values_mut().for_each(|x| replace_strings(x, from, to)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(name: &str, producers: &[&str], doc: Value) -> StackDir {
        StackDir {
            target: "t".into(),
            name: name.into(),
            dir: format!("out/t/{name}"),
            producers: producers.iter().map(|p| p.to_string()).collect(),
            depth: producers.len(),
            doc,
            supplied: Vec::new(),
        }
    }

    #[test]
    fn reads_become_variables_and_producers_bundle_their_outputs() {
        let producer = stack(
            "net",
            &[],
            json!({"output": {"vpc_id": {"value": "${aws_vpc.a.id}"}, "subnets": {"value": ["${aws_subnet.a.id}"], "sensitive": true}, "unread": {"value": "x"}}}),
        );
        let consumer = stack(
            "app",
            &["net"],
            json!({"data": {"terraform_remote_state": {"net": {"backend": "s3"}}},
                   "resource": {"x": {"y": {"vpc": "${data.terraform_remote_state.net.outputs.vpc_id}",
                                            "subnets": "${data.terraform_remote_state.net.outputs[\"subnets\"]}"}}}}),
        );
        let all = [producer, consumer];
        let v = FluxValues::find(&all);
        assert_eq!(
            v.read_from["net"].iter().collect::<Vec<_>>(),
            ["subnets", "vpc_id"]
        );
        let p = v.rewrite(&all[0]).unwrap();
        assert_eq!(
            p["output"][BUNDLE_OUTPUT]["value"],
            json!({"subnets": ["${aws_subnet.a.id}"], "vpc_id": "${aws_vpc.a.id}"})
        );
        assert_eq!(p["output"][BUNDLE_OUTPUT]["sensitive"], json!(true));
        let c = v.rewrite(&all[1]).unwrap();
        assert!(c.get("data").is_none(), "{c}");
        assert_eq!(
            c["resource"]["x"]["y"],
            json!({"vpc": "${local.terrane_remote_net.vpc_id}", "subnets": "${local.terrane_remote_net[\"subnets\"]}"})
        );
        assert_eq!(c["variable"]["terrane_remote_net"]["type"], "string");
        assert_eq!(
            c["variable"]["terrane_remote_net"]["sensitive"],
            json!(true)
        );
        assert_eq!(
            c["locals"]["terrane_remote_net"],
            "${jsondecode(var.terrane_remote_net)}"
        );
    }

    #[test]
    fn a_whole_remote_state_read_is_refused() {
        let consumer = stack(
            "app",
            &["net"],
            json!({"data": {"terraform_remote_state": {"net": {}}},
                   "output": {"all": {"value": "${data.terraform_remote_state.net.outputs.a}"},
                              "raw": {"value": "${data.terraform_remote_state.net}"}}}),
        );
        let all = [
            stack("net", &[], json!({"output": {"a": {"value": 1}}})),
            consumer,
        ];
        let v = FluxValues::find(&all);
        assert_eq!(
            v.rewrite(&all[1]).unwrap_err(),
            "flux: [t/app] reads data.terraform_remote_state.net other than through its outputs: cannot pass it as a variable"
        );
    }
}
