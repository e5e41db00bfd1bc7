//! A provider schema (`terraform providers schema -json` shape) rebuilt from a prebuilt
//! CDK for Terraform package (`@cdktf/provider-*`), for providers whose binary cannot be
//! installed.
//!
//! Where each fact lives: exact snake_case keys, block or attribute, list/set/map/struct
//! in the generated JavaScript ([`js`]); required, nested struct types and docs in the
//! `.jsii` assembly; computed-only attributes in the resource classes' getters and
//! generator comments. What the package cannot tell (measured on aws 5.100.0, all types):
//! optional vs optional+computed (every optional attribute is marked computed, i.e.
//! readable after apply), `max_items`/`min_items` above one, `sensitive`, `deprecated`,
//! `write_only`. Ephemeral resources are not in the packages.

mod block;
mod js;
pub mod package;
mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use block::At;
use js::Module;

/// Something in the package the extractor does not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError(pub String);

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExtractError {}

/// What was extracted: the schema document and every type that could not be.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The document, with the `terrane` key naming provider, source, version and package.
    pub doc: Value,
    /// `resource x: problem` for each type left out.
    pub errors: Vec<String>,
    /// `path: problem` for each attribute typed dynamic (not checked inside) because
    /// its structure could not be read (plugin-framework nested attributes).
    pub dynamic: Vec<String>,
}

/// The provider the package was generated for (`package.json`'s `cdktf.provider`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageMeta {
    /// npm package name (`@cdktf/provider-random`).
    pub package: String,
    /// npm package version.
    pub package_version: String,
    /// `registry.terraform.io/hashicorp/random`
    pub provider_address: String,
    /// `3.7.2`
    pub provider_version: String,
}

/// Reads `package.json` of an unpacked package (the folder holding `.jsii`).
pub fn package_meta(dir: &Path) -> Result<PackageMeta, ExtractError> {
    let pkg = read_json(&dir.join("package.json"))?;
    let s = |p: &str| {
        pkg.pointer(p)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                ExtractError(format!(
                    "package.json has no {p}: not a cdktf provider package"
                ))
            })
    };
    Ok(PackageMeta {
        package: s("/name")?,
        package_version: s("/version")?,
        provider_address: s("/cdktf/provider/name")?,
        provider_version: s("/cdktf/provider/version")?,
    })
}

fn read_json(path: &Path) -> Result<Value, ExtractError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ExtractError(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| ExtractError(format!("{}: {e}", path.display())))
}

/// The classes the package generates for Terraform types, by their base class.
const TOP_LEVEL: [(&str, &str); 3] = [
    ("cdktf.TerraformResource", "resource"),
    ("cdktf.TerraformDataSource", "data"),
    ("cdktf.TerraformProvider", "provider"),
];

/// The unpacked package: its jsii types and the generated JavaScript of every module
/// holding a Terraform type.
pub(crate) struct Extractor {
    types: Map<String, Value>,
    modules: BTreeMap<PathBuf, Module>,
    /// Attributes typed dynamic because their structure could not be read.
    pub(crate) dynamic: std::cell::RefCell<Vec<String>>,
}

