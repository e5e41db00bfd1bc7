//! One type's block from the package: every synthesized key (attribute or nested block,
//! required from the jsii assembly, nesting from the JavaScript), then the computed-only
//! attributes and blocks the resource class's getters reveal.

use serde_json::{json, Map, Value};

use super::js::{Comment, Entry, JsClass, Module, Source};
use super::types::{collection_type, getter_type, storage_type, struct_fqn};
use super::{ExtractError, Extractor};

/// Where a block is read: its module, its entries, its jsii struct, and the
/// OutputReference class holding its computed-only fields.
pub(crate) struct At<'m> {
    pub(crate) module: &'m Module,
    pub(crate) struct_fqn: String,
    pub(crate) reference: Option<&'m JsClass>,
    pub(crate) path: String,
}

fn err(path: &str, msg: impl std::fmt::Display) -> ExtractError {
    ExtractError(format!("{path}: {msg}"))
}

impl Extractor {
    /// The block JSON of a list of entries.
    pub(crate) fn block(
        &self,
        at: &At<'_>,
        entries: &[Entry],
        computed_optional: bool,
    ) -> Result<Value, ExtractError> {
        let props = self.props(&at.struct_fqn);
        let mut attributes = Map::new();
        let mut block_types = Map::new();
        for e in entries {
            let mut member = e.member()?;
            if let Some(r) = at.reference {
                // top level: the private field may be named differently from the config
                // property (`this._getPasswordData = config.fetchPasswordData`)
                if e.value.contains(&format!("this._{member}")) {
                    member = r.config_members.get(&member).cloned().unwrap_or(member);
                }
            }
            let path = format!("{}.{}", at.path, e.name);
            let prop = props.get(&member).ok_or_else(|| {
                err(
                    &path,
                    format!("no jsii property {member} in {}", at.struct_fqn),
                )
            })?;
            let required = !prop
                .get("optional")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let comment = at
                .reference
                .and_then(|r| r.comments.get(&e.name))
                .map(|c| c.0);
            let desc = description(prop, &e.name);
            let child = self.child_ref(at, &e.name);
            // Real blocks are never computed and never keyed by a map: the generator marks
            // object-typed attributes isBlock too, but its comment or kind gives them away.
            let as_attribute = (matches!(e.kind.as_str(), "list" | "set")
                && e.repeated() == Some(false))
                || e.kind == "map"
                || comment.is_some_and(|c| c.computed);
            if e.is_block && !as_attribute {
                let inner = self.nested(at, e, prop, child, &path, computed_optional)?;
                block_types.insert(e.name.clone(), block_type(inner, e, required, desc, &path)?);
                continue;
            }
            let typ = if e.is_block || e.function().is_some() {
                let inner = self.nested(at, e, prop, child, &path, computed_optional)?;
                match object_type(&inner, &path) {
                    Ok(obj) if e.kind == "struct" => obj,
                    Ok(obj) => json!([e.kind, obj]),
                    // a plugin-framework nested attribute holding nested attributes: kept,
                    // typed dynamic (not checked inside), and reported
                    Err(x) => {
                        self.dynamic.borrow_mut().push(x.0);
                        json!("dynamic")
                    }
                }
            } else {
                storage_type(&e.storage, &e.kind).map_err(|x| err(&path, x.0))?
            };
            let mut attr = Map::new();
            attr.insert("type".into(), typ);
            if let Some(d) = desc {
                attr.insert("description".into(), json!(d));
            }
            attr.insert("description_kind".into(), json!("plain"));
            flags(&mut attr, comment, required, computed_optional, &path)?;
            attributes.insert(e.name.clone(), Value::Object(attr));
        }
        if let Some(r) = at.reference {
            self.computed_only(at.module, r, &at.path, &mut attributes, &mut block_types)?;
        }
        Ok(block_json(attributes, block_types))
    }

    fn nested(
        &self,
        at: &At<'_>,
        e: &Entry,
        prop: &Value,
        child: Option<&JsClass>,
        path: &str,
        computed_optional: bool,
    ) -> Result<Value, ExtractError> {
        let fqn =
            struct_fqn(prop.get("type").unwrap_or(&Value::Null)).map_err(|x| err(path, x.0))?;
        let f = e
            .function()
            .ok_or_else(|| err(path, "no ToHclTerraform function"))?;
        let entries = at
            .module
            .functions
            .get(&f)
            .ok_or_else(|| err(path, format!("function {f} not found")))?;
        let inner = At {
            module: at.module,
            struct_fqn: fqn,
            reference: child,
            path: path.to_string(),
        };
        self.block(&inner, entries, computed_optional)
    }

