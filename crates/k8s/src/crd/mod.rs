//! Typed custom resources the platform needs, with their real group, version
//! and kind; they serialize like k8s-openapi types (`apiVersion`, `kind` first).

mod autoscaling;
mod cert_manager;
mod external_secrets;
mod monitoring;
mod probe;

pub use autoscaling::*;
pub use cert_manager::*;
pub use external_secrets::*;
pub use monitoring::*;
pub use probe::*;

/// A reference to one key of a Kubernetes Secret, as the operators' CRDs take it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SecretKeySelector {
    /// Name of the Secret, in the namespace of the referring object.
    pub name: String,
    /// Key inside the Secret.
    pub key: String,
}

impl SecretKeySelector {
    /// A reference to `key` of the Secret `name`.
    ///
    /// ```
    /// let s = terrane_k8s::crd::SecretKeySelector::new("alertmanager-receivers", "slack-url");
    /// assert_eq!(s.key, "slack-url");
    /// ```
    pub fn new(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            key: key.into(),
        }
    }
}

/// Implements `k8s_openapi::Resource`, `k8s_openapi::Metadata` and a `Serialize`
/// that writes `apiVersion` and `kind` before `metadata` and `spec`.
macro_rules! custom_resource {
    ($ty:ident, $group:literal, $version:literal, $kind:literal, $plural:literal, $scope:ty) => {
        impl k8s_openapi::Resource for $ty {
            const API_VERSION: &'static str = concat!($group, "/", $version);
            const GROUP: &'static str = $group;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = $scope;
        }

        impl k8s_openapi::Metadata for $ty {
            type Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
            fn metadata(&self) -> &Self::Ty {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut Self::Ty {
                &mut self.metadata
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut st = s.serialize_struct($kind, 4)?;
                st.serialize_field("apiVersion", <Self as k8s_openapi::Resource>::API_VERSION)?;
                st.serialize_field("kind", $kind)?;
                st.serialize_field("metadata", &self.metadata)?;
                st.serialize_field("spec", &self.spec)?;
                st.end()
            }
        }
    };
}
pub(crate) use custom_resource;

#[cfg(test)]
mod tests;
