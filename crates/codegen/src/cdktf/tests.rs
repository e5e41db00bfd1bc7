//! The extractor against real schemas: @cdktf/provider-random 12.0.1 (committed under
//! tests/fixtures) against the committed schemas/random.json, and @cdktf/provider-aws
//! 20.1.0 against hashicorp/aws 5.100.0's `terraform providers schema -json`. The aws
//! one needs cached downloads (`schemas/.cache/`, or `TERRANE_SCHEMA_CACHE`): without
//! them it prints `SKIPPED: <file> not found` and passes, also under CI=true, because CI
//! does not fetch 48 MB of package and schema (and the comparison takes minutes in a
//! debug build).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::types::storage_type;
use super::*;

fn cache() -> PathBuf {
    std::env::var_os("TERRANE_SCHEMA_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("schemas/.cache"))
}

/// The cached file, or None after printing SKIPPED.
fn cached(name: &str) -> Option<PathBuf> {
    let p = cache().join(name);
    if p.exists() {
        Some(p)
    } else {
        println!("SKIPPED: {} not found", p.display());
        None
    }
}

/// The package unpacked into a temporary folder.
fn unpacked(tgz: &Path, tag: &str) -> (PathBuf, PathBuf) {
    let work =
        std::env::temp_dir().join(format!("terrane-cdktf-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let dir = package::obtain(&tgz.display().to_string(), &work).unwrap();
    (work, dir)
}

#[derive(Default)]
struct Diff {
    compared: usize,
    known: usize,
    problems: Vec<String>,
}

fn contains_dynamic(t: &Value) -> bool {
    match t {
        Value::String(s) => s == "dynamic",
        Value::Array(a) => a.iter().skip(1).any(contains_dynamic),
        Value::Object(o) => o.values().any(contains_dynamic),
        _ => false,
    }
}

/// Equal, or equal but for what the package cannot tell: an inner set recorded as a
/// list, a very deep structure typed dynamic.
fn types_agree(real: &Value, ext: &Value, outer: bool) -> bool {
    if real == ext || (contains_dynamic(ext) && !contains_dynamic(real) && ext == "dynamic") {
        return true;
    }
    match (real, ext) {
        (Value::Array(r), Value::Array(e)) if r.len() == e.len() && !r.is_empty() => {
            let kind_ok = r[0] == e[0] || (!outer && r[0] == "set" && e[0] == "list");
            kind_ok
                && r.iter()
                    .zip(e)
                    .skip(1)
                    .all(|(a, b)| types_agree(a, b, r[0] == "object"))
        }
        (Value::Object(r), Value::Object(e)) => {
            r.len() == e.len()
                && r.iter()
                    .all(|(k, a)| e.get(k).is_some_and(|b| types_agree(a, b, false)))
        }
        _ => false,
    }
}

fn flag(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn keys(v: &Value, k: &str) -> Vec<String> {
    v.get(k)
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn compare_block(real: &Value, ext: &Value, path: &str, d: &mut Diff) {
    let (ra, ea) = (&real["attributes"], &ext["attributes"]);
    let (rb, eb) = (&real["block_types"], &ext["block_types"]);
    let mut names = keys(real, "attributes");
    names.extend(keys(real, "block_types"));
    names.extend(keys(ext, "attributes"));
    names.extend(keys(ext, "block_types"));
    names.sort();
    names.dedup();
    for n in names {
        let p = format!("{path}.{n}");
        d.compared += 1;
        match (ra.get(&n), ea.get(&n), rb.get(&n), eb.get(&n)) {
            (Some(r), Some(e), _, _) => {
                let Some(rt) = r.get("type") else {
                    // a framework nested attribute: compared as its object type elsewhere
                    d.known += 1;
                    continue;
                };
                if !types_agree(rt, &e["type"], true) {
                    d.problems.push(format!("{p}: type {rt} vs {}", e["type"]));
                }
                if flag(r, "required") != flag(e, "required") {
                    d.problems.push(format!(
                        "{p}: required {} vs {}",
                        flag(r, "required"),
                        flag(e, "required")
                    ));
                }
                let ro =
                    |v: &Value| flag(v, "computed") && !flag(v, "optional") && !flag(v, "required");
                if ro(r) != ro(e) && !(flag(r, "optional") && ro(e)) {
                    d.problems
                        .push(format!("{p}: read-only {} vs {}", ro(r), ro(e)));
                }
            }
            (_, _, Some(r), Some(e)) => {
                if r["nesting_mode"] != e["nesting_mode"] {
                    d.problems.push(format!(
                        "{p}: nesting {} vs {}",
                        r["nesting_mode"], e["nesting_mode"]
                    ));
                }
                let single = |v: &Value| v.get("max_items").and_then(Value::as_u64) == Some(1);
                if single(r) != single(e) {
                    d.problems
                        .push(format!("{p}: single-item {} vs {}", single(r), single(e)));
                }
                compare_block(&r["block"], &e["block"], &p, d);
            }
            // optional object attribute the generator emits as a single-item block
            (Some(_), None, None, Some(_)) => d.known += 1,
            // a very deep block the generator typed `any` (wafv2 statements, quicksight definitions)
            (None, Some(e), Some(_), None) if e["type"] == "dynamic" => d.known += 1,
            (Some(_), None, None, None) | (None, None, Some(_), None) => {
                d.problems.push(format!("{p}: missing"))
            }
            (None, Some(_), None, None) | (None, None, None, Some(_)) => {
                d.problems.push(format!("{p}: extra"))
            }
            _ => d.problems.push(format!("{p}: attribute vs block")),
        }
    }
}

fn compare(real: &Value, ext: &Value, d: &mut Diff) {
    for key in ["resource_schemas", "data_source_schemas"] {
        let (r, e) = (&real[key], &ext[key]);
        for ty in keys(ext, key) {
            match r.get(&ty) {
                Some(rt) => compare_block(&rt["block"], &e[&ty]["block"], &ty, d),
                None => d.problems.push(format!("{ty}: not in the real schema")),
            }
        }
        for ty in keys(real, key) {
            if e.get(&ty).is_none() {
                d.problems.push(format!("{ty}: not extracted"));
            }
        }
    }
}

fn first_provider(doc: &Value) -> &Value {
    doc["provider_schemas"]
        .as_object()
        .and_then(|o| o.values().next())
        .unwrap()
}

#[test]
fn storage_types() {
    assert_eq!(
        storage_type("stringList", "set").unwrap(),
        serde_json::json!(["set", "string"])
    );
    assert_eq!(
        storage_type("stringListMap", "map").unwrap(),
        serde_json::json!(["map", ["list", "string"]])
    );
    assert_eq!(
        storage_type("boolean", "simple").unwrap(),
        serde_json::json!("bool")
    );
    assert_eq!(
        storage_type("string", "list").unwrap_err().0,
        "collection kind list with scalar storage string"
    );
}

#[test]
fn not_a_package_is_one_clear_error() {
    let dir = std::env::temp_dir().join(format!("terrane-cdktf-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = package::obtain(&dir.display().to_string(), &dir).unwrap_err();
    assert_eq!(
        e.0,
        format!(
            "{}: no .jsii assembly (not an unpacked cdktf provider package)",
            dir.display()
        )
    );
    let e = package::obtain("/nonexistent/provider-x.tgz", &dir).unwrap_err();
    assert_eq!(e.0, "/nonexistent/provider-x.tgz: no such file");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn random_agrees_with_the_committed_schema() {
    // committed (60 KB, MPL-2.0 with its LICENSE): the extractor is tested in every CI run
    let tgz = crate::workspace_root()
        .join("crates/codegen/tests/fixtures/cdktf-provider-random-12.0.1.tgz");
    let (work, dir) = unpacked(&tgz, "random");
    let ex = extract(&dir, true, &|_, _| true).unwrap();
    assert!(ex.errors.is_empty(), "{:?}", ex.errors);
    assert!(ex.dynamic.is_empty(), "{:?}", ex.dynamic);
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::workspace_root().join("schemas/random.json")).unwrap(),
    )
    .unwrap();
    let mut d = Diff::default();
    compare(first_provider(&committed), first_provider(&ex.doc), &mut d);
    assert!(d.problems.is_empty(), "{:#?}", d.problems);
    assert!(d.compared > 50, "compared {}", d.compared);
    assert_eq!(
        ex.doc["terrane"]["extracted_from"],
        "@cdktf/provider-random@12.0.1"
    );
    assert_eq!(ex.doc["terrane"]["source"], "hashicorp/random");
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn aws_agrees_with_the_real_schema() {
    let (Some(tgz), Some(real)) = (
        cached("cdktf-provider-aws-20.1.0.tgz"),
        cached("aws-5.100.0-schema.json"),
    ) else {
        return;
    };
    let (work, dir) = unpacked(&tgz, "aws");
    let ex = extract(&dir, false, &|_, _| true).unwrap();
    assert!(
        ex.errors.is_empty(),
        "{} errors: {:?}",
        ex.errors.len(),
        &ex.errors[..ex.errors.len().min(10)]
    );
    assert!(ex.dynamic.is_empty(), "{:?}", ex.dynamic);
    let real: Value = serde_json::from_str(&std::fs::read_to_string(real).unwrap()).unwrap();
    let mut d = Diff::default();
    compare(first_provider(&real), first_provider(&ex.doc), &mut d);
    println!(
        "aws: {} fields compared, {} known package limits, {} problems",
        d.compared,
        d.known,
        d.problems.len()
    );
    assert!(
        d.problems.is_empty(),
        "{} problems: {:#?}",
        d.problems.len(),
        &d.problems[..d.problems.len().min(40)]
    );
    assert!(d.compared > 30_000, "compared {}", d.compared);
    std::fs::remove_dir_all(work).unwrap();
}