    /// The OutputReference class behind a nested field, to find its computed-only attributes.
    fn child_ref<'m>(&self, at: &At<'m>, snake: &str) -> Option<&'m JsClass> {
        let (name, _) = at.reference?.inits.get(snake)?;
        let cls = at.module.classes.get(name)?;
        match &cls.list_item {
            Some(item) => at.module.classes.get(item),
            None => Some(cls),
        }
    }

    /// Computed-only attributes and blocks: fields with a generator comment that no
    /// synthesized key covers.
    fn computed_only(
        &self,
        m: &Module,
        r: &JsClass,
        path: &str,
        attributes: &mut Map<String, Value>,
        block_types: &mut Map<String, Value>,
    ) -> Result<(), ExtractError> {
        for (snake, (c, _)) in &r.comments {
            if attributes.contains_key(snake) || block_types.contains_key(snake) {
                continue;
            }
            let p = format!("{path}.{snake}");
            if !c.computed && !c.optional && !c.required {
                // a nested block holding only computed attributes (nothing to synthesize)
                block_types.insert(snake.clone(), computed_block(m, r, snake, &p)?);
                continue;
            }
            if !(c.computed && !c.optional && !c.required) {
                return Err(err(&p, "settable field missing from HCL entries"));
            }
            attributes.insert(
                snake.clone(),
                json!({"type": computed_type(m, r, snake, &p)?, "description_kind": "plain", "computed": true}),
            );
        }
        Ok(())
    }
}

fn flags(
    attr: &mut Map<String, Value>,
    comment: Option<Comment>,
    required: bool,
    computed_optional: bool,
    path: &str,
) -> Result<(), ExtractError> {
    match comment {
        // generator comments are authoritative where present
        Some(c) => {
            if c.required != required {
                return Err(err(path, "jsii and comment disagree on required"));
            }
            for (set, key) in [
                (c.required, "required"),
                (c.optional, "optional"),
                (c.computed, "computed"),
            ] {
                if set {
                    attr.insert(key.into(), json!(true));
                }
            }
        }
        None if required => {
            attr.insert("required".into(), json!(true));
        }
        None => {
            attr.insert("optional".into(), json!(true));
            if computed_optional {
                attr.insert("computed".into(), json!(true));
            }
        }
    }
    Ok(())
}

fn block_type(
    inner: Value,
    e: &Entry,
    required: bool,
    desc: Option<String>,
    path: &str,
) -> Result<Value, ExtractError> {
    let mut inner = inner;
    if let (Some(d), Some(o)) = (desc, inner.as_object_mut()) {
        o.insert("description".into(), json!(d));
    }
    let mut bt = Map::new();
    bt.insert("block".into(), inner);
    match e.kind.as_str() {
        "struct" => {
            bt.insert("nesting_mode".into(), json!("single"));
        }
        "list" | "set" => {
            bt.insert("nesting_mode".into(), json!(e.kind));
            if e.repeated().is_none() {
                bt.insert("max_items".into(), json!(1));
            }
            if required {
                bt.insert("min_items".into(), json!(1));
            }
        }
        other => return Err(err(path, format!("unknown block kind {other}"))),
    }
    Ok(Value::Object(bt))
}

fn object_type(block: &Value, path: &str) -> Result<Value, ExtractError> {
    if block.get("block_types").is_some() {
        return Err(err(path, "block inside an object-typed attribute"));
    }
    let mut fields = Map::new();
    for (k, v) in block
        .get("attributes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        fields.insert(k.clone(), v.get("type").cloned().unwrap_or(Value::Null));
    }
    Ok(json!(["object", fields]))
}

fn block_json(attributes: Map<String, Value>, block_types: Map<String, Value>) -> Value {
    let mut out = Map::new();
    if !attributes.is_empty() {
        out.insert("attributes".into(), Value::Object(attributes));
    }
    if !block_types.is_empty() {
        out.insert("block_types".into(), Value::Object(block_types));
    }
    out.insert("description_kind".into(), json!("plain"));
    Value::Object(out)
}

fn computed_block(m: &Module, r: &JsClass, snake: &str, path: &str) -> Result<Value, ExtractError> {
    let (cname, wraps_set) = r
        .inits
        .get(snake)
        .ok_or_else(|| err(path, "no initializer"))?;
    let mut cls = class(m, cname, path)?;
    let mut mode = "single";
    if cls.base == "cdktf.ComplexList" {
        mode = if *wraps_set == Some(true) {
            "set"
        } else {
            "list"
        };
        cls = item_class(m, cls, path)?;
    } else if cls.base != "cdktf.ComplexObject" {
        return Err(err(
            path,
            format!("unexpected class {cname} for a computed block"),
        ));
    }
    let mut attributes = Map::new();
    let mut block_types = Map::new();
    for (name, (c, _)) in &cls.comments {
        let p = format!("{path}.{name}");
        if !c.computed && !c.optional && !c.required {
            block_types.insert(name.clone(), computed_block(m, cls, name, &p)?);
        } else {
            attributes.insert(
                name.clone(),
                json!({"type": computed_type(m, cls, name, &p)?, "description_kind": "plain", "computed": true}),
            );
        }
    }
    Ok(json!({"block": block_json(attributes, block_types), "nesting_mode": mode}))
}

