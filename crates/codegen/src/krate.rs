//! A standalone crate of typed resources for any provider (`terrane get`): the same
//! generated modules as terrane-aws's, plus a Cargo.toml with one feature per service,
//! a lib.rs that embeds the schema, and the schema itself.
//!
//! The crate's provider requirement carries its embedded schema
//! (`RequiredProvider::with_schema`), so synth checks every block of the provider
//! against it with no call to make.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Map, Value};
use terrane_schema::ProviderSchema;

use crate::generate::{CrateGen, ProviderGen};
use crate::names::ident;
use crate::services::ServiceMap;

/// How the generated crate depends on terrane-core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreDep {
    /// A path to a terrane checkout's `crates/core` (relative to the generated crate,
    /// or absolute).
    Path(String),
    /// A version requirement on crates.io (`0.1`).
    Version(String),
}

/// What to generate besides the schema.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// Only these services (None: every service).
    pub services: Option<Vec<String>>,
    /// terrane-core dependency.
    pub core: CoreDep,
    /// The crate's package name (default `terrane-<provider>`).
    pub name: Option<String>,
}

/// A generated crate: files by path relative to its folder, and what is in it.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// The package name.
    pub name: String,
    /// Every file, by path relative to the crate folder.
    pub files: BTreeMap<PathBuf, String>,
    /// Every service (cargo feature and module) with its Terraform types.
    pub services: BTreeMap<String, Vec<String>>,
    /// Nested blocks kept as one dynamic attribute, too large to generate types for
    /// (`aws_wafv2_web_acl.rule.statement`).
    pub dynamic: Vec<String>,
}

/// Modules and features of the generated crate that a service must not be named like
/// (such a service gets `_types` appended: `kubernetes_default_service_account` is in
/// `default_types`).
const RESERVED_MODULES: &[&str] = &[
    "generated",
    "support",
    "provider",
    "functions",
    "full",
    "default",
];

/// The service (module and feature) of a type: the first word after the provider's
/// prefix (`kubernetes_config_map_v1` -> `config`, `random_password` -> `password`).
pub fn service_of(provider: &str, tf_type: &str) -> String {
    let rest = tf_type
        .strip_prefix(provider)
        .and_then(|r| r.strip_prefix('_'))
        .unwrap_or(tf_type);
    let first = rest.split('_').next().unwrap_or(rest);
    if RESERVED_MODULES.contains(&first) {
        return format!("{first}_types");
    }
    // a keyword gets a trailing `_`, a leading digit a leading `_`
    ident(first, &[])
}

/// The single-provider schema document `doc` (shape of `terraform providers schema
/// -json`, with the `terrane` key naming provider, source and version), restricted to
/// the chosen services, as a crate.
pub fn standalone_crate(doc: &Value, opts: &CrateOptions) -> Result<GeneratedCrate, String> {
    let (addr, entry) = only_provider(doc)?;
    let provider = doc
        .pointer("/terrane/provider")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| addr.rsplit('/').next().unwrap_or(&addr).to_string());
    let all = services(&provider, &entry);
    let chosen = choose(&all, opts.services.as_deref())?;
    let mut doc = restricted(doc, &addr, &entry, &chosen);
    let dynamic = crate::too_deep::cap_document(&mut doc, &addr);
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    let schema = ProviderSchema::from_json(&text).map_err(|e| format!("schema: {e}"))?;
    if schema.source.is_empty() || schema.version.is_empty() {
        return Err("the schema names no provider source and version (the `terrane` key)".into());
    }
    let name = opts
        .name
        .clone()
        .unwrap_or_else(|| format!("terrane-{}", provider.replace('_', "-")));
    let lib = name.replace('-', "_");
    let smap = ServiceMap {
        krate: name.clone(),
        services: chosen,
        required_object_fields: BTreeMap::new(),
        aliases: BTreeMap::new(),
        two_words: Default::default(),
    };
    let mut g = CrateGen::new(
        &name,
        PathBuf::from("src/generated"),
        (PathBuf::from("tests/schema_shapes.rs"), lib),
    );
    g.embed_schema("crate::SCHEMA");
    let p = ProviderGen::new(&provider, schema.clone(), true, &smap);
    g.provider(&p)?;
    g.modules()?;
    g.files.insert(
        PathBuf::from("src/lib.rs"),
        lib_rs(&provider, &schema, &g.service_types()),
    );
    g.rustfmt_all()?;
    let services = g.service_types();
    let mut files = std::mem::take(&mut g.files);
    files.insert(
        PathBuf::from("Cargo.toml"),
        cargo_toml(&name, &schema, &opts.core, &services),
    );
    files.insert(PathBuf::from("schema.json"), text + "\n");
    Ok(GeneratedCrate {
        name,
        files,
        services,
        dynamic,
    })
}

/// The one provider of the document (address, entry).
fn only_provider(doc: &Value) -> Result<(String, Map<String, Value>), String> {
    let providers = doc
        .get("provider_schemas")
        .and_then(Value::as_object)
        .ok_or("the schema has no `provider_schemas` object")?;
    let mut it = providers.iter();
    match (it.next(), it.next()) {
        (Some((addr, Value::Object(entry))), None) => Ok((addr.clone(), entry.clone())),
        (Some(_), None) => Err("provider_schemas: the provider's entry is not an object".into()),
        (None, _) => Err("provider_schemas is empty".into()),
        (Some(_), Some(_)) => Err("provider_schemas holds more than one provider".into()),
    }
}

