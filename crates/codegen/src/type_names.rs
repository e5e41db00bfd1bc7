//! The Rust names of generated types, and the check that no two of a service collide.

use std::collections::BTreeMap;

use crate::names::camel;
use crate::rust_model::TypeFile;

/// Names the generated code uses unqualified: a type may not take them.
const USED_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Value",
    "Expr",
    "List",
    "Map",
    "Set",
    "Number",
    "Dynamic",
    "Tree",
    "Handle",
    "RefBase",
    "RequiredProvider",
    "ToTree",
    "BTreeMap",
    "ListExpr",
    "MapExpr",
    "ObjectExpr",
    "SetExpr",
    "FromExpr",
    "Self",
];

/// The struct name of a type (`random_password` -> `Password`; `random_string`, which
/// would shadow `String`, -> `StringResource`, as cdktf names it).
pub(crate) fn type_name(kind: &str, short: &str) -> String {
    let name = format!("{}{}", type_prefix(kind), camel(short));
    if USED_NAMES.contains(&name.as_str()) {
        format!("{name}Resource")
    } else {
        name
    }
}

/// The prefix of a generated type name by kind (`DataAmi`, `EphemeralKmsSecrets`).
fn type_prefix(kind: &str) -> &'static str {
    match kind {
        "data" => "Data",
        "ephemeral" => "Ephemeral",
        _ => "",
    }
}

/// Fails when a generated name (struct, its `Ref`, its args) is taken twice in a service.
pub(crate) fn check_names(
    seen: &mut BTreeMap<(String, String), String>,
    svc: &str,
    tf_type: &str,
    tf: &TypeFile,
) -> Result<(), String> {
    for s in std::iter::once(&tf.root).chain(&tf.nested) {
        for n in [s.name.clone(), format!("{}Ref", s.name)]
            .into_iter()
            .chain(s.args_struct.clone())
        {
            if let Some(prev) = seen.insert((svc.to_string(), n.clone()), tf_type.to_string()) {
                return Err(format!(
                    "name collision in {svc}: {n} ({prev} and {tf_type})"
                ));
            }
        }
    }
    Ok(())
}
