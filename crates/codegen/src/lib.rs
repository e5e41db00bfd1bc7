//! terrane-codegen: generates the typed resource, data source and provider types of
//! terrane-aws and terrane-gcp from the trimmed schemas in `schemas/`.
//!
//! Everything is rendered with the minijinja templates in `templates/`, formatted with
//! rustfmt, and either written or compared with what is committed ([`Mode::Check`]).

mod builder;
mod docs;
mod names;
mod rust_model;
mod samples;
mod view;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use minijinja::Environment;
use serde::{Deserialize, Serialize};

pub use docs::doc_lines;
pub use names::{camel, ident};

use builder::Builder;
use rust_model::TypeFile;
use terrane_schema::{Block, ProviderSchema};

/// Write the generated files, or only compare them with the files on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every file that differs (and remove stale generated files).
    Write,
    /// Change nothing; report every file that would change.
    Check,
}

#[derive(Deserialize)]
struct ServiceMap {
    #[serde(rename = "crate")]
    krate: String,
    services: BTreeMap<String, Vec<String>>,
    /// Fields of object-typed arguments that the provider requires although the schema
    /// (a plain cty object type) cannot say so, by generated struct name.
    #[serde(default)]
    required_object_fields: BTreeMap<String, Vec<String>>,
}

/// The crates the generator writes, and which providers go into each.
pub const CRATES: &[(&str, &[&str])] = &[("aws", &["aws", "helm"]), ("gcp", &["google"])];

const SERVICES: &str = include_str!("../services.json");

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_function("docs", doc_comment);
    for (name, src) in [
        ("type.rs", include_str!("../templates/type.rs.j2")),
        ("macros", include_str!("../templates/macros.j2")),
        (
            "service_mod.rs",
            include_str!("../templates/service_mod.rs.j2"),
        ),
        (
            "generated_mod.rs",
            include_str!("../templates/generated_mod.rs.j2"),
        ),
        ("support.rs", include_str!("../templates/support.rs.j2")),
        ("tests.rs", include_str!("../templates/tests.rs.j2")),
    ] {
        if let Err(e) = env.add_template(name, src) {
            panic!("template {name}: {e}");
        }
    }
    env
}

/// `/// line` for each line, and `#[deprecated]` after them when the provider deprecates
/// the item; no trailing newline, so it sits right above the item it documents.
fn doc_comment(lines: Vec<String>, deprecated: bool) -> String {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                "///".to_string()
            } else {
                format!("/// {l}")
            }
        })
        .collect();
    if deprecated {
        out.push("#[deprecated(note = \"deprecated by the provider\")]".to_string());
    }
    out.join("\n")
}

/// A type's place in the crate: service module and file stem.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Placement {
    service: String,
    module: String,
}

fn place(provider: &str, service: &str, tf_type: &str, data: bool) -> Placement {
    let stem = tf_type
        .strip_prefix(&format!("{provider}_"))
        .unwrap_or(tf_type);
    let stem = stem.strip_prefix(&format!("{service}_")).unwrap_or(stem);
    let module = if data {
        format!("data_{stem}")
    } else {
        stem.to_string()
    };
    Placement {
        service: service.to_string(),
        module,
    }
}

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

