//! Property tests (proptest) of the writer and of every text parser in core: no input
//! makes them panic, and what is written reads back as what was meant.
//!
//! `cargo test` runs each property with proptest's default 256 cases; `.ci/fuzz.sh`
//! runs them longer (`PROPTEST_CASES`). cargo-fuzz needs a nightly toolchain and
//! libFuzzer; these run on stable inside the ordinary test harness, so CI and every
//! laptop run them with no extra tool.

use std::sync::Arc;

use proptest::prelude::*;

use crate::checks::is_valid_identifier;
use crate::checks::raw_refs::{scan_raw_refs, RawRef};
use crate::construct::Ipv4Cidr;
use crate::*;

/// Strings made mostly of the characters that need escaping somewhere: template
/// openers, JSON escapes, control characters and non-ASCII text.
fn tricky_string() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        '$', '%', '{', '}', '\\', '"', '\n', '\r', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'a', 'Z',
        '0', '.', ' ', 'é', '\u{2028}', '😀', '[', ']', '~',
    ]);
    prop_oneof![
        prop::collection::vec(chars, 0..24).prop_map(String::from_iter),
        any::<String>(),
    ]
}

/// How Terraform reads a JSON string as a template when it holds no
/// interpolation: `$${` and `%%{` are literal `${` and `%{`. `None` when the text
/// would interpolate (an unescaped `${` or `%{`).
fn read_literal_template(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("$${") {
            out.push_str("${");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("%%{") {
            out.push_str("%{");
            rest = r;
        } else if rest.starts_with("${") || rest.starts_with("%{") {
            return None;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Some(out)
}

/// Any output document without expressions, a few levels deep.
fn literal_tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        any::<i64>().prop_map(Tree::from),
        any::<u64>().prop_map(|u| Tree::Num(Number::from(u))),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Tree::from),
        tricky_string().prop_map(Tree::Str),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Tree::List),
            // Unique keys: a document with a key twice is not valid Terraform JSON.
            prop::collection::btree_map(tricky_string(), inner, 0..6).prop_map(Tree::object),
        ]
    })
}

/// The JSON written for `t`, read back through Terraform's template rule, equals `t`.
fn assert_reads_back(t: &Tree, json: &serde_json::Value) {
    match (t, json) {
        (Tree::Null, serde_json::Value::Null) => {}
        (Tree::Bool(a), serde_json::Value::Bool(b)) => assert_eq!(a, b),
        (Tree::Num(n), serde_json::Value::Number(j)) => match n {
            Number::Int(i) => assert_eq!(j.as_i64(), Some(*i), "{j}"),
            Number::UInt(u) => assert_eq!(j.as_u64(), Some(*u), "{j}"),
            Number::Float(f) => {
                let back = j.as_f64().unwrap_or(f64::NAN);
                // Written in Rust's shortest round-trip form; serde_json's default
                // float reader may be a few ulps off (terraform reads exactly). Counted
                // in ulps, not relative to the value: that works for subnormals too.
                let ulps = (back.to_bits() as i64).wrapping_sub(f.to_bits() as i64);
                assert!(
                    // -0 and 0 are the same number to terraform
                    back == *f
                        || (back.is_sign_negative() == f.is_sign_negative() && ulps.abs() <= 4),
                    "{f} read as {j}"
                );
            }
        },
        (Tree::Str(s), serde_json::Value::String(j)) => {
            assert_eq!(
                read_literal_template(j).as_deref(),
                Some(s.as_str()),
                "{j:?}"
            );
        }
        (Tree::List(items), serde_json::Value::Array(js)) => {
            assert_eq!(items.len(), js.len());
            for (a, b) in items.iter().zip(js) {
                assert_reads_back(a, b);
            }
        }
        (Tree::Object(entries), serde_json::Value::Object(m)) => {
            assert_eq!(entries.len(), m.len());
            for (k, v) in m {
                let key = read_literal_template(k).unwrap_or_else(|| panic!("key {k:?}"));
                let Some((_, t)) = entries.iter().find(|(e, _)| *e == key) else {
                    panic!("key {k:?} read as {key:?}, which was not written");
                };
                assert_reads_back(t, v);
            }
        }
        (t, j) => panic!("{t:?} written as {j}"),
    }
}

/// Pairs of a JSON object in document order (none merged).
fn object_pairs(json: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    match json {
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    }
}

proptest! {
    /// Any key and any value: the JSON parses and both read back as the literal.
    #[test]
    fn any_key_and_value_round_trip(key in tricky_string(), value in tricky_string()) {
        let json = Tree::object([(key.clone(), Tree::Str(value.clone()))]).to_json();
        let parsed: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{e}: {json}"));
        let (k, v) = object_pairs(&parsed).into_iter().next()
            .unwrap_or_else(|| panic!("no pair in {json}"));
        prop_assert_eq!(read_literal_template(&k), Some(key));
        prop_assert_eq!(v.as_str().and_then(read_literal_template), Some(value));
    }

    /// Any literal document is valid JSON that reads back as itself.
    #[test]
    fn any_document_is_valid_json_and_reads_back(t in literal_tree()) {
        let json = t.to_json();
        let parsed: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_reads_back(&t, &parsed);
    }

    /// Template escaping is undone exactly by Terraform's rule.
    #[test]
    fn escape_template_is_read_back(s in tricky_string()) {
        prop_assert_eq!(read_literal_template(&escape_template(&s)), Some(s));
    }
}

