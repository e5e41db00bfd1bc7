//! Completes a struct of the Rust model: its required parameters, args struct and
//! the minimal and maximal values the generated tests build.

use crate::rust_model::{BlockField, Field, Param, StructDef};

/// Completes a struct: required parameters, args struct, test values.
pub(crate) fn finish(
    name: &str,
    kind: &'static str,
    docs: Vec<String>,
    fields: Vec<Field>,
    blocks: Vec<BlockField>,
) -> StructDef {
    let mut params = Vec::new();
    if kind != "marker" {
        for f in fields.iter().filter(|f| f.required) {
            params.push(Param {
                ident: f.ident.clone(),
                ty: format!("Value<{}>", f.value_ty),
                param_ty: format!("impl Into<Value<{}>>", f.value_ty),
                store: format!("{}.into()", f.ident),
                is_block: false,
                summary: f.summary.clone(),
                repeated: false,
                docs: f.docs.clone(),
                sample: f.sample.clone(),
            });
        }
        for b in blocks.iter().filter(|b| b.required) {
            let repeated = b.mode != "one";
            params.push(Param {
                ident: b.ident.clone(),
                ty: b.struct_name.clone(),
                param_ty: b.struct_name.clone(),
                store: if repeated {
                    format!("vec![{}]", b.ident)
                } else {
                    b.ident.clone()
                },
                is_block: true,
                summary: b.docs.last().cloned().unwrap_or_default(),
                repeated,
                docs: {
                    let mut d = b.docs.clone();
                    if repeated {
                        d.push("The first block; add more with the setter.".into());
                    }
                    d
                },
                sample: String::new(),
            });
        }
    }
    let args_struct = if params.len() > 2 {
        Some(format!("{name}Args"))
    } else {
        None
    };
    let has_args = fields.iter().any(|f| f.settable) || !blocks.is_empty();
    StructDef {
        has_args,
        write_nulls: false,
        name: name.to_string(),
        kind,
        docs,
        fields,
        blocks,
        params,
        args_struct,
        minimal: String::new(),
        maximal: String::new(),
    }
    .with_object_samples()
}

impl StructDef {
    fn with_object_samples(mut self) -> Self {
        if self.kind == "object" || self.kind == "marker" {
            let lookup = |_: &str, _: bool| String::new();
            self.minimal = self.minimal_template(&lookup);
            self.maximal = self.maximal_template(&lookup);
        }
        self
    }

    fn ctor(&self, lookup: &dyn Fn(&str, bool) -> String, max: bool) -> String {
        let sample = |p: &Param| {
            if p.is_block {
                lookup(&p.ty, max)
            } else {
                p.sample.clone()
            }
        };
        match &self.args_struct {
            Some(a) => {
                let fields: Vec<String> = self
                    .params
                    .iter()
                    .map(|p| {
                        if p.is_block {
                            format!("{}: {}", p.ident, sample(p))
                        } else {
                            format!("{}: ({}).into()", p.ident, sample(p))
                        }
                    })
                    .collect();
                format!("{}::new({a} {{ {} }})", self.name, fields.join(", "))
            }
            None => {
                let args: Vec<String> = self.params.iter().map(sample).collect();
                format!("{}::new({})", self.name, args.join(", "))
            }
        }
    }

    pub(crate) fn minimal_template(&self, lookup: &dyn Fn(&str, bool) -> String) -> String {
        if self.kind == "marker" {
            return String::new();
        }
        let mut s = self.ctor(lookup, false);
        // the constructor takes one of a required repeated block; add the rest
        for b in self.blocks.iter().filter(|b| b.required && b.mode != "one") {
            for _ in 1..b.min_items {
                s.push_str(&format!(".{}({})", b.ident, lookup(&b.struct_name, false)));
            }
        }
        s
    }

    pub(crate) fn maximal_template(&self, lookup: &dyn Fn(&str, bool) -> String) -> String {
        if self.kind == "marker" {
            return String::new();
        }
        let mut s = self.ctor(lookup, true);
        for f in self.fields.iter().filter(|f| f.settable && !f.required) {
            s.push_str(&format!(".{}({})", f.ident, f.sample));
        }
        for b in self
            .blocks
            .iter()
            .filter(|b| !(b.required && b.mode == "one"))
        {
            let inner = lookup(&b.struct_name, true);
            if b.mode == "map" {
                s.push_str(&format!(".{}(\"k\", {inner})", b.ident));
            } else {
                s.push_str(&format!(".{}({inner})", b.ident));
            }
        }
        s
    }
}
