//! Rule `k8s/coherence/crd`: an object of a CRD kind needs its CRD in the target,
//! from a release whose pinned chart version serves the object's group/version.

use terrane_core::Diagnostic;

use super::facts::{self, ChartFacts, CrdFact, CrdSwitch, BUILT_IN_GROUPS};
use super::platform::Release;
use super::{values, Scope};
use crate::object::Object;

/// What one release says about the CRD of a kind.
enum Offer<'a> {
    /// Installs it and serves the version.
    Serves,
    /// Installs it, but not serving the version: the versions it serves.
    WrongVersion(&'a Release, &'static ChartFacts, &'static [&'static str]),
    /// Has it, with its CRD switched off by values: the value to set true.
    Off(&'a Release, &'static ChartFacts, String),
    /// A chart version with no facts, whose other versions have the kind.
    Unknown(&'a Release),
    /// Not this kind.
    Nothing,
}

/// Runs the rule on every overlay.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    for d in scope.deployed {
        for o in &d.objects {
            if !BUILT_IN_GROUPS.contains(&o.group()) {
                object(scope, &d.overlay, &d.objects, o, out);
            }
        }
    }
}

fn object(
    scope: &Scope<'_>,
    overlay: &str,
    objects: &[Object],
    o: &Object,
    out: &mut Vec<Diagnostic>,
) {
    let (group, kind) = (o.group(), o.kind());
    let version = o.api_version().rsplit('/').next().unwrap_or_default();
    let offers: Vec<Offer<'_>> = scope
        .platform
        .releases
        .iter()
        .map(|r| offer(r, group, kind, version))
        .collect();
    if offers.iter().any(|x| matches!(x, Offer::Serves)) || crd_manifest(objects, group, kind) {
        return;
    }
    let api = o.api_version();
    let at = |m: String| scope.object_error(overlay, o, "apiVersion", m);
    if let Some(Offer::Unknown(r)) = offers.iter().find(|x| matches!(x, Offer::Unknown(_))) {
        let mut d = at(format!(
            "{} pins {} {}, a version terrane has no CRD facts for (known: {}); whether it serves {api} {kind} is not checked",
            release_at(r),
            r.chart,
            r.version,
            facts::known_versions(&r.chart).join(", ")
        ));
        d.severity = terrane_core::Severity::Warning;
        out.push(d);
        return;
    }
    if let Some(Offer::WrongVersion(r, f, served)) =
        offers.iter().find(|x| matches!(x, Offer::WrongVersion(..)))
    {
        let served: Vec<String> = served.iter().map(|v| format!("{group}/{v}")).collect();
        out.push(at(format!(
            "{} {} ({}) serves {kind} only as {}, not {api}: apply fails with \"no matches for kind\"",
            f.chart,
            f.version,
            release_at(r),
            served.join(", ")
        )));
        return;
    }
    if let Some(Offer::Off(r, f, switch)) = offers.iter().find(|x| matches!(x, Offer::Off(..))) {
        out.push(at(format!(
            "the CRD of {api} {kind} comes with {} {} ({}), whose values leave its CRDs off: set {switch} to true",
            f.chart,
            f.version,
            release_at(r),
        )));
        return;
    }
    let providers = providers(group, kind, version);
    let mut hint = if providers.is_empty() {
        String::new()
    } else {
        format!(" (charts that serve it: {})", providers.join(", "))
    };
    // A chart terrane has no facts for is taken to install no CRD: say which.
    let unknown: Vec<String> = scope
        .platform
        .releases
        .iter()
        .filter(|r| facts::known_versions(&r.chart).is_empty())
        .map(|r| format!("{} (chart {})", r.at.address, r.chart))
        .collect();
    if !unknown.is_empty() {
        hint.push_str(&format!(
            "; terrane has no facts on the CRDs of {}",
            unknown.join(", ")
        ));
    }
    out.push(at(format!(
        "no Helm release or manifest of the target installs the CRD of {api} {kind}{hint}"
    )));
}

fn offer<'a>(r: &'a Release, group: &str, kind: &str, version: &str) -> Offer<'a> {
    let Some(f) = facts::chart(&r.chart, &r.version) else {
        let other_versions_have_it = facts::CHARTS
            .iter()
            .any(|c| c.chart == r.chart && find(c, group, kind).is_some());
        return if other_versions_have_it {
            Offer::Unknown(r)
        } else {
            Offer::Nothing
        };
    };
    let Some(crd) = find(f, group, kind) else {
        return Offer::Nothing;
    };
    let off = match f.crd_switch {
        CrdSwitch::Always => None,
        CrdSwitch::Values { any_of, default } => {
            (!any_of.iter().any(|p| values::flag(&r.values, p, default)))
                .then(|| any_of[0].to_string())
        }
    };
    // Charts such as external-secrets also switch single CRDs (`crds.createClusterSecretStore`).
    let per_kind = format!("crds.create{kind}");
    let off = off.or_else(|| (!values::flag(&r.values, &per_kind, true)).then_some(per_kind));
    if let Some(switch) = off {
        Offer::Off(r, f, switch)
    } else if crd.served.contains(&version) {
        Offer::Serves
    } else {
        Offer::WrongVersion(r, f, crd.served)
    }
}

fn find(f: &ChartFacts, group: &str, kind: &str) -> Option<&'static CrdFact> {
    f.crds.iter().find(|c| c.group == group && c.kind == kind)
}

/// A CustomResourceDefinition object among the manifests named for the kind.
fn crd_manifest(objects: &[Object], group: &str, kind: &str) -> bool {
    let plural = facts::CHARTS
        .iter()
        .find_map(|c| find(c, group, kind))
        .map(|c| c.plural.to_string())
        .unwrap_or_else(|| format!("{}s", kind.to_lowercase()));
    let name = format!("{plural}.{group}");
    objects
        .iter()
        .any(|o| o.kind() == "CustomResourceDefinition" && o.name() == name)
}

/// `chart version` of every chart version known to serve the kind at `version`.
fn providers(group: &str, kind: &str, version: &str) -> Vec<String> {
    facts::CHARTS
        .iter()
        .filter(|c| find(c, group, kind).is_some_and(|crd| crd.served.contains(&version)))
        .map(|c| format!("{} {} from {}", c.chart, c.version, c.repository))
        .collect()
}

/// `helm_release.x in stack platform`, for messages.
pub(crate) fn release_at(r: &Release) -> String {
    format!("{} in stack {}", r.at.address, r.at.stack)
}