fn class<'m>(m: &'m Module, name: &str, path: &str) -> Result<&'m JsClass, ExtractError> {
    m.classes
        .get(name)
        .ok_or_else(|| err(path, format!("unknown class {name}")))
}

fn item_class<'m>(m: &'m Module, list: &JsClass, path: &str) -> Result<&'m JsClass, ExtractError> {
    let item = list
        .list_item
        .as_deref()
        .ok_or_else(|| err(path, "collection without item class"))?;
    class(m, item, path)
}

fn class_object(m: &Module, cls: &JsClass, path: &str) -> Result<Value, ExtractError> {
    let mut fields = Map::new();
    for snake in cls.comments.keys() {
        fields.insert(
            snake.clone(),
            computed_type(m, cls, snake, &format!("{path}.{snake}"))?,
        );
    }
    Ok(json!(["object", fields]))
}

/// The type of a computed-only field, from its getter body or its initializer's class.
fn computed_type(
    m: &Module,
    cls: &JsClass,
    snake: &str,
    path: &str,
) -> Result<Value, ExtractError> {
    if let Some((_, Source::Getter(camel))) = cls.comments.get(snake) {
        let expr = cls.getters.get(camel).map(String::as_str).unwrap_or("");
        if let Some(t) = getter_read(expr, snake, path)? {
            return Ok(t);
        }
    }
    let (cname, wraps_set) = cls
        .inits
        .get(snake)
        .ok_or_else(|| err(path, "no initializer"))?;
    let set = *wraps_set == Some(true);
    if let Some(mut t) = collection_type(cname) {
        if set && t[0] == "list" {
            t[0] = json!("set");
        }
        return Ok(t);
    }
    let target = class(m, cname, path)?;
    match target.base.as_str() {
        "cdktf.ComplexList" => {
            let item = class_object(m, item_class(m, target, path)?, path)?;
            Ok(json!([if set { "set" } else { "list" }, item]))
        }
        "cdktf.ComplexMap" => Ok(json!([
            "map",
            class_object(m, item_class(m, target, path)?, path)?
        ])),
        "cdktf.ComplexObject" => class_object(m, target, path),
        other => Err(err(path, format!("unknown base {other} of {cname}"))),
    }
}

/// A getter reading an attribute helper (`this.getStringAttribute('x')`, possibly in
/// `cdktf.Token.asX(...)` or `cdktf.Fn.tolist(...)` for sets); `None` when it returns a
/// private field (typed by its initializer).
fn getter_read(expr: &str, snake: &str, path: &str) -> Result<Option<Value>, ExtractError> {
    let mut e = expr;
    if let Some(rest) = e.strip_prefix("cdktf.Token.as") {
        if let Some(open) = rest.find('(') {
            e = rest[open + 1..].strip_suffix(')').unwrap_or(e);
        }
    }
    let tolist = e.starts_with("cdktf.Fn.tolist(");
    if tolist {
        e = e["cdktf.Fn.tolist(".len()..].strip_suffix(')').unwrap_or(e);
    }
    if let Some(field) = e.strip_prefix("this._") {
        if field.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Ok(None);
        }
    }
    let call = e.strip_prefix("this.").and_then(|c| c.split_once("('"));
    let Some((helper, arg)) = call else {
        return Err(err(path, format!("unknown getter body {expr}")));
    };
    if arg.strip_suffix("')") != Some(snake) {
        return Err(err(path, format!("getter reads {arg}")));
    }
    let t = getter_type(helper).ok_or_else(|| err(path, format!("unknown getter {helper}")))?;
    if tolist {
        if t[0] != "list" {
            return Err(err(path, format!("tolist of {t}")));
        }
        return Ok(Some(json!(["set", t[1]])));
    }
    Ok(Some(t))
}

/// The jsii docs of a property, without cdktf's boilerplate.
fn description(prop: &Value, snake: &str) -> Option<String> {
    let docs = prop.get("docs")?;
    let summary = docs.get("summary").and_then(Value::as_str).unwrap_or("");
    let remarks = docs.get("remarks").and_then(Value::as_str).unwrap_or("");
    let mut text = match (summary.is_empty(), remarks.is_empty()) {
        (_, true) => summary.to_string(),
        (true, false) => remarks.to_string(),
        (false, false) => format!("{summary} {remarks}"),
    };
    if let Some(i) = text.find("Please be aware that the id field is automatically added") {
        text.truncate(i);
    }
    while let Some(i) = text.find("Docs at Terraform Registry: {@link ") {
        let end = text[i..].find('}').map(|j| i + j + 1).unwrap_or(text.len());
        let end = if text[end..].starts_with('.') {
            end + 1
        } else {
            end
        };
        text.replace_range(i..end, "");
    }
    let text = text.trim().to_string();
    (!text.is_empty() && text != format!("{snake} block.")).then_some(text)
}
