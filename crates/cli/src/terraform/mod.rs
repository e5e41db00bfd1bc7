//! `terrane validate --terraform`: every stack of the targets through real
//! `terraform init`, `validate` and `plan`, offline, with the real provider where the
//! filesystem mirror has it and terrane-schema-provider serving `schemas/` otherwise.

mod offline;
mod providers;
mod run;
mod sts;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;
use terrane_core::App;

pub(crate) use offline::unset_variables;
use providers::{Providers, Served};
pub(crate) use run::errors;

/// Options of `validate --terraform`.
#[derive(Debug, Args)]
pub struct TerraformArgs {
    /// Check the files already written in this output folder (`out`, or one
    /// `out/<target>`) instead of synthesizing.
    #[arg(long, requires = "terraform")]
    pub from: Option<PathBuf>,
    /// Folder of provider schema files served where the real provider is not installed.
    #[arg(long, default_value = "schemas", requires = "terraform")]
    pub schemas: PathBuf,
    /// Filesystem mirror of real provider binaries (default: $TERRANE_TF_PLUGIN_MIRROR,
    /// else /opt/tf-plugins).
    #[arg(long, requires = "terraform")]
    pub mirror: Option<PathBuf>,
    /// The terrane-schema-provider binary (default: beside this executable, or on PATH).
    #[arg(long, requires = "terraform")]
    pub schema_provider: Option<PathBuf>,
}

/// One target's stacks as written: its folder and its manifest's stacks in apply order.
struct TargetDir {
    name: String,
    dir: PathBuf,
    stacks: Vec<String>,
}

/// Runs the check on `names` (`all`: every target, or with `--from` every target
/// written there); one line per stack, exit status 1 on any failure.
pub fn validate(
    app: &App,
    names: &[String],
    all: bool,
    args: &TerraformArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    if !run::terraform_available() {
        let _ = writeln!(err, "error: terraform not found on PATH");
        return 1;
    }
    let work = scratch_dir();
    let code = match validate_in(app, names, all, args, &work, out) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            1
        }
    };
    let _ = std::fs::remove_dir_all(&work);
    code
}

