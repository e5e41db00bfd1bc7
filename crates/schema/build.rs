//! Prepares each embedded schema file at build time: a copy without descriptions (the
//! check never reads them; they were most of what a lookup parsed of the aws provider
//! configuration) and the index of that copy: where each type's block sits in the
//! text. With full providers (aws 5.100.0: 2,141 types, 12 MB) indexing at run time
//! took milliseconds at every start; now a lookup is a binary search and the parse of
//! that one type.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The embedded files: static name prefix and file name in `schemas/`.
const FILES: [(&str, &str); 4] = [
    ("AWS", "aws.json"),
    ("GOOGLE", "google.json"),
    ("HELM", "helm.json"),
    ("RANDOM", "random.json"),
];

// the same model as the run-time index (raw.rs), read here to prepare it
#[path = "src/raw.rs"]
#[allow(dead_code)]
mod raw;
use raw::RawFile;

fn main() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let mut out = String::new();
    for (name, file) in FILES {
        let path = schemas.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let full =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text =
            without_descriptions(&full).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let dest = out_dir().join(file);
        std::fs::write(&dest, &text).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        let raw: RawFile<'_> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some((_, p)) = raw.provider_schemas.into_iter().next() else {
            panic!("{}: provider_schemas is empty", path.display());
        };
        let span = |v: &RawValue| {
            let start = v.get().as_ptr() as usize - text.as_ptr() as usize;
            format!("{start}, {}", start + v.get().len())
        };
        let table = |m: &BTreeMap<&str, &RawValue>| {
            let mut s = String::from("&[");
            for (ty, v) in m {
                let _ = write!(s, "({ty:?}, {}), ", span(v));
            }
            s.push(']');
            s
        };
        let provider = p
            .provider
            .map(|v| format!("Some(({}))", span(v)))
            .unwrap_or_else(|| "None".into());
        let _ = writeln!(
            out,
            "/// Where each type's block sits in `schemas/{file}` (prepared by build.rs).\n\
             pub(crate) static {name}_PREPARED: Prepared = Prepared {{ provider: {provider}, \
             resources: {}, data_sources: {}, ephemeral_resources: {} }};",
            table(&p.resource_schemas),
            table(&p.data_source_schemas),
            table(&p.ephemeral_resource_schemas),
        );
    }
    let dest = out_dir().join("prepared.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"))
}

/// The schema file with every block's and attribute's `description` and
/// `description_kind` left out, by structure (an attribute may be named `description`).
fn without_descriptions(text: &str) -> Result<String, serde_json::Error> {
    let mut file: Value = serde_json::from_str(text)?;
    for provider in objects(file.get_mut("provider_schemas")) {
        if let Some(p) = provider.get_mut("provider") {
            trim_type(p);
        }
        for key in [
            "resource_schemas",
            "data_source_schemas",
            "ephemeral_resource_schemas",
        ] {
            for ty in objects(provider.get_mut(key)) {
                trim_type(ty);
            }
        }
    }
    serde_json::to_string(&file)
}

/// The values of a JSON object (none when absent or not an object).
fn objects(v: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    v.and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(Map::values_mut)
}

fn trim_type(ty: &mut Value) {
    if let Some(block) = ty.get_mut("block") {
        trim_block(block);
    }
}

fn trim_block(block: &mut Value) {
    strip(block);
    for attr in objects(block.get_mut("attributes")) {
        trim_attribute(attr);
    }
    for nested in objects(block.get_mut("block_types")) {
        if let Some(b) = nested.get_mut("block") {
            trim_block(b);
        }
    }
}

fn trim_attribute(attr: &mut Value) {
    strip(attr);
    if let Some(nested) = attr.get_mut("nested_type") {
        for a in objects(nested.get_mut("attributes")) {
            trim_attribute(a);
        }
    }
}

fn strip(v: &mut Value) {
    if let Some(o) = v.as_object_mut() {
        o.remove("description");
        o.remove("description_kind");
    }
}
