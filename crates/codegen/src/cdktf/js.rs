//! The generated JavaScript of one module of a cdktf prebuilt provider package
//! (`lib/<module>/index.js` and `index-structs/*.js`): the snake_case keys with
//! block/attribute, collection kind and storage class of every `synthesizeHclAttributes()`
//! and `<struct>ToHclTerraform()`, and the classes' initializers, getters and
//! generator comments (`// x - computed: a, optional: b, required: c`).
//!
//! The generator's output is regular, so line-anchored regular expressions suffice; every
//! key of an attribute list must be understood, or the module is an error (a new
//! generator format is caught rather than silently dropping arguments).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::ExtractError;

fn re(s: &str) -> Regex {
    match Regex::new(s) {
        Ok(r) => r,
        Err(e) => panic!("extractor regex {s}: {e}"),
    }
}

static FUNC: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?ms)^function (\w+)\(struct\) \{\n(.*?)^\}\n"));
static CLASS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?ms)^class (\w+) extends ([\w.]+) \{\n(.*?)^\}\n"));
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r#"(?m)^\s+(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n"#,
        r#"\s+storageClassType: "(\w+)",\n\s+\},?\n"#
    ))
});
static ENTRY_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s+(\w+): \{\n\s+value:"));
const COMMENT: &str =
    r"// (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n\s+";
static INIT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"(?:{COMMENT})?this\._(\w+) = new ([\w.]+)\(this, ["'](\w+)["'](?:, (true|false))?\);"#
    ))
});
static GETTER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:{COMMENT})?get (\w+)\(\) \{{\n\s+return (.*?);\n\s+\}}"
    ))
});
static RESOURCE_TYPE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?m)^(\w+)\.tfResourceType = "(\w+)";"#));
static SYNTH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?s)synthesizeHclAttributes\(\) \{\n\s+const attrs = \{(?:\};|\n(.*?)\n\s+\};)\n")
});
static CONFIG_ASSIGN: LazyLock<Regex> =
    LazyLock::new(|| re(r"this\._(\w+)(?:\.internalValue)? = config\.(\w+);"));
static ATTRS: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)const attrs = \{\n(.*?)\n\s+\};\n"));
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| re(r"get\(\w+\) \{\n\s+return new ([\w.]+)\("));
static MEMBER: LazyLock<Regex> = LazyLock::new(|| re(r"(?:struct\.|this\._)(\w+)"));
static FUNCTION_REF: LazyLock<Regex> =
    LazyLock::new(|| re(r"(^|[^\w.])(?:\w+_1\.)?(\w+ToHclTerraform)\b"));
static REPEATED: LazyLock<Regex> =
    LazyLock::new(|| re(r"listMapperHcl\((?:\(0, )?[\w.]+\)?, (true|false)\)"));

/// One key of a `synthesizeHclAttributes()` / `<struct>ToHclTerraform()` result.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) is_block: bool,
    /// simple, list, set, map, struct
    pub(crate) kind: String,
    /// string, stringList, ..., or a generated class name
    pub(crate) storage: String,
}

impl Entry {
    /// The camelCase jsii property the value is read from.
    pub(crate) fn member(&self) -> Result<String, ExtractError> {
        MEMBER
            .captures_iter(&self.value)
            .last()
            .map(|c| c[1].to_string())
            .ok_or_else(|| {
                ExtractError(format!(
                    "cannot find property in value of {}: {}",
                    self.name, self.value
                ))
            })
    }

    /// The generated `xToHclTerraform` function of a nested struct, if any.
    pub(crate) fn function(&self) -> Option<String> {
        FUNCTION_REF
            .captures_iter(&self.value)
            .last()
            .map(|c| c[2].to_string())
    }

    /// `listMapperHcl(fn, true)`: a repeated block; `false`: a list attribute of
    /// objects; no mapper: a single-item block.
    pub(crate) fn repeated(&self) -> Option<bool> {
        REPEATED.captures(&self.value).map(|c| &c[1] == "true")
    }
}

/// A generator comment's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Comment {
    pub(crate) computed: bool,
    pub(crate) optional: bool,
    pub(crate) required: bool,
}

/// Where a commented field is read: a getter or an initializer, by camelCase name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    Getter(String),
    Init,
}

/// One generated class (resource, OutputReference, ComplexList...).
#[derive(Debug, Clone, Default)]
pub(crate) struct JsClass {
    pub(crate) base: String,
    /// snake name -> (class, wraps a set)
    pub(crate) inits: BTreeMap<String, (String, Option<bool>)>,
    /// camel name -> return expression
    pub(crate) getters: BTreeMap<String, String>,
    /// snake name -> flags and where they were read
    pub(crate) comments: BTreeMap<String, (Comment, Source)>,
    /// `synthesizeHclAttributes()` entries, for resources and providers
    pub(crate) entries: Option<Vec<Entry>>,
    /// For ComplexList / ComplexMap: the OutputReference class of an item.
    pub(crate) list_item: Option<String>,
    /// private field -> config property
    pub(crate) config_members: BTreeMap<String, String>,
}