/// The schema keys of each kind with the key services.json would give the type.
pub(crate) const KINDS: [(&str, &str); 3] = [
    ("resource_schemas", ""),
    ("data_source_schemas", "data."),
    ("ephemeral_resource_schemas", "ephemeral."),
];

/// Every type of the provider by service, keyed as in services.json (`data.x`).
fn services(provider: &str, entry: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, prefix) in KINDS {
        for ty in entry
            .get(key)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.entry(service_of(provider, ty.0))
                .or_default()
                .push(format!("{prefix}{}", ty.0));
        }
    }
    out
}

fn choose(
    all: &BTreeMap<String, Vec<String>>,
    wanted: Option<&[String]>,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let Some(wanted) = wanted else {
        return Ok(all.clone());
    };
    let mut out = BTreeMap::new();
    for w in wanted {
        let Some(types) = all.get(w) else {
            return Err(format!(
                "no service `{w}`; the provider's services are: {}",
                all.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        };
        out.insert(w.clone(), types.clone());
    }
    Ok(out)
}

/// The document with only the chosen services' types.
fn restricted(
    doc: &Value,
    addr: &str,
    entry: &Map<String, Value>,
    chosen: &BTreeMap<String, Vec<String>>,
) -> Value {
    let keep: std::collections::BTreeSet<&str> =
        chosen.values().flatten().map(String::as_str).collect();
    let mut entry = entry.clone();
    for (key, prefix) in KINDS {
        if let Some(Value::Object(types)) = entry.get_mut(key) {
            types.retain(|ty, _| keep.contains(format!("{prefix}{ty}").as_str()));
        }
    }
    let mut out = doc.clone();
    if let Some(ps) = out
        .get_mut("provider_schemas")
        .and_then(Value::as_object_mut)
    {
        ps.insert(addr.to_string(), Value::Object(entry));
    }
    out
}

fn cargo_toml(
    name: &str,
    schema: &ProviderSchema,
    core: &CoreDep,
    services: &BTreeMap<String, Vec<String>>,
) -> String {
    let core = match core {
        CoreDep::Path(p) => format!("{{ path = {} }}", toml_str(p)),
        CoreDep::Version(v) => toml_str(v),
    };
    let mut s = format!(
        "# Generated by `terrane get` from {source} {version}; regenerate rather than edit.\n\
         [package]\nname = \"{name}\"\nversion = \"{version}\"\n\
         description = \"Typed {source} resources for terrane (generated by terrane get)\"\n\
         edition = \"2021\"\npublish = false\n\n\
         # A crate of its own, also when generated inside another workspace.\n[workspace]\n\n\
         [dependencies]\nterrane-core = {core}\n\n\
         [package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n\
         [features]\ndefault = [\"full\"]\n",
        source = schema.source,
        version = crate_version(&schema.version),
    );
    let names: Vec<String> = services.keys().map(|k| format!("\"{k}\"")).collect();
    let _ = writeln!(s, "full = [{}]", names.join(", "));
    for (k, types) in services {
        let _ = writeln!(s, "# {}", types.join(", "));
        let _ = writeln!(s, "{k} = []");
    }
    s
}

/// The provider version as a semver version for the crate (`3.7.2`; `1.2` -> `1.2.0`).
fn crate_version(v: &str) -> String {
    let parts: Vec<&str> = v.split(['.', '-']).take(3).collect();
    let nums: Vec<String> = (0..3)
        .map(|i| {
            parts
                .get(i)
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(0)
                .to_string()
        })
        .collect();
    nums.join(".")
}

fn toml_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn lib_rs(
    provider: &str,
    schema: &ProviderSchema,
    services: &BTreeMap<String, Vec<String>>,
) -> String {
    let pstruct = format!("{}Provider", crate::names::camel(provider));
    let mut finding = String::new();
    for (svc, types) in services.iter().take(3) {
        if let Some(t) = types.first() {
            let _ = writeln!(finding, "//! | `{t}` | `{svc}` | `{svc}` |");
        }
    }
    format!(
        r#"//! Typed resources, data sources and ephemeral resources of `{source}` {version}
//! for terrane, generated by `terrane get`; regenerate rather than edit.
//!
//! Finding a type: Terraform type `{provider}_<service>_<rest>` is in module and cargo
//! feature `<service>` (the first word after `{provider}_`), struct `<Service><Rest>` in
//! CamelCase; data sources are `Data…`, ephemeral resources `Ephemeral…`. The provider
//! configuration is [`{pstruct}`].
//!
//! | Terraform type | module | feature |
//! |---|---|---|
{finding}//!
//! Every block of this provider is checked against the embedded schema at synth:
//! the provider requirement of each generated type carries [`SCHEMA`].

#![cfg_attr(docsrs, feature(doc_cfg))]
#![allow(clippy::all, missing_docs)]

mod generated;

pub use generated::*;

/// The schema of `{source}` {version} these types were generated from (the chosen
/// services' types), parsed at its first use by the schema check.
pub static SCHEMA: terrane_core::schema::LazySchema =
    terrane_core::schema::LazySchema::new("{provider}", include_str!("../schema.json"));

/// A schema set holding [`SCHEMA`]: synth already checks against it with no call;
/// this is for callers that want the set itself (and for the generated tests).
pub fn schema() -> terrane_core::SchemaSet {{
    let mut set = terrane_core::SchemaSet::new();
    set.add_embedded(&SCHEMA);
    set
}}
"#,
        source = schema.source,
        version = schema.version,
    )
}
