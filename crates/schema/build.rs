//! Prepares the index of each embedded schema file at build time: where each type's
//! block sits in the text. With full providers (aws 5.100.0: 2,141 types, 12 MB)
//! indexing at run time took milliseconds at every start; now a lookup is a binary
//! search and the parse of that one type.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;

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
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("prepared.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