/// Any expression built through the typed API, a few levels deep.
fn expression() -> impl Strategy<Value = Expr<String>> {
    let leaf = prop_oneof![
        tricky_string().prop_map(|s| Expr::from_node(Node::Str(s))),
        "[a-z][a-z0-9_]{0,8}".prop_map(|v| Expr::raw(format!("var.{v}"))),
        any::<i64>().prop_map(|i| func::tostring(Value::<Number>::from(i))),
    ];
    leaf.prop_recursive(5, 64, 4, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| func::join(a, Expr::from_node(Node::List(vec![b.node_arc()])))),
            (inner.clone(), tricky_string()).prop_map(|(a, lit)| tmpl!("{}-{}", a, lit)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.equals(b).cast::<String>()),
            (inner.clone(), inner.clone(), tricky_string()).prop_map(|(a, b, k)| {
                Expr::from_node(Node::Object(vec![
                    (k, a.node_arc()),
                    ("b".into(), b.node_arc()),
                ]))
            }),
            inner.prop_map(|a| Expr::from_node(Node::Cond(
                Arc::new(Node::Raw("var.on".into())),
                a.node_arc(),
                Arc::new(Node::Null),
            ))),
        ]
    })
}

proptest! {
    /// Every rendered expression is valid HCL (parsed by hcl-rs, a maintained
    /// parser), and is written to JSON as one `${...}` string or a template.
    #[test]
    fn expressions_render_as_valid_hcl_and_json(e in expression()) {
        let hcl = e.to_hcl();
        let body = format!("a = {hcl}\n");
        if let Err(err) = hcl::parse(&body) {
            panic!("{err}\n{body}");
        }
        let json = Tree::Expr(e.node_arc()).to_json();
        let parsed: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|err| panic!("{err}: {json}"));
        prop_assert!(parsed.is_string(), "{}", json);
    }

    /// `tmpl!`'s runtime splitter and its compile-time placeholder count agree.
    #[test]
    fn template_placeholders_agree(fmt in "[{}a$%]{0,16}") {
        let n = count_placeholders(&fmt);
        let args = (0..n).map(|i| Part::Interp(Arc::new(Node::Raw(format!("var.v{i}"))))).collect();
        let e = build_template(&fmt, args);
        let Node::Template(parts) = e.node() else {
            prop_assert_eq!(n, 0);
            return Ok(());
        };
        let interps = parts.iter().filter(|p| matches!(p, Part::Interp(_))).count();
        prop_assert_eq!(interps, n, "{}", fmt);
    }

    /// The CIDR parser never panics, and what it accepts it writes back unchanged
    /// (strict: no leading zeros, no host bits).
    #[test]
    fn cidr_parser_accepts_only_canonical_text(s in "[0-9./]{0,20}|\\PC{0,20}") {
        if let Ok(c) = Ipv4Cidr::parse(&s) {
            prop_assert_eq!(c.to_string(), s);
        }
    }

    /// Every network, written canonically, parses back to itself.
    #[test]
    fn every_network_parses(addr in any::<u32>(), prefix in 0u8..=32) {
        let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
        let text = format!("{}/{prefix}", std::net::Ipv4Addr::from(addr & mask));
        let parsed = Ipv4Cidr::parse(&text).map(|c| c.to_string());
        prop_assert_eq!(parsed, Ok(text));
    }

    /// The identifier rule is Terraform's: a letter or underscore, then letters,
    /// digits, underscores and dashes.
    #[test]
    fn identifier_rule(s in "\\PC{0,12}|[A-Za-z_][A-Za-z0-9_-]{0,12}") {
        let expected = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        prop_assert_eq!(is_valid_identifier(&s), expected, "{:?}", s);
    }

    /// The raw-reference scanner never panics on any text, and finds a variable
    /// reference however it is surrounded.
    #[test]
    fn raw_reference_scanner(text in "\\PC{0,40}", name in "[a-z][a-z0-9_]{0,8}", pre in "[ (,+]{0,2}") {
        let _ = scan_raw_refs(&text);
        let refs = scan_raw_refs(&format!("{pre}var.{name}"));
        prop_assert!(refs.iter().any(|r| matches!(r, RawRef::Var(v) if *v == name)));
    }

    /// Provider sources and version constraints of any shape: a schema or none,
    /// never a panic; the schema only for the same major version.
    #[test]
    fn version_constraints_never_panic(source in "\\PC{0,20}|hashicorp/(aws|google|helm|random)", constraint in "\\PC{0,12}|[~>=< ]{0,3}[0-9]{1,3}(\\.[0-9]{1,3}){0,2}") {
        if let Some(schema) = schema::embedded::for_requirement(&source, &constraint) {
            let major = constraint.trim_start_matches(|c: char| !c.is_ascii_digit());
            let major = major.split('.').next().unwrap_or_default();
            let known = schema::embedded::all().into_iter().find(|k| std::ptr::eq(k.schema, schema));
            prop_assert!(known.is_some_and(|k| k.version.split('.').next() == Some(major)), "{} {}", source, constraint);
        }
    }

    /// Schema text of any shape is refused with an error, never a panic.
    #[test]
    fn schema_parser_never_panics(text in "\\PC{0,80}|\\{\"provider_schemas\":\\{\"[a-z/]{0,12}\":\\PC{0,40}") {
        let _ = schema::ProviderSchema::from_json(&text);
    }

    /// Override paths of any shape on any document: an error or a change, no panic.
    #[test]
    fn override_paths_never_panic(body in literal_tree(), path in "[a-z0-9.\\[\\]]{0,16}") {
        let mut app = App::new();
        let body = std::sync::Mutex::new(Some((body, path)));
        app.target("t", "", move |t| {
            let mut s = Stack::new("main");
            if let Some((b, p)) = body.lock().ok().and_then(|mut b| b.take()) {
                let thing = s.add("x", GenericResource::new("thing_x").arg("doc", b));
                s.add_override(&thing, &p, "v");
            }
            t.add_stack(s);
        });
        let _ = app.synth("t");
    }
}
