//! Rule `aws/name-collisions`: two targets that share an AWS account (and region) do
//! not declare the same literal name for a resource whose name AWS keeps unique
//! there (the table in `name_scopes.rs`). Nor do two blocks of one target.
//!
//! A rule sees one target, so this one is given the whole [`App`] to compare with
//! ([`NameCollisions::peers`]): a function that registers the project's targets
//! again. It builds each of them once (never renders them) and reads their blocks.
//! Names of peer targets are read before overrides.
//!
//! A target's account is the one its `aws` providers allow
//! (`allowed_account_ids = ["…"]`), else the one declared with
//! [`NameCollisions::account`]; a block's region is the literal `region` of the
//! provider configuration it uses. Names written as expressions are not compared:
//! they are only known at apply. A target with account- or region-scoped names and
//! no known account gets a warning, since its names cannot be compared.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use terrane_core::checks::{Rule, TargetView};
use terrane_core::{App, Diagnostic, Stack};

use super::body::{block_region, provider_account, string, Value};
use super::name_scopes::{named_type, NameScope, NamedType};

type Peers = Arc<dyn Fn() -> App + Send + Sync>;

/// Rule `aws/name-collisions` (see the module doc).
///
/// ```
/// use terrane_aws::checks::NameCollisions;
/// use terrane_core::App;
/// fn targets() -> App {
///     App::new() // register every target here
/// }
/// let mut app = targets();
/// app.rule(NameCollisions::new().peers(targets).account("dev", "123456789012"));
/// ```
#[derive(Default)]
pub struct NameCollisions {
    peers: Option<Peers>,
    accounts: BTreeMap<String, String>,
    peer_names: OnceLock<Vec<Declared>>,
}

impl NameCollisions {
    /// The rule comparing names inside each target only.
    pub fn new() -> Self {
        Self::default()
    }
    /// Compares each target with every target of the app `targets` returns (the
    /// same targets, registered again; built once, when first needed).
    pub fn peers(mut self, targets: impl Fn() -> App + Send + Sync + 'static) -> Self {
        self.peers = Some(Arc::new(targets));
        self
    }
    /// Declares the AWS account of a target whose providers do not say it with
    /// `allowed_account_ids`.
    pub fn account(mut self, target: &str, account_id: &str) -> Self {
        self.accounts
            .insert(target.to_string(), account_id.to_string());
        self
    }

    fn account_of<'a>(&'a self, target: &str, stacks: &'a [Stack]) -> Option<&'a str> {
        provider_account(stacks).or_else(|| self.accounts.get(target).map(String::as_str))
    }

    /// The literal names every target of the peer app declares.
    fn peer_names(&self) -> &[Declared] {
        self.peer_names.get_or_init(|| {
            let Some(peers) = &self.peers else {
                return Vec::new();
            };
            let app = peers();
            let mut out = Vec::new();
            for info in app.targets() {
                // A peer that does not build is reported by its own synth.
                if let Ok(t) = app.build(&info.name) {
                    let account = self.account_of(&info.name, t.stacks());
                    collect(&info.name, t.stacks(), account, &mut out);
                }
            }
            out
        })
    }
}

/// One literal name a block declares.
#[derive(Debug, Clone)]
struct Declared {
    target: String,
    stack: String,
    address: String,
    kind: &'static NamedType,
    /// As written.
    name: String,
    /// As AWS compares it.
    key: String,
    account: Option<String>,
    region: Option<String>,
}

impl Declared {
    /// True when AWS would see both as the same name in the same place.
    fn collides(&self, other: &Declared) -> bool {
        if self.kind.resource != other.kind.resource || self.key != other.key {
            return false;
        }
        let same_account = self.account.is_some() && self.account == other.account;
        match self.kind.scope {
            NameScope::Global => true,
            NameScope::Account => same_account,
            NameScope::Region => {
                same_account && self.region.is_some() && self.region == other.region
            }
        }
    }

    /// Where the collision happens, for the message.
    fn place(&self) -> String {
        let account = self.account.as_deref().unwrap_or("?");
        let region = self.region.as_deref().unwrap_or("?");
        let noun = self.kind.noun;
        match self.kind.scope {
            NameScope::Global => format!("{noun} names are unique across all AWS accounts"),
            NameScope::Account => {
                format!(
                    "both are in account {account}, where {noun} names are unique in every region"
                )
            }
            NameScope::Region => format!(
                "both are in account {account}, region {region}, where {noun} names are unique"
            ),
        }
    }
}

fn collect(target: &str, stacks: &[Stack], account: Option<&str>, out: &mut Vec<Declared>) {
    for stack in stacks {
        for block in stack.blocks() {
            let Some(kind) = named_type(block.ty) else {
                continue;
            };
            let Value::Literal(name) = string(block.body, kind.field) else {
                continue;
            };
            out.push(Declared {
                target: target.to_string(),
                stack: stack.name().to_string(),
                address: block.address(),
                kind,
                name: name.to_string(),
                key: if kind.ignore_case {
                    name.to_lowercase()
                } else {
                    name.to_string()
                },
                account: account.map(str::to_string),
                region: block_region(stack, &block).map(str::to_string),
            });
        }
    }
}

impl Rule for NameCollisions {
    fn name(&self) -> &str {
        "aws/name-collisions"
    }

    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
        let account = self.account_of(target.name(), target.stacks());
        let mut own = Vec::new();
        collect(target.name(), target.stacks(), account, &mut own);
        if account.is_none() && own.iter().any(|d| d.kind.scope != NameScope::Global) {
            out.push(Diagnostic::warning(
                "the AWS account of this target is not known (no allowed_account_ids on its aws providers, none declared to the name-collision rule): its account and region names are not compared with other targets'",
            ).target(target.name()));
        }
        let peers = self.peer_names();
        for (i, d) in own.iter().enumerate() {
            let earlier_here = own[..i].iter().filter(|e| e.collides(d));
            let elsewhere = peers
                .iter()
                .filter(|p| p.target != d.target && p.collides(d));
            for other in earlier_here.chain(elsewhere) {
                out.push(collision(d, other));
            }
        }
    }
}

fn collision(d: &Declared, other: &Declared) -> Diagnostic {
    let by = if other.target == d.target {
        "this target".to_string()
    } else {
        format!("target {}", other.target)
    };
    Diagnostic::new(format!(
        "{} name \"{}\" is also declared by {by} (stack {}, {}); {}: one apply fails or takes over the other's; give each environment its own name (prefix it with the environment)",
        d.kind.noun,
        d.name,
        other.stack,
        other.address,
        d.place(),
    ))
    .target(d.target.clone())
    .stack(d.stack.clone())
    .address(d.address.clone())
    .field(d.kind.field)
}