/// All generated JavaScript of one `lib/<module>/` folder.
#[derive(Debug, Default)]
pub(crate) struct Module {
    pub(crate) functions: BTreeMap<String, Vec<Entry>>,
    pub(crate) classes: BTreeMap<String, JsClass>,
    pub(crate) resource_types: BTreeMap<String, String>,
}

pub(crate) fn strip_ns(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

impl Module {
    /// Reads every `.js` file under the folder.
    pub(crate) fn read(folder: &Path) -> Result<Module, ExtractError> {
        let mut files = Vec::new();
        list_js(folder, &mut files);
        if files.is_empty() {
            return Err(ExtractError(format!(
                "no .js files in {}",
                folder.display()
            )));
        }
        files.sort();
        let mut m = Module::default();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ExtractError(format!("{}: {e}", path.display())))?;
            let code = text.split("\n//# sourceMappingURL=").next().unwrap_or("");
            m.parse(&format!("{code}\n"))?;
        }
        Ok(m)
    }

    fn parse(&mut self, text: &str) -> Result<(), ExtractError> {
        for c in FUNC.captures_iter(text) {
            if !c[1].ends_with("ToHclTerraform") {
                continue;
            }
            let body = ATTRS
                .captures(&c[2])
                .map(|a| format!("{}\n", &a[1]))
                .unwrap_or_default();
            self.functions.insert(c[1].to_string(), entries(&body)?);
        }
        for c in CLASS.captures_iter(text) {
            let cls = class(&c[2], &c[3])?;
            self.classes.insert(c[1].to_string(), cls);
        }
        for c in RESOURCE_TYPE.captures_iter(text) {
            self.resource_types
                .insert(c[1].to_string(), c[2].to_string());
        }
        Ok(())
    }
}

fn flags(c: &regex::Captures<'_>, first: usize) -> Comment {
    let b = |i: usize| c.get(first + i).is_some_and(|m| m.as_str() == "true");
    Comment {
        computed: b(0),
        optional: b(1),
        required: b(2),
    }
}

fn class(base: &str, body: &str) -> Result<JsClass, ExtractError> {
    let mut cls = JsClass {
        base: base.to_string(),
        ..JsClass::default()
    };
    for c in INIT.captures_iter(body) {
        let snake = c[7].to_string();
        let wraps_set = c.get(8).map(|m| m.as_str() == "true");
        cls.inits
            .insert(snake.clone(), (strip_ns(&c[6]).to_string(), wraps_set));
        if let Some(commented) = c.get(1) {
            if commented.as_str() != snake {
                return Err(ExtractError(format!(
                    "comment {} precedes init of {snake}",
                    commented.as_str()
                )));
            }
            cls.comments.insert(snake, (flags(&c, 2), Source::Init));
        }
    }
    for c in GETTER.captures_iter(body) {
        let camel = c[5].to_string();
        cls.getters.insert(camel.clone(), c[6].to_string());
        if let Some(snake) = c.get(1) {
            cls.comments.insert(
                snake.as_str().to_string(),
                (flags(&c, 2), Source::Getter(camel)),
            );
        }
    }
    if let Some(s) = SYNTH.captures(body) {
        let list = s
            .get(1)
            .map(|m| format!("{}\n", m.as_str()))
            .unwrap_or_default();
        cls.entries = Some(entries(&list)?);
    }
    cls.config_members = CONFIG_ASSIGN
        .captures_iter(body)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    cls.list_item = LIST_ITEM
        .captures(body)
        .map(|c| strip_ns(&c[1]).to_string());
    Ok(cls)
}

/// The entries of an attribute list; every key must be understood.
fn entries(text: &str) -> Result<Vec<Entry>, ExtractError> {
    let out: Vec<Entry> = ENTRY
        .captures_iter(text)
        .map(|c| Entry {
            name: c[1].to_string(),
            value: c[2].to_string(),
            is_block: &c[3] == "true",
            kind: c[4].to_string(),
            storage: c[5].to_string(),
        })
        .collect();
    let keys: Vec<String> = ENTRY_KEY
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect();
    if keys.len() != out.len() {
        let missing: Vec<&String> = keys
            .iter()
            .filter(|k| !out.iter().any(|e| &e.name == *k))
            .collect();
        return Err(ExtractError(format!(
            "unparsed HCL attribute entries: {missing:?}"
        )));
    }
    Ok(out)
}

fn list_js(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            list_js(&p, out);
        } else if p.extension().is_some_and(|x| x == "js") {
            out.push(p);
        }
    }
}
