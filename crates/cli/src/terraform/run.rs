//! Running terraform in one stack folder and reading what it said.

use std::path::Path;
use std::process::Command;

/// The environment every terraform command gets: the scratch CLI configuration,
/// no prompts or update checks, fake aws credentials.
pub fn base_env(cli_config: &Path) -> Vec<(String, String)> {
    [
        ("TF_CLI_CONFIG_FILE", cli_config.display().to_string()),
        ("TF_IN_AUTOMATION", "1".into()),
        ("TF_INPUT", "0".into()),
        ("CHECKPOINT_DISABLE", "1".into()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Runs `terraform <args>` in `dir`; the combined output, or the output as the error.
pub fn terraform(dir: &Path, env: &[(String, String)], args: &[&str]) -> Result<String, String> {
    let output = Command::new("terraform")
        .arg(format!("-chdir={}", dir.display()))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .map_err(|e| format!("cannot run terraform: {e}"))?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// `terraform init` in `dir`, one at a time: the stacks checked in parallel share one
/// plugin cache, and terraform documents concurrent installs into a cache as
/// undefined (seen here: an init failing while another filled the cache).
pub fn init(dir: &Path, env: &[(String, String)]) -> Result<String, String> {
    static INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INIT.lock().unwrap_or_else(|p| p.into_inner());
    terraform(dir, env, &["init", "-input=false", "-no-color"])
}

/// Whether a terraform binary is on PATH.
pub fn terraform_available() -> bool {
    Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The counts of a plan's summary line (`Plan: 3 to add, 0 to change, 0 to
/// destroy.`), or "no changes".
pub fn plan_counts(output: &str) -> String {
    for line in output.lines() {
        if let Some(rest) = line.trim().strip_prefix("Plan: ") {
            return rest.trim_end_matches('.').to_string();
        }
    }
    "no changes".to_string()
}

/// Terraform's error diagnostics (its warnings, such as the one dev_overrides
/// always print, dropped), indented under the stack's line; all of the output
/// when it has no error. With `-no-color` each diagnostic starts with `Error: ` or
/// `Warning: ` at the start of a line.
pub fn errors(output: &str) -> String {
    let mut in_error = false;
    let mut kept = Vec::new();
    for line in output.lines() {
        if line.starts_with("Error: ") {
            in_error = true;
        } else if line.starts_with("Warning: ") {
            in_error = false;
        }
        if in_error {
            kept.push(line);
        }
    }
    let lines: Vec<&str> = if kept.is_empty() {
        output.lines().collect()
    } else {
        kept
    };
    lines
        .into_iter()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("    {l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plan_counts() {
        let out = "...\nPlan: 12 to add, 0 to change, 0 to destroy.\n\nChanges to Outputs:";
        assert_eq!(plan_counts(out), "12 to add, 0 to change, 0 to destroy");
        assert_eq!(
            plan_counts("No changes. Your infrastructure matches"),
            "no changes"
        );
    }

    #[test]
    fn keeps_only_the_errors() {
        let out = "Warning: Provider development overrides are in effect\n\nThe following\n\n\
                   Error: Invalid function argument\n\n  on main.tf.json line 3\n";
        assert_eq!(
            errors(out),
            "    Error: Invalid function argument\n    on main.tf.json line 3\n"
        );
        assert_eq!(errors("plain failure\n"), "    plain failure\n");
    }
}