fn validate_in(
    app: &App,
    names: &[String],
    all: bool,
    args: &TerraformArgs,
    work: &Path,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let server = providers::find_schema_provider(args.schema_provider.as_deref())?;
    let providers = Providers {
        mirror: args
            .mirror
            .clone()
            .or_else(|| std::env::var_os("TERRANE_TF_PLUGIN_MIRROR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("/opt/tf-plugins")),
        schemas: args.schemas.clone(),
        server,
    };
    let targets = copy_targets(app, names, all, args.from.as_deref(), work)?;
    let mut schema_served = BTreeMap::new();
    for t in &targets {
        for stack in &t.stacks {
            for source in required_sources(&read_doc(&t.dir.join(stack))?) {
                if let Ok(Served::Schema(file)) = providers.resolve(&source) {
                    schema_served.insert(source, file);
                }
            }
        }
    }
    let cli_config = providers
        .write_cli_config(work, &schema_served)
        .map_err(|e| format!("cannot write the terraform CLI configuration: {e}"))?;
    let env = run::base_env(&cli_config);
    let results = check_targets(&targets, &providers, &env);
    let (mut checked, mut failed, mut skipped) = (0, 0, 0);
    for (t, lines) in targets.iter().zip(results) {
        for (stack, line) in t.stacks.iter().zip(lines) {
            let name = format!("{}/{stack}", t.name);
            let _ = match line {
                Ok(done) => {
                    checked += 1;
                    writeln!(out, "ok   {name}: {done}")
                }
                Err(Outcome::Failed(problem)) => {
                    checked += 1;
                    failed += 1;
                    writeln!(out, "FAIL {name}: {}", problem.trim_end())
                }
                Err(Outcome::NotChecked(why)) => {
                    skipped += 1;
                    writeln!(out, "SKIP {name}: not checked: {why}")
                }
            };
        }
    }
    let not_checked = if skipped > 0 {
        format!(", {skipped} not checked (no provider to serve them)")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "terraform: {checked} stacks checked, {failed} failed{not_checked}"
    );
    Ok(u8::from(failed > 0))
}

/// How many targets are checked at once: plans are slow and mostly wait on the
/// provider, stacks within a target run in apply order.
const PARALLEL_TARGETS: usize = 2;

/// Each target's stack results, in the targets' order.
fn check_targets(
    targets: &[TargetDir],
    providers: &Providers,
    env: &[(String, String)],
) -> Vec<Vec<Result<String, Outcome>>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_TARGETS {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(t) = targets.get(i) else { break };
                let mut states = BTreeMap::new();
                let lines: Vec<_> = t
                    .stacks
                    .iter()
                    .map(|stack| check_stack(&t.dir.join(stack), providers, env, &mut states))
                    .collect();
                if let Ok(mut d) = done.lock() {
                    d.insert(i, lines);
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_default()
        .into_values()
        .collect()
}

/// Why a stack did not pass.
enum Outcome {
    /// Terraform (or setting it up) failed: the message, terraform's errors indented.
    Failed(String),
    /// A provider it needs is neither installed nor described in `schemas/`.
    NotChecked(String),
}

impl From<String> for Outcome {
    fn from(message: String) -> Self {
        Outcome::Failed(message)
    }
}

/// init, validate and plan one stack; what ran and who served, or what failed.
fn check_stack(
    dir: &Path,
    providers: &Providers,
    env: &[(String, String)],
    states: &mut BTreeMap<String, PathBuf>,
) -> Result<String, Outcome> {
    let doc = read_doc(dir)?;
    let stack = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let state = dir.with_file_name(format!("{stack}.placeholder.tfstate"));
    offline::write_placeholder_state(&doc, &state)?;
    // Registered before anything can fail, so a consumer is still checked.
    states.insert(stack, state);
    let mut served = Vec::new();
    let mut real = BTreeMap::new();
    let sources = required_providers(&doc);
    let sources_count = sources.len();
    for (local, source, requirement) in sources {
        match providers.resolve(&source).map_err(Outcome::NotChecked)? {
            Served::Real => {
                served.push(format!("{source}: real provider"));
                real.insert(local, requirement);
            }
            Served::Schema(_) => served.push(format!("{source}: terrane-schema-provider")),
        }
    }
    let served = served.join(", ");
    offline::write_override(dir, &doc, states)?;
    offline::drop_backend(dir, &doc)?;
    let mut env = env.to_vec();
    env.extend(offline::unset_variables(dir, &doc));
    let fail = |what: &str| {
        let served = served.clone();
        let what = what.to_string();
        move |output: String| {
            format!(
                "terraform {what} failed [{served}]\n{}",
                run::errors(&output)
            )
        }
    };
    if real.len() == sources_count {
        run::init(dir, &env).map_err(fail("init"))?;
    } else if !real.is_empty() {
        // dev_overrides make `init` look the overridden providers up anyway (and fail
        // offline): install only the real ones, from a config requiring just them.
        let data_dir = offline::init_real_providers(dir, &real, &env).map_err(fail("init"))?;
        env.push(("TF_DATA_DIR".into(), data_dir.display().to_string()));
    }
    run::terraform(dir, &env, &["validate", "-no-color"]).map_err(fail("validate"))?;
    let plan = run::terraform(
        dir,
        &env,
        &[
            "plan",
            "-input=false",
            "-lock=false",
            "-refresh=false",
            "-no-color",
        ],
    )
    .map_err(fail("plan"))?;
    Ok(format!(
        "validate ok, plan {} [{served}]",
        run::plan_counts(&plan)
    ))
}

/// The stacks to check, copied into `work`: synthesized now, or read from `from`.
fn copy_targets(
    app: &App,
    names: &[String],
    all: bool,
    from: Option<&Path>,
    work: &Path,
) -> Result<Vec<TargetDir>, String> {
    let source_root = match from {
        Some(dir) => dir.to_path_buf(),
        None => {
            let synthesized = app.synth_many(names).map_err(|e| e.to_string())?;
            let root = work.join("synth");
            terrane_core::write_targets(&root, &synthesized).map_err(|e| e.to_string())?;
            root
        }
    };
    let sources: Vec<(String, PathBuf)> = if source_root.join("manifest.json").is_file() {
        let name = manifest(&source_root)?.0;
        vec![(name, source_root.clone())]
    } else {
        names
            .iter()
            .map(|n| (n.clone(), source_root.join(n)))
            // --all with --from: the targets written there
            .filter(|(_, d)| !all || from.is_none() || d.join("manifest.json").is_file())
            .collect()
    };
    if sources.is_empty() {
        return Err(format!("no target written in {}", source_root.display()));
    }
    sources
        .into_iter()
        .map(|(name, src)| {
            let dir = work.join("run").join(&name);
            copy_dir(&src, &dir).map_err(|e| format!("cannot copy {}: {e}", src.display()))?;
            let stacks = manifest(&dir)?.1;
            Ok(TargetDir { name, dir, stacks })
        })
        .collect()
}

/// A target folder's manifest: target name and stack names in apply order.
fn manifest(dir: &Path) -> Result<(String, Vec<String>), String> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {} (run synth first): {e}", path.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = doc["target"].as_str().unwrap_or_default().to_string();
    let stacks = doc["stacks"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    Ok((name, stacks))
}

pub(crate) fn read_doc(stack_dir: &Path) -> Result<Value, String> {
    let path = stack_dir.join("main.tf.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}\n", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}\n", path.display()))
}

/// The provider sources a stack requires (`hashicorp/google`).
fn required_sources(doc: &Value) -> Vec<String> {
    required_providers(doc)
        .into_iter()
        .map(|(_, s, _)| s)
        .collect()
}

/// A stack's required providers: local name, source, and the requirement as written.
fn required_providers(doc: &Value) -> Vec<(String, String, Value)> {
    doc.pointer("/terraform/required_providers")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(local, p)| {
                    let source = p["source"].as_str()?.to_string();
                    Some((local.clone(), source, p.clone()))
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue; // terraform's own .terraform folders and lock files
        }
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to.join(&name))?;
        } else {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

fn scratch_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    std::env::temp_dir().join(format!("terrane-terraform-{}-{nanos}", std::process::id()))
}
