//! Terraform in one stack's working copy: init, plan to a saved plan file, the
//! plan's counts from `terraform show -json`, and apply of that saved plan. Every
//! line terraform prints goes to the scheduler as an event (printed with the
//! stack's prefix); the output is also kept for the failure message.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Sender};
use std::sync::Mutex;
use std::time::Instant;

use serde_json::Value;

use super::scheduler::{Counts, Event, Outcome, Status};
use super::Action;

/// What every job of one run shares.
pub struct Runner {
    /// The terraform (or tofu) binary.
    pub bin: String,
    /// Plan, apply or destroy.
    pub action: Action,
    /// Apply without asking.
    pub auto_approve: bool,
    /// A shell command run in each working copy before `init` (`--prepare`).
    pub prepare: Option<String>,
    /// The target's name, for the prepare command's environment.
    pub target: String,
    /// `terraform init` runs one at a time: the provider plugin cache is not safe
    /// for concurrent installs, and init is short next to plan and apply.
    pub init_lock: Mutex<()>,
}

const PLAN_FILE: &str = "terrane.tfplan";

impl Runner {
    /// Runs the action in the stack's working copy `dir`.
    pub fn run(&self, i: usize, stack: &str, dir: &Path, tx: &Sender<Event>) -> Outcome {
        let start = Instant::now();
        let mut counts = None;
        let result = self.steps(i, stack, dir, tx, &mut counts);
        let (status, ready) = match result {
            Ok((verb, ready)) => (Status::Ok(verb), ready),
            Err(why) => (Status::Failed(why), false),
        };
        Outcome {
            status,
            ready,
            counts,
            elapsed: Some(start.elapsed()),
        }
    }

    /// Whether a stack not selected has been applied (its outputs exist).
    pub fn check_applied(&self, i: usize, stack: &str, dir: &Path, tx: &Sender<Event>) -> Outcome {
        let applied = self
            .init(i, stack, dir, tx)
            .and_then(|()| self.outputs_exist(dir));
        match applied {
            Ok(true) => Outcome {
                status: Status::Ok("applied before".into()),
                ready: true,
                counts: None,
                elapsed: None,
            },
            Ok(false) => Outcome::not_run(Status::Ok("never applied".into())),
            Err(e) => Outcome::not_run(Status::Failed(e)),
        }
    }

    fn steps(
        &self,
        i: usize,
        stack: &str,
        dir: &Path,
        tx: &Sender<Event>,
        counts: &mut Option<Counts>,
    ) -> Result<(String, bool), String> {
        self.init(i, stack, dir, tx)?;
        let mut plan = vec!["plan", "-input=false", "-no-color", "-out", PLAN_FILE];
        if self.action == Action::Destroy {
            plan.push("-destroy");
        }
        if dir.join("terraform.tfvars.json").is_file() {
            plan.push("-var-file=terraform.tfvars.json");
        }
        self.terraform(i, dir, &plan, tx, true)
            .map_err(|e| failure("plan", &e))?;
        let shown = self
            .terraform(i, dir, &["show", "-json", PLAN_FILE], tx, false)
            .map_err(|e| failure("show", &e))?;
        let c = plan_counts(&shown)?;
        *counts = Some(c);
        if self.action == Action::Plan {
            return Ok(("planned".into(), self.outputs_exist(dir)?));
        }
        if !self.auto_approve {
            let (reply, answer) = channel();
            let question = format!(
                "{} {}: {} to add, {} to change, {} to destroy",
                self.action.verb(),
                stack,
                c.add,
                c.change,
                c.destroy
            );
            let _ = tx.send(Event::Confirm(i, question, reply));
            if !answer.recv().unwrap_or(false) {
                return Err(format!("{} not approved", self.action.verb()));
            }
        }
        self.terraform(
            i,
            dir,
            &["apply", "-input=false", "-no-color", PLAN_FILE],
            tx,
            true,
        )
        .map_err(|e| failure(self.action.verb(), &e))?;
        let _ = std::fs::remove_file(dir.join(PLAN_FILE));
        let verb = match self.action {
            Action::Destroy => "destroyed",
            _ => "applied",
        };
        Ok((verb.into(), true))
    }