/// All files of one crate: path relative to the workspace root, and content.
pub fn generate_crate(root: &Path, krate: &str) -> Result<BTreeMap<PathBuf, String>, String> {
    let services: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(SERVICES).map_err(|e| format!("services.json: {e}"))?;
    let providers = CRATES
        .iter()
        .find(|(c, _)| *c == krate)
        .map(|(_, p)| *p)
        .ok_or_else(|| format!("unknown crate {krate}"))?;
    let env = env();
    let mut files = BTreeMap::new();
    let mut all_services: BTreeMap<String, ServiceCtx> = BTreeMap::new();
    let mut provider_ctxs = Vec::new();
    let gen_dir = PathBuf::from(format!("crates/{krate}/src/generated"));

    for (pi, pname) in providers.iter().enumerate() {
        let path = root.join("schemas").join(format!("{pname}.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let pf =
            ProviderSchema::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let extracted = !pf.is_from_provider();
        let smap: ServiceMap = serde_json::from_value(
            services
                .get(*pname)
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
        let mut service_of: BTreeMap<String, String> = BTreeMap::new();
        for (svc, types) in &smap.services {
            for t in types {
                service_of.insert(t.clone(), svc.clone());
            }
        }
        let main = pi == 0;
        let provider_service = if main {
            None
        } else {
            smap.services.keys().next().cloned()
        };
        let provider_fn = match &provider_service {
            None => "crate::generated::provider::required_provider".to_string(),
            Some(s) => format!("crate::generated::{s}::provider::required_provider"),
        };
        let docs_base = format!(
            "https://registry.terraform.io/providers/{}/{}/docs",
            pf.source, pf.version
        );
        let mut seen = BTreeMap::new();
        let mut reserved = std::collections::BTreeSet::new();
        for (data, map) in [(false, &pf.resources), (true, &pf.data_sources)] {
            for t in map.keys() {
                let short = t.strip_prefix(&format!("{pname}_")).unwrap_or(t);
                let n = format!("{}{}", if data { "Data" } else { "" }, camel(short));
                reserved.insert(format!("{n}Ref"));
                reserved.insert(format!("{n}Args"));
                reserved.insert(n);
            }
        }
        let mut type_list: Vec<(bool, &String, &Block)> = Vec::new();
        for (t, b) in &pf.resources {
            type_list.push((false, t, &b.block));
        }
        for (t, b) in &pf.data_sources {
            type_list.push((true, t, &b.block));
        }
        for (data, tf_type, block) in type_list {
            let key = if data {
                format!("data.{tf_type}")
            } else {
                tf_type.clone()
            };
            let svc = service_of
                .remove(&key)
                .ok_or_else(|| format!("crates/codegen/services.json: `{key}` has no service"))?;
            let pl = place(pname, &svc, tf_type, data);
            let short = tf_type
                .strip_prefix(&format!("{pname}_"))
                .unwrap_or(tf_type);
            let name = format!("{}{}", if data { "Data" } else { "" }, camel(short));
            let link = format!(
                "{docs_base}/{}/{short}",
                if data { "data-sources" } else { "resources" }
            );
            let tf = build_type(
                &name,
                if data { "data" } else { "resource" },
                tf_type,
                &pl,
                &link,
                &provider_fn,
                block,
                &reserved,
                extracted,
                &smap.required_object_fields,
            );
            for s in std::iter::once(&tf.root).chain(&tf.nested) {
                for n in [s.name.clone(), format!("{}Ref", s.name)]
                    .into_iter()
                    .chain(s.args_struct.clone())
                {
                    if let Some(prev) = seen.insert((svc.clone(), n.clone()), tf_type.clone()) {
                        return Err(format!(
                            "name collision in {svc}: {n} ({prev} and {tf_type})"
                        ));
                    }
                }
            }
            let rendered = render(&env, "type.rs", minijinja::context! { t => &tf })?;
            files.insert(
                gen_dir.join(&pl.service).join(format!("{}.rs", pl.module)),
                rendered,
            );
            all_services
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
        // the provider configuration
        let pstruct = format!("{}Provider", camel(pname));
        let ptf = build_type(
            &pstruct,
            "provider",
            pname,
            &Placement {
                service: provider_service.clone().unwrap_or_default(),
                module: "provider".into(),
            },
            &docs_base,
            &provider_fn,
            pf.provider_block().unwrap_or(&Block::default()),
            &reserved,
            extracted,
            &smap.required_object_fields,
        );
        let mut ctx_tf = ptf;
        ctx_tf.tf_type = pname.to_string();
        let rendered = render(
            &env,
            "type.rs",
            minijinja::context! { t => &ctx_tf, source => &pf.source, version => &pf.version },
        )?;
        let ppath = match &provider_service {
            None => gen_dir.join("provider.rs"),
            Some(s) => {
                if let Some(sc) = all_services.get_mut(s) {
                    sc.provider_module = true;
                }
                gen_dir.join(s).join("provider.rs")
            }
        };
        files.insert(ppath, rendered);
        provider_ctxs.push(ProviderCtx {
            name: pname.to_string(),
            struct_name: pstruct,
            source: pf.source.clone(),
            version: pf.version.clone(),
            service: provider_service,
            minimal: ctx_tf.root.minimal.clone(),
            maximal: ctx_tf.root.maximal.clone(),
        });
    }

    for svc in all_services.values_mut() {
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
            &env,
            "service_mod.rs",
            minijinja::context! { s => &svc, providers => &provider_ctxs },
        )?;
        files.insert(gen_dir.join(&svc.name).join("mod.rs"), rendered);
    }
    let services_list: Vec<&ServiceCtx> = all_services.values().collect();
    files.insert(
        gen_dir.join("mod.rs"),
        render(&env, "generated_mod.rs", minijinja::context! { services => &services_list, providers => &provider_ctxs, krate => krate })?,
    );
    files.insert(
        gen_dir.join("support.rs"),
        render(&env, "support.rs", minijinja::context! {})?,
    );
    files.insert(
        PathBuf::from(format!("crates/{krate}/tests/generated/mod.rs")),
        render(
            &env,
            "tests.rs",
            minijinja::context! { services => &services_list, providers => &provider_ctxs, krate => krate, lib => format!("terrane_{krate}") },
        )?,
    );
    // rustfmt every Rust file
    for (path, text) in files.iter_mut() {
        *text = rustfmt(text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // the feature list in Cargo.toml
    let cargo_path = PathBuf::from(format!("crates/{krate}/Cargo.toml"));
    let cargo = std::fs::read_to_string(root.join(&cargo_path))
        .map_err(|e| format!("{}: {e}", cargo_path.display()))?;
    files.insert(cargo_path, with_features(&cargo, &all_services)?);
    Ok(files)
}

const FEATURES_BEGIN: &str =
    "# BEGIN features generated by terrane-codegen (one per service); do not edit\n";
const FEATURES_END: &str = "# END generated features\n";

fn with_features(cargo: &str, services: &BTreeMap<String, ServiceCtx>) -> Result<String, String> {
    let (Some(b), Some(e)) = (cargo.find(FEATURES_BEGIN), cargo.find(FEATURES_END)) else {
        return Err("Cargo.toml has no generated features section (BEGIN/END markers)".into());
    };
    let mut s = String::new();
    s.push_str(&cargo[..b + FEATURES_BEGIN.len()]);
    s.push_str("[features]\n");
    s.push_str("default = [\"full\"]\n");
    let names: Vec<String> = services.keys().map(|k| format!("\"{k}\"")).collect();
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
fn build_type(
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
        _ => format!("The `{tf_type}` provider configuration: [registry documentation]({link})."),
    });
    let mut b = Builder {
        structs: Vec::new(),
        reserved,
        extracted,
        required_fields,
        link: link.to_string(),
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

fn render(env: &Environment<'_>, name: &str, ctx: minijinja::Value) -> Result<String, String> {
    let t = env.get_template(name).map_err(|e| e.to_string())?;
    t.render(ctx).map_err(|e| {
        let mut msg = format!("rendering {name}: {e}");
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            let _ = write!(msg, ": {s}");
            src = s.source();
        }
        msg
    })
}

/// Formats Rust source with the toolchain's rustfmt (edition 2021, default style).
pub fn rustfmt(src: &str) -> Result<String, String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let input = src.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let _ = writer.join();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let numbered: String = src
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{:5} {l}\n", i + 1))
            .collect();
        return Err(format!("rustfmt failed: {err}\n{numbered}"));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Generates every crate and writes or checks the files. Returns the paths that
/// differ (written in [`Mode::Write`], reported in [`Mode::Check`]).
pub fn run(root: &Path, crates: &[&str], mode: Mode) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for krate in crates {
        let files = generate_crate(root, krate)?;
        // stale generated files: everything under generated/ that is not produced now
        let gen_dir = root.join(format!("crates/{krate}/src/generated"));
        let mut existing = Vec::new();
        list_files(&gen_dir, &mut existing);
        for p in existing {
            let rel = p
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(p.clone());
            if !files.contains_key(&rel) {
                changed.push(format!("{} (stale)", rel.display()));
                if mode == Mode::Write {
                    std::fs::remove_file(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
        }
        for (rel, text) in &files {
            let p = root.join(rel);
            let old = std::fs::read_to_string(&p).ok();
            if old.as_deref() != Some(text.as_str()) {
                changed.push(rel.display().to_string());
                if mode == Mode::Write {
                    if let Some(dir) = p.parent() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| format!("{}: {e}", dir.display()))?;
                    }
                    std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
        }
    }
    Ok(changed)
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                list_files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// The workspace root this crate was built in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[cfg(test)]
mod tests;
