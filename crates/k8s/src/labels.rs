//! The `app.kubernetes.io/*` labels every object carries.

use std::collections::BTreeMap;

/// `app.kubernetes.io/name`: the application, also the pod selector.
pub const NAME: &str = "app.kubernetes.io/name";
/// `app.kubernetes.io/instance`.
pub const INSTANCE: &str = "app.kubernetes.io/instance";
/// `app.kubernetes.io/component`: `api`, `worker`, `scheduler`, `database`, ...
pub const COMPONENT: &str = "app.kubernetes.io/component";
/// `app.kubernetes.io/part-of`: the platform.
pub const PART_OF: &str = "app.kubernetes.io/part-of";
/// `app.kubernetes.io/managed-by`: always `terrane`.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// `app.kubernetes.io/version`: the image tag.
pub const VERSION: &str = "app.kubernetes.io/version";
/// Colour of a blue/green Deployment.
pub const COLOUR: &str = "terrane.dev/colour";

/// The labels of one application's objects.
///
/// ```
/// let l = terrane_k8s::labels::AppLabels::new("api", "api", "platform");
/// assert_eq!(l.selector().get("app.kubernetes.io/name").map(String::as_str), Some("api"));
/// assert_eq!(l.all().len(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppLabels {
    name: String,
    component: String,
    part_of: String,
}

impl AppLabels {
    /// Labels for application `name`, in role `component`, of platform `part_of`.
    pub fn new(
        name: impl Into<String>,
        component: impl Into<String>,
        part_of: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            component: component.into(),
            part_of: part_of.into(),
        }
    }

    /// The labels that select the application's pods.
    pub fn selector(&self) -> BTreeMap<String, String> {
        BTreeMap::from([(NAME.to_string(), self.name.clone())])
    }

    /// Every standard label.
    pub fn all(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            (NAME.to_string(), self.name.clone()),
            (INSTANCE.to_string(), self.name.clone()),
            (COMPONENT.to_string(), self.component.clone()),
            (PART_OF.to_string(), self.part_of.clone()),
            (MANAGED_BY.to_string(), "terrane".to_string()),
        ])
    }
}

/// The tag of an image reference (`repo/api:1.2.3` gives `1.2.3`), if it has one.
pub(crate) fn image_tag(image: &str) -> Option<&str> {
    let last = image.rsplit('/').next()?;
    let last = last.split('@').next()?;
    last.split_once(':').map(|(_, t)| t)
}
