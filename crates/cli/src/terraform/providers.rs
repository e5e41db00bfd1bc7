//! Which provider serves each stack: the real binary where the filesystem mirror has
//! it, the schema-serving provider (through `dev_overrides`) otherwise, and the
//! terraform CLI configuration that says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Who serves one provider source (`hashicorp/google`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// The real provider, installed from the filesystem mirror.
    Real,
    /// terrane-schema-provider serving `schemas/<type>.json`.
    Schema(PathBuf),
}

/// Where providers come from for one run.
#[derive(Debug)]
pub struct Providers {
    /// The filesystem mirror of real provider binaries.
    pub mirror: PathBuf,
    /// The folder of schema files (`schemas/`).
    pub schemas: PathBuf,
    /// The terrane-schema-provider binary.
    pub server: PathBuf,
}

impl Providers {
    /// Who serves `source` (`namespace/type`), or why nobody can.
    pub fn resolve(&self, source: &str) -> Result<Served, String> {
        let source = source.trim_start_matches("registry.terraform.io/");
        if self
            .mirror
            .join("registry.terraform.io")
            .join(source)
            .is_dir()
        {
            return Ok(Served::Real);
        }
        let kind = source.rsplit('/').next().unwrap_or(source);
        let file = self.schemas.join(format!("{kind}.json"));
        if file.is_file() {
            return Ok(Served::Schema(file));
        }
        Err(format!(
            "provider {source} is neither in the mirror {} nor described by {}",
            self.mirror.display(),
            file.display()
        ))
    }

    /// Writes the terraform CLI configuration into `work`: the schema-served providers
    /// as `dev_overrides` (one wrapper script each, so no lock file, cache or mirror
    /// of the user is touched) and every other provider from the mirror only.
    pub fn write_cli_config(
        &self,
        work: &Path,
        schema_served: &BTreeMap<String, PathBuf>,
    ) -> std::io::Result<PathBuf> {
        let bin = work.join("schema-providers");
        std::fs::create_dir_all(&bin)?;
        let mut overrides = String::new();
        for (source, file) in schema_served {
            let kind = source.rsplit('/').next().unwrap_or(source);
            let script = bin.join(format!("terraform-provider-{kind}"));
            let text = format!(
                "#!/bin/sh\nexec {} {} {}\n",
                shell_quote(&self.server),
                shell_quote(Path::new(kind)),
                shell_quote(&absolute(file))
            );
            std::fs::write(&script, text)?;
            make_executable(&script)?;
            overrides.push_str(&format!(
                "    \"registry.terraform.io/{source}\" = {}\n",
                hcl_string(&bin)
            ));
        }
        let config = format!(
            "provider_installation {{\n  dev_overrides {{\n{overrides}  }}\n  \
             filesystem_mirror {{\n    path    = {}\n    include = [\"registry.terraform.io/*/*\"]\n  }}\n  \
             direct {{\n    exclude = [\"registry.terraform.io/*/*\"]\n  }}\n}}\n\
             plugin_cache_dir = {}\n",
            hcl_string(&absolute(&self.mirror)),
            hcl_string(&work.join("plugin-cache")),
        );
        std::fs::create_dir_all(work.join("plugin-cache"))?;
        let path = work.join("terraform.rc");
        std::fs::write(&path, config)?;
        Ok(path)
    }
}

/// The schema-serving provider binary: `--schema-provider`, else
/// `TERRANE_SCHEMA_PROVIDER`, else beside this executable, else on PATH.
pub fn find_schema_provider(given: Option<&Path>) -> Result<PathBuf, String> {
    const NAME: &str = "terrane-schema-provider";
    if let Some(p) = given {
        return Ok(absolute(p));
    }
    if let Some(p) = std::env::var_os("TERRANE_SCHEMA_PROVIDER") {
        return Ok(absolute(Path::new(&p)));
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(NAME)));
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(NAME));
    beside
        .into_iter()
        .chain(on_path)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "{NAME} not found (beside this executable, on PATH, or in TERRANE_SCHEMA_PROVIDER); \
                 build it with `cargo build -p cli --bins`"
            )
        })
}

/// `p` made absolute against the current directory (terraform runs elsewhere).
pub fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

fn hcl_string(p: &Path) -> String {
    serde_json::Value::String(p.display().to_string()).to_string()
}

#[cfg(unix)]
fn make_executable(p: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_p: &Path) -> std::io::Result<()> {
    Ok(())
}
