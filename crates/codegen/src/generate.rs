//! Generating one crate: each provider's types placed into service modules, the
//! provider configuration, the service and crate modules, tests and features.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use minijinja::Environment;
use serde::Serialize;
use terrane_schema::{Block, ProviderSchema};

use crate::builder::Builder;
use crate::docs::doc_lines;
use crate::names::camel;
use crate::render::{env, render};
use crate::rust_model::TypeFile;
use crate::services::{place, Placement, ServiceMap, SERVICES};
use crate::type_names::{check_names, type_name};
use crate::CRATES;

#[derive(Serialize)]
struct ServiceCtx {
    name: String,
    types: Vec<TypeFile>,
    provider_module: bool,
    doc: String,
}

#[derive(Serialize)]
struct ProviderCtx {
    name: String,
    struct_name: String,
    source: String,
    version: String,
    /// The service module holding it, or none for the crate's main provider.
    service: Option<String>,
    minimal: String,
    maximal: String,
}

/// What one crate's generation has produced so far.
pub(crate) struct CrateGen<'a> {
    krate: &'a str,
    env: Environment<'static>,
    gen_dir: PathBuf,
    pub(crate) files: BTreeMap<PathBuf, String>,
    /// Type files, written compactly by their template and not run through rustfmt
    /// (their modules are `#[rustfmt::skip]`).
    compact: BTreeSet<PathBuf>,
    services: BTreeMap<String, ServiceCtx>,
    providers: Vec<ProviderCtx>,
    /// The provider whose functions `functions.rs` holds (one per crate).
    functions_of: Option<String>,
    /// The generated tests' file, and the library name they use.
    tests: (PathBuf, String),
    /// The static holding the crate's own embedded schema, which its provider
    /// requirement carries (standalone crates; terrane-aws's are embedded in core).
    schema_static: Option<String>,
}

/// One provider as it is generated: its schema and where its types go.
pub(crate) struct ProviderGen<'a> {
    name: &'a str,
    schema: ProviderSchema,
    extracted: bool,
    smap: &'a ServiceMap,
    /// The service module of a secondary provider's configuration.
    service: Option<String>,
    provider_fn: String,
    docs_base: String,
    /// Names nested types must not take.
    reserved: BTreeSet<String>,
}

/// All files of one crate: path relative to the workspace root, and content.
pub fn generate_crate(root: &Path, krate: &str) -> Result<BTreeMap<PathBuf, String>, String> {
    // services.json also has comment keys, so each provider's entry is read on its own
    let maps: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(SERVICES).map_err(|e| format!("services.json: {e}"))?;
    let providers = CRATES
        .iter()
        .find(|(c, _)| *c == krate)
        .map(|(_, p)| *p)
        .ok_or_else(|| format!("unknown crate {krate}"))?;
    let mut g = CrateGen::new(
        krate,
        PathBuf::from(format!("crates/{krate}/src/generated")),
        (
            PathBuf::from(format!("crates/{krate}/tests/generated/mod.rs")),
            format!("terrane_{krate}"),
        ),
    );
    // the default features: the services services.json lists types of, which are the
    // ones terrane's own constructs and reference stacks use
    let mut defaults = BTreeSet::new();
    for (pi, pname) in providers.iter().enumerate() {
        let smap: ServiceMap = serde_json::from_value(
            maps.get(*pname)
                .cloned()
                .ok_or_else(|| format!("services.json: no provider {pname}"))?,
        )
        .map_err(|e| format!("services.json: {pname}: {e}"))?;
        if smap.krate != krate {
            return Err(format!(
                "services.json: {pname} belongs to crate {}",
                smap.krate
            ));
        }
        defaults.extend(smap.services.keys().cloned());
        let p = ProviderGen::load(root, pname, pi == 0, &smap)?;
        g.provider(&p)?;
    }
    g.modules()?;
    g.rustfmt_all()?;
    // the feature list in Cargo.toml
    let cargo_path = PathBuf::from(format!("crates/{krate}/Cargo.toml"));
    let cargo = std::fs::read_to_string(root.join(&cargo_path))
        .map_err(|e| format!("{}: {e}", cargo_path.display()))?;
    g.files
        .insert(cargo_path, with_features(&cargo, &g.services, &defaults)?);
    Ok(g.files)
}

