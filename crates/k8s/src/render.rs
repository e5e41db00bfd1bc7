//! Rendering: checks, then YAML files of a kustomize base and its overlays,
//! byte-for-byte deterministic.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use terrane_core::{Diagnostic, Diagnostics, Expr, TerraformOutput};

use crate::bridge::{
    env_key, BridgeUse, TfValue, TERRAFORM_OUTPUTS_CONFIG_MAP, TERRAFORM_OUTPUTS_ENV_FILE,
    TERRAFORM_OUTPUTS_KEYS_FILE,
};
use crate::checks;
use crate::error::{Error, Result};
use crate::manifests::Manifests;
use crate::object::{FileGroup, Object};
use crate::overlay::ObjectPatch;

/// Rendered files: path relative to the manifests directory (`base/workloads.yaml`) to content.
pub type Files = BTreeMap<String, String>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Kustomization<'a> {
    api_version: &'static str,
    kind: &'static str,
    resources: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    config_map_generator: Vec<ConfigMapGenerator<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    replacements: Vec<Replacement<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    patches: Vec<KustomizePatch>,
}

#[derive(Serialize)]
struct ConfigMapGenerator<'a> {
    name: &'static str,
    namespace: &'a str,
    envs: Vec<&'static str>,
    options: GeneratorOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GeneratorOptions {
    disable_name_suffix_hash: bool,
}

#[derive(Serialize)]
struct Replacement<'a> {
    source: ReplacementSource<'a>,
    targets: Vec<ReplacementTarget<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReplacementSource<'a> {
    kind: &'static str,
    name: &'static str,
    namespace: &'a str,
    field_path: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReplacementTarget<'a> {
    select: Selector<'a>,
    field_paths: Vec<&'a str>,
    options: ReplacementOptions<'a>,
}

#[derive(Serialize)]
struct Selector<'a> {
    kind: &'a str,
    name: &'a str,
    namespace: &'a str,
}

#[derive(Serialize)]
struct ReplacementOptions<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    delimiter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<u32>,
    create: bool,
}

#[derive(Serialize)]
struct KustomizePatch {
    path: String,
    target: PatchTarget,
}

#[derive(Serialize)]
struct PatchTarget {
    #[serde(skip_serializing_if = "String::is_empty")]
    group: String,
    version: String,
    kind: String,
    name: String,
    namespace: String,
}

/// The deploy-time script that writes the env file from `terraform output`.
pub const FETCH_SCRIPT: &str = "fetch-terraform-outputs.sh";

const KUSTOMIZE_API: &str = "kustomize.config.k8s.io/v1beta1";

fn yaml<T: Serialize>(what: &str, v: &T) -> Result<String> {
    serde_norway::to_string(v).map_err(|source| Error::Yaml {
        what: what.to_string(),
        source,
    })
}

/// Options of one render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// The target name, used in diagnostics (`eks-prod`).
    pub target: String,
    /// The outputs the target's stacks declare, as `<stack>.<output>`; when set, every
    /// [`TfValue::Output`](crate::TfValue::Output) the manifests read must be among them.
    pub terraform_outputs: Option<std::collections::BTreeSet<String>>,
}

/// Turns a Terraform expression into the stack output that carries it.
pub(crate) type Exporter<'a> =
    dyn FnMut(&Expr<String>) -> std::result::Result<TerraformOutput, String> + 'a;

/// Outside an app there is no stack to export an expression from.
fn no_exporter(_: &Expr<String>) -> std::result::Result<TerraformOutput, String> {
    Err("a Terraform expression is exported only when the manifests are synthesized with their target (Target::add_files); use TfValue::output outside a target".into())
}

impl Manifests {
    /// Checks and renders, naming `target` in diagnostics.
    pub fn render(&self, target: &str) -> Result<Files> {
        self.render_with(&RenderOptions {
            target: target.to_string(),
            terraform_outputs: None,
        })
    }