    fn init(&self, i: usize, stack: &str, dir: &Path, tx: &Sender<Event>) -> Result<(), String> {
        if let Some(cmd) = &self.prepare {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(cmd)
                .current_dir(dir)
                .env("TERRANE_STACK_DIR", dir)
                .env("TERRANE_TARGET", &self.target)
                .env("TERRANE_STACK", stack);
            stream(i, c, tx, true).map_err(|e| failure("--prepare command", &e))?;
        }
        let _guard = self.init_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.terraform(
            i,
            dir,
            &["init", "-input=false", "-no-color", "-reconfigure"],
            tx,
            true,
        )
        .map(|_| ())
        .map_err(|e| failure("init", &e))
    }

    fn outputs_exist(&self, dir: &Path) -> Result<bool, String> {
        let mut c = Command::new(&self.bin);
        c.arg(format!("-chdir={}", dir.display()))
            .args(["output", "-json", "-no-color"]);
        let (tx, _rx) = channel();
        let text = stream(0, c, &tx, false).map_err(|e| failure("output", &e))?;
        let outputs: Value = serde_json::from_str(text.trim()).unwrap_or(Value::Null);
        Ok(outputs.as_object().is_some_and(|o| !o.is_empty()))
    }

    fn terraform(
        &self,
        i: usize,
        dir: &Path,
        args: &[&str],
        tx: &Sender<Event>,
        echo: bool,
    ) -> Result<String, String> {
        let mut c = Command::new(&self.bin);
        c.arg(format!("-chdir={}", dir.display()))
            .args(args)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0");
        stream(i, c, tx, echo)
    }
}

/// The failure message of a step: terraform's errors, indented.
fn failure(step: &str, output: &str) -> String {
    format!(
        "terraform {step} failed\n{}",
        crate::terraform::errors(output)
    )
}

/// Runs `command`, sending each line of its stdout and stderr as it comes (when
/// `echo`); its stdout, or all of its output as the error.
fn stream(
    i: usize,
    mut command: Command,
    tx: &Sender<Event>,
    echo: bool,
) -> Result<String, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let all = Mutex::new(String::new());
    let pipe = |r: Box<dyn Read + Send>| {
        let mut mine = String::new();
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            if echo {
                let _ = tx.send(Event::Line(i, line.clone()));
            }
            if let Ok(mut k) = all.lock() {
                k.push_str(&line);
                k.push('\n');
            }
            mine.push_str(&line);
            mine.push('\n');
        }
        mine
    };
    let (out, err) = (child.stdout.take(), child.stderr.take());
    let stdout = std::thread::scope(|s| {
        let reader = out.map(|o| s.spawn(|| pipe(Box::new(o))));
        if let Some(e) = err {
            s.spawn(|| pipe(Box::new(e)));
        }
        reader.and_then(|r| r.join().ok()).unwrap_or_default()
    });
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(stdout)
    } else {
        Err(all.into_inner().unwrap_or_default())
    }
}

/// The counts of a saved plan, from `terraform show -json` of it.
pub fn plan_counts(show_json: &str) -> Result<Counts, String> {
    let plan: Value = serde_json::from_str(show_json.trim())
        .map_err(|e| format!("terraform show -json printed no plan: {e}"))?;
    let mut c = Counts::default();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        let actions: Vec<&str> = rc["change"]["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for a in actions {
            match a {
                "create" => c.add += 1,
                "update" => c.change += 1,
                "delete" => c.destroy += 1,
                _ => {} // no-op, read
            }
        }
    }
    Ok(c)
}

/// The working copy of `stack` under the target's `.state/work/`.
pub fn work_dir(target_dir: &Path, stack: &str) -> PathBuf {
    target_dir.join(".state").join("work").join(stack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_a_replacement_as_add_and_destroy() {
        let show = r#"{"resource_changes":[
            {"change":{"actions":["create"]}},
            {"change":{"actions":["update"]}},
            {"change":{"actions":["delete","create"]}},
            {"change":{"actions":["no-op"]}},
            {"change":{"actions":["read"]}}]}"#;
        assert_eq!(
            plan_counts(show).unwrap(),
            Counts {
                add: 2,
                change: 1,
                destroy: 1
            }
        );
        assert_eq!(plan_counts("{}").unwrap(), Counts::default());
        assert!(plan_counts("Error: x").is_err());
    }
}