impl<'a> ProviderGen<'a> {
    fn load(root: &Path, name: &'a str, main: bool, smap: &'a ServiceMap) -> Result<Self, String> {
        let path = root.join("schemas").join(format!("{name}.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // blocks too large to type are kept dynamic, as `terrane get` does (aws quicksight)
        let mut doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let addrs: Vec<String> = doc
            .get("provider_schemas")
            .and_then(serde_json::Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for addr in &addrs {
            crate::too_deep::cap_document(&mut doc, addr);
        }
        let text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
        let schema =
            ProviderSchema::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self::new(name, schema, main, smap))
    }

    /// A provider from its parsed schema; `main` is the crate's first provider, whose
    /// configuration sits at the crate's top.
    pub(crate) fn new(
        name: &'a str,
        schema: ProviderSchema,
        main: bool,
        smap: &'a ServiceMap,
    ) -> Self {
        let service = if main {
            None
        } else {
            smap.services.keys().next().cloned()
        };
        let provider_fn = match &service {
            None => "crate::generated::provider::required_provider".to_string(),
            Some(s) => format!("crate::generated::{s}::provider::required_provider"),
        };
        let docs_base = format!(
            "https://registry.terraform.io/providers/{}/{}/docs",
            schema.source, schema.version
        );
        let mut reserved = BTreeSet::new();
        for (kind, map) in [
            ("resource", &schema.resources),
            ("data", &schema.data_sources),
            ("ephemeral", &schema.ephemeral_resources),
        ] {
            for t in map.keys() {
                let short = t.strip_prefix(&format!("{name}_")).unwrap_or(t);
                let n = type_name(kind, short);
                reserved.insert(format!("{n}Ref"));
                reserved.insert(format!("{n}Args"));
                reserved.insert(n);
            }
        }
        ProviderGen {
            name,
            extracted: !schema.is_from_provider(),
            schema,
            smap,
            service,
            provider_fn,
            docs_base,
            reserved,
        }
    }

    /// Resources, data sources, then ephemeral resources, each with its kind
    /// (`resource`, `data`, `ephemeral`) and block.
    fn type_list(&self) -> Vec<(&'static str, &String, &Block)> {
        let s = &self.schema;
        let resources = s.resources.iter().map(|(t, b)| ("resource", t, &b.block));
        let data = s.data_sources.iter().map(|(t, b)| ("data", t, &b.block));
        let ephemeral = s
            .ephemeral_resources
            .iter()
            .map(|(t, b)| ("ephemeral", t, &b.block));
        resources.chain(data).chain(ephemeral).collect()
    }
}

impl<'a> CrateGen<'a> {
    /// Nothing generated yet: types go under `gen_dir`, the tests to `tests`
    /// (file, library name).
    pub(crate) fn new(krate: &'a str, gen_dir: PathBuf, tests: (PathBuf, String)) -> Self {
        CrateGen {
            krate,
            env: env(),
            gen_dir,
            files: BTreeMap::new(),
            compact: BTreeSet::new(),
            services: BTreeMap::new(),
            providers: Vec::new(),
            functions_of: None,
            tests,
            schema_static: None,
        }
    }

    /// Makes the provider requirement carry the crate's embedded schema, the static at
    /// this path (`crate::SCHEMA`).
    pub(crate) fn embed_schema(&mut self, path: &str) {
        self.schema_static = Some(path.to_string());
    }

    /// One provider's types, configuration and functions.
    pub(crate) fn provider(&mut self, p: &ProviderGen<'_>) -> Result<(), String> {
        self.types(p)?;
        self.provider_config(p)?;
        self.functions(p)
    }

    /// rustfmt every Rust file.
    pub(crate) fn rustfmt_all(&mut self) -> Result<(), String> {
        let rust: Vec<(&PathBuf, &mut String)> = self
            .files
            .iter_mut()
            .filter(|(path, _)| {
                path.extension().is_some_and(|e| e == "rs") && !self.compact.contains(*path)
            })
            .collect();
        crate::render::rustfmt_many(rust)
    }

    /// The services generated so far, each with its Terraform types.
    pub(crate) fn service_types(&self) -> BTreeMap<String, Vec<String>> {
        self.services
            .iter()
            .map(|(k, s)| {
                let types = s.types.iter().map(|t| match t.kind {
                    "resource" => t.tf_type.clone(),
                    kind => format!("{kind}.{}", t.tf_type),
                });
                (k.clone(), types.collect())
            })
            .collect()
    }

    /// Every resource and data source type of one provider, each in its service.
    fn types(&mut self, p: &ProviderGen<'_>) -> Result<(), String> {
        let pname = p.name;
        let mut service_of: BTreeMap<String, String> = BTreeMap::new();
        for (svc, types) in &p.smap.services {
            for t in types {
                service_of.insert(t.clone(), svc.clone());
            }
        }
        let mut seen = BTreeMap::new();
        for (kind, tf_type, block) in p.type_list() {
            let key = match kind {
                "resource" => tf_type.clone(),
                other => format!("{other}.{tf_type}"),
            };
            let svc = service_of
                .remove(&key)
                .unwrap_or_else(|| p.smap.service_of(pname, tf_type));
            let pl = place(pname, &svc, tf_type, kind);
            let short = tf_type
                .strip_prefix(&format!("{pname}_"))
                .unwrap_or(tf_type);
            let name = type_name(kind, short);
            let docs_dir = match kind {
                "data" => "data-sources",
                "ephemeral" => "ephemeral-resources",
                _ => "resources",
            };
            let link = format!("{}/{docs_dir}/{short}", p.docs_base);
            let tf = build_type(
                &name,
                kind,
                tf_type,
                &pl,
                &link,
                &p.provider_fn,
                block,
                &p.reserved,
                p.extracted,
                &p.smap.required_object_fields,
            );
            check_names(&mut seen, &svc, tf_type, &tf)?;
            let rendered = render(&self.env, "type.rs", minijinja::context! { t => &tf })?;
            let path = self
                .gen_dir
                .join(&pl.service)
                .join(format!("{}.rs", pl.module));
            self.compact.insert(path.clone());
            self.files.insert(path, rendered);
            self.services
                .entry(svc.clone())
                .or_insert_with(|| ServiceCtx {
                    name: svc.clone(),
                    types: Vec::new(),
                    provider_module: false,
                    doc: String::new(),
                })
                .types
                .push(tf);
        }
        if let Some(left) = service_of.keys().next() {
            return Err(format!(
                "services.json lists `{left}`, which is not in schemas/{pname}.json"
            ));
        }
        Ok(())
    }

    /// The provider configuration type of one provider.
    fn provider_config(&mut self, p: &ProviderGen<'_>) -> Result<(), String> {
        let pname = p.name;
        let pf = &p.schema;
        let pstruct = format!("{}Provider", camel(pname));
        let ptf = build_type(
            &pstruct,
            "provider",
            pname,
            &Placement {
                service: p.service.clone().unwrap_or_default(),
                module: "provider".into(),
            },
            &p.docs_base,
            &p.provider_fn,
            pf.provider_block().unwrap_or(&Block::default()),
            &p.reserved,
            p.extracted,
            &p.smap.required_object_fields,
        );
        let mut ctx_tf = ptf;
        ctx_tf.tf_type = pname.to_string();
        let rendered = render(
            &self.env,
            "type.rs",
            minijinja::context! { t => &ctx_tf, source => &pf.source, version => &pf.version, schema_static => &self.schema_static },
        )?;
        let ppath = match &p.service {
            None => self.gen_dir.join("provider.rs"),
            Some(s) => {
                if let Some(sc) = self.services.get_mut(s) {
                    sc.provider_module = true;
                }
                self.gen_dir.join(s).join("provider.rs")
            }
        };
        self.compact.insert(ppath.clone());
        self.files.insert(ppath, rendered);
        self.providers.push(ProviderCtx {
            name: pname.to_string(),
            struct_name: pstruct,
            source: pf.source.clone(),
            version: pf.version.clone(),
            service: p.service.clone(),
            minimal: ctx_tf.root.minimal.clone(),
            maximal: ctx_tf.root.maximal.clone(),
        });
        Ok(())
    }

    /// The service modules, the generated module, support code and the generated tests.
    /// `functions.rs`: the provider-defined functions (at most one provider's per crate).
    fn functions(&mut self, p: &ProviderGen<'_>) -> Result<(), String> {
        let Some(text) = crate::functions::file(p.name, &p.schema) else {
            return Ok(());
        };
        if let Some(other) = &self.functions_of {
            return Err(format!(
                "providers {other} and {} both define functions; one functions.rs per crate",
                p.name
            ));
        }
        self.functions_of = Some(p.name.to_string());
        self.files.insert(self.gen_dir.join("functions.rs"), text);
        Ok(())
    }

    pub(crate) fn modules(&mut self) -> Result<(), String> {
        let (env, gen_dir, krate) = (&self.env, &self.gen_dir, self.krate);
        let (tests_path, lib) = &self.tests;
        let provider_ctxs = &self.providers;
        for svc in self.services.values_mut() {
            svc.doc = format!(
                "{}: {}.",
                svc.name,
                svc.types
                    .iter()
                    .map(|t| format!("`{}`", t.tf_type))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let rendered = render(
                env,
                "service_mod.rs",
                minijinja::context! { s => &svc, providers => provider_ctxs },
            )?;
            self.files
                .insert(gen_dir.join(&svc.name).join("mod.rs"), rendered);
        }
        let services_list: Vec<&ServiceCtx> = self.services.values().collect();
        self.files.insert(
            gen_dir.join("mod.rs"),
            render(env, "generated_mod.rs", minijinja::context! { services => &services_list, providers => provider_ctxs, krate => krate, functions_of => &self.functions_of })?,
        );
        self.files.insert(
            gen_dir.join("support.rs"),
            render(env, "support.rs", minijinja::context! {})?,
        );
        // terrane-aws's and terrane-gcp's tests module is `#[rustfmt::skip]` like the types
        // (a maximal value is one long line); a `terrane get` crate's test file is formatted
        if tests_path.file_name().is_some_and(|n| n == "mod.rs") {
            self.compact.insert(tests_path.clone());
        }
        self.files.insert(
            tests_path.clone(),
            render(
                env,
                "tests.rs",
                minijinja::context! { services => &services_list, providers => provider_ctxs, krate => krate, lib => lib },
            )?,
        );
        Ok(())
    }
}

const FEATURES_BEGIN: &str =
    "# BEGIN features generated by terrane-codegen (one per service); do not edit\n";
const FEATURES_END: &str = "# END generated features\n";

fn with_features(
    cargo: &str,
    services: &BTreeMap<String, ServiceCtx>,
    defaults: &BTreeSet<String>,
) -> Result<String, String> {
    let (Some(b), Some(e)) = (cargo.find(FEATURES_BEGIN), cargo.find(FEATURES_END)) else {
        return Err("Cargo.toml has no generated features section (BEGIN/END markers)".into());
    };
    let mut s = String::new();
    s.push_str(&cargo[..b + FEATURES_BEGIN.len()]);
    s.push_str("[features]\n");
    let quoted = |k: &String| format!("\"{k}\"");
    let default: Vec<String> = defaults.iter().map(quoted).collect();
    let _ = writeln!(s, "default = [{}]", default.join(", "));
    let names: Vec<String> = services.keys().map(quoted).collect();
    let _ = writeln!(s, "full = [{}]", names.join(", "));
    for (k, svc) in services {
        let types: Vec<&str> = svc.types.iter().map(|t| t.tf_type.as_str()).collect();
        let _ = writeln!(s, "# {}", types.join(", "));
        let _ = writeln!(s, "{k} = []");
    }
    s.push_str(&cargo[e..]);
    Ok(s)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build_type(
    name: &str,
    kind: &'static str,
    tf_type: &str,
    pl: &Placement,
    link: &str,
    provider_fn: &str,
    block: &Block,
    reserved: &std::collections::BTreeSet<String>,
    extracted: bool,
    required_fields: &BTreeMap<String, Vec<String>>,
) -> TypeFile {
    let mut docs = doc_lines(&block.description);
    if !docs.is_empty() {
        docs.push(String::new());
    }
    docs.push(match kind {
        "resource" => format!("The `{tf_type}` resource: [registry documentation]({link})."),
        "data" => format!("The `{tf_type}` data source: [registry documentation]({link})."),
        "ephemeral" => format!("The `{tf_type}` ephemeral resource (Terraform 1.10; never stored): [registry documentation]({link})."),
        _ => format!("The `{tf_type}` provider configuration: [registry documentation]({link})."),
    });
    let mut b = Builder {
        structs: Vec::new(),
        reserved,
        extracted,
        required_fields,
    };
    let root = b.block(name, kind, docs, block);
    let mut nested = b.structs;
    nested.sort_by(|a, b| a.name.cmp(&b.name));
    TypeFile {
        kind,
        tf_type: tf_type.to_string(),
        service: pl.service.clone(),
        module: pl.module.clone(),
        name: name.to_string(),
        ref_name: format!("{name}Ref"),
        link: link.to_string(),
        provider_fn: provider_fn.to_string(),
        root,
        nested,
        deprecated: block.deprecated,
    }
}