    /// Runs every domain check on the base (when there is no overlay) or on each
    /// overlay's effective objects; returns every problem.
    pub fn check(&self, options: &RenderOptions) -> Diagnostics {
        self.render_parts(options, &mut no_exporter).1
    }

    /// Checks and renders with `options`.
    pub fn render_with(&self, options: &RenderOptions) -> Result<Files> {
        self.render_exporting(options, &mut no_exporter)
    }

    /// Checks and renders, exporting Terraform expressions through `export`.
    pub(crate) fn render_exporting(
        &self,
        options: &RenderOptions,
        export: &mut Exporter<'_>,
    ) -> Result<Files> {
        let (files, diags) = self.render_parts(options, export);
        if diags.0.is_empty() {
            files
        } else {
            Err(Error::Checks(diags))
        }
    }

    fn render_parts(
        &self,
        options: &RenderOptions,
        export: &mut Exporter<'_>,
    ) -> (Result<Files>, Diagnostics) {
        let target = options.target.as_str();
        let resolved: Vec<std::result::Result<TerraformOutput, String>> = self
            .bridge
            .iter()
            .map(|b| match &b.value {
                TfValue::Output(o) => Ok(o.clone()),
                TfValue::Expr(e) => export(e),
            })
            .collect();
        let base = self.normalized_objects();
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut overlay_patches: BTreeMap<&str, Vec<ObjectPatch>> = BTreeMap::new();
        if self.overlays.is_empty() {
            diags.extend(checks::run(target, "base", &base, &self.external_services));
        }
        for (name, overlay) in &self.overlays {
            let mut objects = base.clone();
            let (patches, d) = overlay.apply(target, &mut objects);
            diags.extend(d);
            diags.extend(checks::run(target, name, &objects, &self.external_services));
            overlay_patches.insert(name, patches);
        }
        diags.extend(checks::bridge(
            target,
            &base,
            &self.bridge,
            &resolved,
            options.terraform_outputs.as_ref(),
        ));
        diags.sort();
        diags.dedup();
        (
            self.files(&base, &overlay_patches, &resolved),
            Diagnostics(diags),
        )
    }

    fn files(
        &self,
        base: &[Object],
        overlays: &BTreeMap<&str, Vec<ObjectPatch>>,
        resolved: &[std::result::Result<TerraformOutput, String>],
    ) -> Result<Files> {
        let mut files = Files::new();
        let resources = base_object_files(base, &mut files)?;
        let required = self.required_outputs(resolved);
        let kustomization = self.base_kustomization(resources, &required);
        files.insert(
            "base/kustomization.yaml".into(),
            yaml("base/kustomization.yaml", &kustomization)?,
        );
        if !required.is_empty() {
            let mut keys = String::from(
                "# Every key terraform-outputs.env must define, non-empty: KEY STACK OUTPUT, where\n# KEY=$(terraform -chdir=STACK output -raw OUTPUT)\n",
            );
            for (key, (o, _)) in &required {
                keys.push_str(&format!("{key} {} {}\n", o.stack, o.output));
            }
            files.insert(format!("base/{TERRAFORM_OUTPUTS_KEYS_FILE}"), keys);
            files.insert(
                FETCH_SCRIPT.into(),
                include_str!("fetch-terraform-outputs.sh").into(),
            );
        }
        for (name, patches) in overlays {
            overlay_files(name, patches, &mut files)?;
        }
        Ok(files)
    }