impl Extractor {
    fn open(dir: &Path) -> Result<Extractor, ExtractError> {
        let jsii = read_json(&dir.join(".jsii"))?;
        let types = jsii
            .get("types")
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| ExtractError(".jsii has no types".into()))?;
        let mut modules = BTreeMap::new();
        for (fqn, t) in &types {
            if kind_of(t).is_none() {
                continue;
            }
            let folder = module_folder(dir, fqn, t)?;
            if let std::collections::btree_map::Entry::Vacant(slot) = modules.entry(folder) {
                let m = Module::read(slot.key())?;
                slot.insert(m);
            }
        }
        let modules = modules
            .into_iter()
            .map(|(k, v)| (k.strip_prefix(dir).map(Path::to_path_buf).unwrap_or(k), v))
            .collect();
        Ok(Extractor {
            types,
            modules,
            dynamic: Default::default(),
        })
    }

    fn module(&self, fqn: &str) -> Result<&Module, ExtractError> {
        let t = self
            .types
            .get(fqn)
            .ok_or_else(|| ExtractError(format!("no jsii type {fqn}")))?;
        let folder = module_folder(Path::new(""), fqn, t)?;
        self.modules
            .get(&folder)
            .ok_or_else(|| ExtractError(format!("{fqn}: module not read")))
    }

    /// The properties of a jsii struct, by camelCase name.
    pub(crate) fn props(&self, fqn: &str) -> BTreeMap<String, Value> {
        self.types
            .get(fqn)
            .and_then(|t| t.get("properties"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p.get("name")?.as_str()?.to_string(), p.clone())))
            .collect()
    }

    /// (kind, Terraform type name, class fqn) of every resource, data source and provider.
    fn top_level(&self) -> Result<Vec<(&'static str, String, String)>, ExtractError> {
        let mut out = Vec::new();
        for (fqn, t) in &self.types {
            let Some(kind) = kind_of(t) else { continue };
            let name = t.get("name").and_then(Value::as_str).unwrap_or("");
            let tf = self
                .module(fqn)?
                .resource_types
                .get(name)
                .ok_or_else(|| ExtractError(format!("{fqn}: no tfResourceType")))?;
            out.push((kind, tf.clone(), fqn.clone()));
        }
        out.sort();
        Ok(out)
    }

    /// One type's `{"block": …, "version": 0}`.
    fn schema_of(
        &self,
        fqn: &str,
        kind: &str,
        computed_optional: bool,
    ) -> Result<Value, ExtractError> {
        let t = &self.types[fqn];
        let module = self.module(fqn)?;
        let name = t.get("name").and_then(Value::as_str).unwrap_or("");
        let cls = module
            .classes
            .get(name)
            .ok_or_else(|| ExtractError(format!("{fqn}: class not found in the JavaScript")))?;
        let entries = cls
            .entries
            .as_ref()
            .ok_or_else(|| ExtractError(format!("{fqn}: no synthesizeHclAttributes")))?;
        let config = t
            .pointer("/initializer/parameters")
            .and_then(Value::as_array)
            .and_then(|p| p.last())
            .and_then(|p| p.pointer("/type/fqn"))
            .and_then(Value::as_str)
            .ok_or_else(|| ExtractError(format!("{fqn}: no config parameter")))?;
        let entries: Vec<_> = entries
            .iter()
            .filter(|e| !(kind == "provider" && e.name == "alias"))
            .cloned()
            .collect();
        let at = At {
            module,
            struct_fqn: config.to_string(),
            reference: Some(cls),
            path: name.to_string(),
        };
        // provider configuration is never computed
        let block = self.block(&at, &entries, computed_optional && kind != "provider")?;
        Ok(json!({"block": block, "version": 0}))
    }
}

fn kind_of(t: &Value) -> Option<&'static str> {
    if t.get("kind").and_then(Value::as_str) != Some("class") {
        return None;
    }
    let base = t.get("base").and_then(Value::as_str)?;
    TOP_LEVEL.iter().find(|(b, _)| *b == base).map(|(_, k)| *k)
}

/// `lib/<module>` of a type (its `locationInModule` is `src/<module>/index.ts`).
fn module_folder(dir: &Path, fqn: &str, t: &Value) -> Result<PathBuf, ExtractError> {
    let loc = t
        .pointer("/locationInModule/filename")
        .and_then(Value::as_str)
        .ok_or_else(|| ExtractError(format!("{fqn}: no locationInModule")))?;
    let folder = Path::new(loc).parent().unwrap_or(Path::new(""));
    let folder = folder.strip_prefix("src").unwrap_or(folder);
    Ok(dir.join("lib").join(folder))
}

/// Extracts every type of the unpacked package in `dir` (the folder holding `.jsii`).
/// `computed_optional`: mark optional attributes without an authoritative comment
/// also computed (the package cannot tell; see the module docs). `wanted(kind, name)`
/// filters what is built (`resource`, `data`).
pub fn extract(
    dir: &Path,
    computed_optional: bool,
    wanted: &dyn Fn(&str, &str) -> bool,
) -> Result<Extracted, ExtractError> {
    let meta = package_meta(dir)?;
    let ex = Extractor::open(dir)?;
    let mut resources = Map::new();
    let mut data = Map::new();
    let mut provider = None;
    let mut errors = Vec::new();
    for (kind, name, fqn) in ex.top_level()? {
        if kind != "provider" && !wanted(kind, &name) {
            continue;
        }
        match ex.schema_of(&fqn, kind, computed_optional) {
            Ok(s) if kind == "resource" => {
                resources.insert(name, s);
            }
            Ok(s) if kind == "data" => {
                data.insert(name, s);
            }
            Ok(s) => provider = Some(s),
            Err(e) => errors.push(format!("{kind} {name}: {e}")),
        }
    }
    let mut entry = Map::new();
    if let Some(p) = provider {
        entry.insert("provider".into(), p);
    }
    entry.insert("resource_schemas".into(), Value::Object(resources));
    entry.insert("data_source_schemas".into(), Value::Object(data));
    let source = meta
        .provider_address
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(&meta.provider_address)
        .to_string();
    let local = source.rsplit('/').next().unwrap_or(&source).to_string();
    let doc = json!({
        "format_version": "1.0",
        "provider_schemas": { meta.provider_address.clone(): entry },
        "terrane": {
            "provider": local,
            "source": source,
            "version": meta.provider_version,
            "extracted_from": format!("{}@{}", meta.package, meta.package_version),
        },
    });
    let dynamic = ex.dynamic.take();
    Ok(Extracted {
        doc,
        errors,
        dynamic,
    })
}

#[cfg(test)]
mod tests;
