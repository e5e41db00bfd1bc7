//! The table of resource types that hold data: what each holds, the arguments that
//! identify the real object, and the arguments whose change forces a replacement.
//! Provider schemas do not carry that flag, so each entry names its source.

use std::collections::BTreeMap;

/// A resource type (or Kubernetes kind) whose destruction loses data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatefulType {
    /// What it holds, for messages (`RDS database instance`).
    pub holds: String,
    /// Arguments that name the real object (`identifier`, `bucket`): the same values
    /// at a new address mean the same object, renamed in the program.
    pub identity: Vec<String>,
    /// Arguments whose change makes terraform destroy and recreate the object.
    pub forces_replacement: Vec<String>,
    /// The argument whose value is the id `terraform import` takes, when known.
    pub import_id: Option<String>,
    /// Where the replacement-forcing arguments are documented (the provider's page).
    pub source: String,
}

impl StatefulType {
    /// A type holding `holds`, documented at `source`.
    pub fn new(holds: &str, source: &str) -> Self {
        StatefulType {
            holds: holds.to_string(),
            identity: Vec::new(),
            forces_replacement: Vec::new(),
            import_id: None,
            source: source.to_string(),
        }
    }
    /// The arguments naming the real object. Most also force a replacement, but not
    /// all (an RDS instance's `identifier` is renamed in place): list those in
    /// [`StatefulType::forces`] too.
    pub fn identity(mut self, args: &[&str]) -> Self {
        self.identity = args.iter().map(|a| a.to_string()).collect();
        self
    }
    /// More replacement-forcing arguments (top-level names, or `block.argument`).
    pub fn forces(mut self, args: &[&str]) -> Self {
        for a in args {
            if !self.forces_replacement.iter().any(|f| f == a) {
                self.forces_replacement.push(a.to_string());
            }
        }
        self
    }
    /// The argument whose value `terraform import` takes as the id.
    pub fn import_id(mut self, arg: &str) -> Self {
        self.import_id = Some(arg.to_string());
        self
    }
    /// True when a change at `path` (`engine`, `settings.tier`) forces replacement:
    /// the path is a forcing argument, lies inside one, or holds one (a nested block
    /// compared whole; counted as forcing rather than missed).
    pub fn forces_at(&self, path: &str) -> bool {
        self.forces_replacement.iter().any(|f| {
            path == f
                || path
                    .strip_prefix(f.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
                || f.strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

/// Stateful resource types by Terraform type, and stateful Kubernetes kinds. Each
/// provider crate ships one (`terrane_aws::stateful::table()`); a project adds its
/// own entries with [`StatefulTable::resource`] and registers them with
/// [`crate::App::stateful`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatefulTable {
    resources: BTreeMap<String, StatefulType>,
    kinds: BTreeMap<String, String>,
}

impl StatefulTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds (or replaces) the entry of Terraform resource type `ty`.
    pub fn resource(mut self, ty: &str, entry: StatefulType) -> Self {
        self.resources.insert(ty.to_string(), entry);
        self
    }
    /// Adds a Kubernetes kind whose objects hold data (`PersistentVolumeClaim`).
    pub fn kind(mut self, kind: &str, holds: &str) -> Self {
        self.kinds.insert(kind.to_string(), holds.to_string());
        self
    }
    /// Adds every entry of `other`; its entries win.
    pub fn extend(&mut self, other: StatefulTable) {
        self.resources.extend(other.resources);
        self.kinds.extend(other.kinds);
    }
    /// The entry of a Terraform resource type.
    pub fn get(&self, ty: &str) -> Option<&StatefulType> {
        self.resources.get(ty)
    }
    /// What objects of Kubernetes kind `kind` hold, when they hold data.
    pub fn kind_holds(&self, kind: &str) -> Option<&str> {
        self.kinds.get(kind).map(String::as_str)
    }
    /// Every Terraform resource type of the table.
    pub fn resource_types(&self) -> impl Iterator<Item = (&str, &StatefulType)> {
        self.resources.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// True when the table has no entry.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.kinds.is_empty()
    }
}