    /// Each Terraform output once, sorted by key, with every place it is written.
    fn required_outputs<'a>(
        &'a self,
        resolved: &'a [std::result::Result<TerraformOutput, String>],
    ) -> RequiredOutputs<'a> {
        let mut required: RequiredOutputs<'a> = BTreeMap::new();
        for (b, r) in self.bridge.iter().zip(resolved) {
            if let Ok(o) = r {
                required
                    .entry(env_key(o))
                    .or_insert_with(|| (o, Vec::new()))
                    .1
                    .push(b);
            }
        }
        required
    }

    /// The base's kustomization: its object files, and for the Terraform values a
    /// ConfigMap generated from the env file and one replacement per output.
    fn base_kustomization<'a>(
        &'a self,
        resources: Vec<String>,
        required: &'a RequiredOutputs<'a>,
    ) -> Kustomization<'a> {
        let mut replacements = Vec::new();
        for (key, (_, uses)) in required {
            let targets = uses
                .iter()
                .map(|b| ReplacementTarget {
                    select: Selector {
                        kind: &b.kind,
                        name: &b.name,
                        namespace: &b.namespace,
                    },
                    field_paths: vec![b.field_path.as_str()],
                    options: ReplacementOptions {
                        delimiter: b.delimiter.as_deref(),
                        index: b.delimiter.as_ref().map(|_| 0),
                        // A partial replacement edits an existing value; it never creates one.
                        create: b.delimiter.is_none(),
                    },
                })
                .collect();
            replacements.push(Replacement {
                source: ReplacementSource {
                    kind: "ConfigMap",
                    name: TERRAFORM_OUTPUTS_CONFIG_MAP,
                    namespace: &self.namespace,
                    field_path: format!("data.[{key}]"),
                },
                targets,
            });
        }
        Kustomization {
            api_version: KUSTOMIZE_API,
            kind: "Kustomization",
            resources,
            config_map_generator: if required.is_empty() {
                Vec::new()
            } else {
                vec![ConfigMapGenerator {
                    name: TERRAFORM_OUTPUTS_CONFIG_MAP,
                    namespace: &self.namespace,
                    envs: vec![TERRAFORM_OUTPUTS_ENV_FILE],
                    options: GeneratorOptions {
                        disable_name_suffix_hash: true,
                    },
                }]
            },
            replacements,
            patches: Vec::new(),
        }
    }
}

/// Terraform outputs by env key: the output and every bridge use that writes it.
type RequiredOutputs<'a> = BTreeMap<String, (&'a TerraformOutput, Vec<&'a BridgeUse>)>;

/// One YAML file per group of kinds under `base/`; returns the file names, in order.
fn base_object_files(base: &[Object], files: &mut Files) -> Result<Vec<String>> {
    let mut groups: BTreeMap<FileGroup, Vec<&Object>> = BTreeMap::new();
    for o in base {
        groups.entry(o.file_group()).or_default().push(o);
    }
    for (group, objects) in &groups {
        let mut text = String::new();
        for o in objects {
            text.push_str("---\n");
            let y = o.to_yaml().map_err(|source| Error::Yaml {
                what: o.display_name(),
                source,
            })?;
            text.push_str(&y);
        }
        files.insert(format!("base/{}", group.file_name()), text);
    }
    Ok(groups.keys().map(|g| g.file_name().to_string()).collect())
}

/// `overlays/<name>/`: one JSON 6902 patch file per object and the kustomization
/// over `../../base` that applies them.
fn overlay_files(name: &str, patches: &[ObjectPatch], files: &mut Files) -> Result<()> {
    let mut list = Vec::new();
    for p in patches {
        let file = format!("patches/{}-{}.yaml", p.kind.to_lowercase(), p.name);
        files.insert(format!("overlays/{name}/{file}"), yaml(&file, &p.ops)?);
        list.push(KustomizePatch {
            path: file,
            target: PatchTarget {
                group: p.group.to_string(),
                version: p.version.clone(),
                kind: p.kind.to_string(),
                name: p.name.clone(),
                namespace: p.namespace.clone(),
            },
        });
    }
    let k = Kustomization {
        api_version: KUSTOMIZE_API,
        kind: "Kustomization",
        resources: vec!["../../base".into()],
        config_map_generator: Vec::new(),
        replacements: Vec::new(),
        patches: list,
    };
    let path = format!("overlays/{name}/kustomization.yaml");
    files.insert(path.clone(), yaml(&path, &k)?);
    Ok(())
}

/// Writes `files` under `dir` (creating folders); for tests and tools. Synth
/// in terrane-core writes atomically instead.
pub fn write_files(dir: &Path, files: &Files) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}
