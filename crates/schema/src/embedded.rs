//! The provider schemas committed in `schemas/`, embedded once for every crate that
//! checks against them, and looked up by provider source so that a stack requiring
//! one of these providers is checked with no call to make.
//!
//! Each is parsed only when first used (see [`LazySchema`]).

use crate::lazy::Prepared;
use crate::LazySchema;

include!(concat!(env!("OUT_DIR"), "/prepared.rs"));

/// The text of `schemas/aws.json` (hashicorp/aws, every type).
pub const AWS_JSON: &str = include_str!("../../../schemas/aws.json");
/// The text of `schemas/google.json` (hashicorp/google).
pub const GOOGLE_JSON: &str = include_str!("../../../schemas/google.json");
/// The text of `schemas/helm.json` (hashicorp/helm).
pub const HELM_JSON: &str = include_str!("../../../schemas/helm.json");
/// The text of `schemas/random.json` (hashicorp/random).
pub const RANDOM_JSON: &str = include_str!("../../../schemas/random.json");

// What the check reads: the files above without descriptions (build.rs), so that a
// lookup parses only what the check uses.
const AWS_CHECKED: &str = include_str!(concat!(env!("OUT_DIR"), "/aws.json"));
const GOOGLE_CHECKED: &str = include_str!(concat!(env!("OUT_DIR"), "/google.json"));
const HELM_CHECKED: &str = include_str!(concat!(env!("OUT_DIR"), "/helm.json"));
const RANDOM_CHECKED: &str = include_str!(concat!(env!("OUT_DIR"), "/random.json"));

/// hashicorp/aws 5.100.0, without descriptions (the full text is [`AWS_JSON`]).
pub static AWS: LazySchema = LazySchema::prepared("aws", AWS_CHECKED, &AWS_PREPARED);
/// hashicorp/google 6.50.0, without descriptions (the full text is [`GOOGLE_JSON`]).
pub static GOOGLE: LazySchema = LazySchema::prepared("google", GOOGLE_CHECKED, &GOOGLE_PREPARED);
/// hashicorp/helm 3.1.1, without descriptions (the full text is [`HELM_JSON`]).
pub static HELM: LazySchema = LazySchema::prepared("helm", HELM_CHECKED, &HELM_PREPARED);
/// hashicorp/random 3.7.2, without descriptions (the full text is [`RANDOM_JSON`]).
pub static RANDOM: LazySchema = LazySchema::prepared("random", RANDOM_CHECKED, &RANDOM_PREPARED);

/// One embedded schema: the provider it describes and the version it was taken from.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    /// Registry source without host (`hashicorp/aws`).
    pub source: &'static str,
    /// The provider version the schema was extracted from (`5.100.0`).
    pub version: &'static str,
    /// The schema.
    pub schema: &'static LazySchema,
}

/// Every embedded schema.
pub fn all() -> [Known; 4] {
    let known = |source, version, schema| Known {
        source,
        version,
        schema,
    };
    [
        known("hashicorp/aws", "5.100.0", &AWS),
        known("hashicorp/google", "6.50.0", &GOOGLE),
        known("hashicorp/helm", "3.1.1", &HELM),
        known("hashicorp/random", "3.7.2", &RANDOM),
    ]
}

/// The embedded schema for a provider requirement, when there is one for its source
/// and its version constraint names the same major version (a schema of 5.100 says
/// nothing reliable about 4.x or 6.x).
///
/// ```
/// use terrane_schema::embedded::for_requirement;
/// assert!(for_requirement("hashicorp/aws", "5.100.0").is_some());
/// assert!(for_requirement("registry.terraform.io/hashicorp/aws", "~> 5.0").is_some());
/// assert!(for_requirement("hashicorp/aws", "4.67.0").is_none());
/// assert!(for_requirement("someone/aws", "5.100.0").is_none());
/// ```
pub fn for_requirement(source: &str, constraint: &str) -> Option<&'static LazySchema> {
    let source = source
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(source);
    let k = all().into_iter().find(|k| k.source == source)?;
    let major = |v: &str| -> Option<String> {
        let v = v.trim_start_matches(|c: char| !c.is_ascii_digit());
        Some(v.split('.').next()?.to_string())
    };
    (major(constraint)? == major(k.version)?).then_some(k.schema)
}
