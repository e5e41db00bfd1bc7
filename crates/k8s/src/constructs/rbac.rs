//! RBAC helpers: a namespaced Role with explicit rules and the RoleBinding that
//! grants it to ServiceAccounts. No wildcards are added for you.

use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};

use terrane_core::construct::Construct;

use crate::manifests::Manifests;

/// A Role and its RoleBinding.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, Rbac};
/// let mut m = Manifests::new("shop", "shop");
/// Rbac::new("deployer").allow("apps", ["deployments"], ["get", "list", "patch"]).bind("ci").add_to(&mut m);
/// let rbac = &m.render("t").unwrap()["base/rbac.yaml"];
/// assert!(rbac.contains("kind: RoleBinding"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Rbac {
    name: String,
    namespace: Option<String>,
    rules: Vec<PolicyRule>,
    service_accounts: Vec<String>,
    create_service_account: bool,
}

impl Rbac {
    /// Role and RoleBinding named `name`, with no rules yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            rules: Vec::new(),
            service_accounts: Vec::new(),
            create_service_account: false,
        }
    }

    /// Read-only access (`get`, `list`, `watch`) to `resources` of the core group.
    pub fn read_only<I: IntoIterator<Item = S>, S: Into<String>>(
        name: impl Into<String>,
        resources: I,
    ) -> Self {
        Self::new(name).allow("", resources, ["get", "list", "watch"])
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Allows `verbs` on `resources` of API group `group` (`""` for core).
    pub fn allow<R, V, S, T>(mut self, group: impl Into<String>, resources: R, verbs: V) -> Self
    where
        R: IntoIterator<Item = S>,
        S: Into<String>,
        V: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.rules.push(PolicyRule {
            api_groups: Some(vec![group.into()]),
            resources: Some(resources.into_iter().map(Into::into).collect()),
            verbs: verbs.into_iter().map(Into::into).collect(),
            ..Default::default()
        });
        self
    }

    /// Also creates ServiceAccount `<name>` (no token automount) and grants it the Role.
    pub fn with_service_account(mut self) -> Self {
        self.create_service_account = true;
        self.service_accounts.push(self.name.clone());
        self
    }

    /// Grants the Role to ServiceAccount `service_account` of the same namespace.
    pub fn bind(mut self, service_account: impl Into<String>) -> Self {
        self.service_accounts.push(service_account.into());
        self
    }
}

impl Construct<Manifests> for Rbac {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = self
            .namespace
            .clone()
            .unwrap_or_else(|| m.namespace().to_string());
        let l = m.app_labels(&self.name, "rbac");
        let meta = m.meta(&self.name, &ns, &l);
        if self.create_service_account {
            m.service_account(&self.name, &ns, &l, None);
        }
        m.push(Role {
            metadata: meta.clone(),
            rules: Some(self.rules),
        });
        m.push(RoleBinding {
            metadata: meta,
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io".into(),
                kind: "Role".into(),
                name: self.name.clone(),
            },
            subjects: Some(
                self.service_accounts
                    .into_iter()
                    .map(|sa| Subject {
                        kind: "ServiceAccount".into(),
                        name: sa,
                        namespace: Some(ns.clone()),
                        api_group: None,
                    })
                    .collect(),
            ),
        });
    }
}
