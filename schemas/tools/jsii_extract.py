#!/usr/bin/env python3
"""Rebuild a `terraform providers schema -json` document from a cdktf prebuilt provider package.

The package (unpacked `npm pack` output) holds a `.jsii` assembly (argument names, optional flags,
docs, nested struct types) and generated JavaScript under `lib/<module>/` (snake_case keys, block vs
attribute, list/set/map, computed-only getters). See ../README.md and /work/shared/SCHEMAS.md for
what each source can and cannot tell.

Usage: jsii_extract.py PACKAGE_DIR OUT.json [--no-optional-computed]
(writes every type of the package, untrimmed; tools/refresh_extracted.py extracts, trims and applies
overrides in one go)
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# JavaScript parsing: the generated code is regular, so line-anchored regular expressions suffice.

FUNC_RE = re.compile(r"^function (\w+)\(struct\) \{\n(.*?)^\}\n", re.M | re.S)
CLASS_RE = re.compile(r"^class (\w+) extends ([\w.]+) \{\n(.*?)^\}\n", re.M | re.S)
ENTRY_RE = re.compile(
    r"^\s+(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: \"(\w+)\",\n"
    r"\s+storageClassType: \"(\w+)\",\n\s+\},?\n",
    re.M,
)
COMMENT = r"// (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n\s+"
INIT_RE = re.compile(
    r"(?:" + COMMENT + r")?this\._(\w+) = new ([\w.]+)\(this, [\"'](\w+)[\"'](?:, (true|false))?\);"
)
GETTER_RE = re.compile(r"(?:" + COMMENT + r")?get (\w+)\(\) \{\n\s+return (.*?);\n\s+\}")
RESOURCE_TYPE_RE = re.compile(r"^(\w+)\.tfResourceType = \"(\w+)\";", re.M)
SYNTH_RE = re.compile(r"synthesizeHclAttributes\(\) \{\n\s+const attrs = \{(?:\};|\n(.*?)\n\s+\};)\n", re.S)
CONFIG_ASSIGN_RE = re.compile(r"this\._(\w+)(?:\.internalValue)? = config\.(\w+);")
ATTRS_RE = re.compile(r"const attrs = \{\n(.*?)\n\s+\};\n", re.S)


class ExtractError(Exception):
    pass


@dataclass
class Entry:
    """One key of a `synthesizeHclAttributes()` / `<struct>ToHclTerraform()` result."""

    name: str
    value: str
    is_block: bool
    kind: str  # simple, list, set, map, struct
    storage: str  # string, stringList, ..., or a generated class name

    @property
    def member(self) -> str:
        """The camelCase jsii property the value is read from."""
        m = re.findall(r"(?:struct\.|this\._)(\w+)", self.value)
        if not m:
            raise ExtractError(f"cannot find property in value of {self.name}: {self.value}")
        return m[-1]

    @property
    def function(self) -> str | None:
        """The generated `xToHclTerraform` function of a nested struct, if any."""
        m = re.findall(r"(?<![\w.])(?:\w+_1\.)?(\w+ToHclTerraform)\b", self.value)
        return m[-1] if m else None

    @property
    def repeated(self) -> bool | None:
        m = re.search(r"listMapperHcl\((?:\(0, )?[\w.]+\)?, (true|false)\)", self.value)
        return None if m is None else m.group(1) == "true"


@dataclass
class Comment:
    computed: bool
    optional: bool
    required: bool


@dataclass
class JsClass:
    name: str
    base: str
    inits: dict[str, tuple[str, str, bool | None]] = field(default_factory=dict)  # snake -> (class, member, wraps_set)
    getters: dict[str, str] = field(default_factory=dict)  # camel -> return expression
    comments: dict[str, Comment] = field(default_factory=dict)  # snake -> flags
    comment_source: dict[str, tuple[str, str]] = field(default_factory=dict)  # snake -> ("getter"|"init", camel)
    entries: list[Entry] | None = None  # synthesizeHclAttributes, for resources
    list_item: str | None = None  # for ComplexList / ComplexMap: the OutputReference it yields
    config_members: dict[str, str] = field(default_factory=dict)  # private field -> config property


def strip_ns(name: str) -> str:
    return name.rsplit(".", 1)[-1]


class Module:
    """All generated JavaScript of one `lib/<module>/` folder (index.js and index-structs/*.js)."""

    def __init__(self, folder: str):
        self.functions: dict[str, list[Entry]] = {}
        self.classes: dict[str, JsClass] = {}
        self.resource_types: dict[str, str] = {}
        files = []
        for dirpath, _dirs, names in os.walk(folder):
            files += [os.path.join(dirpath, n) for n in names if n.endswith(".js")]
        if not files:
            raise ExtractError(f"no .js files in {folder}")
        for path in sorted(files):
            with open(path, encoding="utf-8") as f:
                text = f.read().split("\n//# sourceMappingURL=", 1)[0] + "\n"
            self._parse(text)

    def _parse(self, text: str) -> None:
        for m in FUNC_RE.finditer(text):
            name, body = m.group(1), m.group(2)
            if not name.endswith("ToHclTerraform"):
                continue
            am = ATTRS_RE.search(body)
            self.functions[name] = parse_entries(am.group(1) + "\n" if am else "")
        for m in CLASS_RE.finditer(text):
            cls = JsClass(m.group(1), m.group(2))
            body = m.group(3)
            for im in INIT_RE.finditer(body):
                snake = im.group(7)
                cls.inits[snake] = (strip_ns(im.group(6)), im.group(5), None if im.group(8) is None else im.group(8) == "true")
                if im.group(1):
                    if im.group(1) != snake:
                        raise ExtractError(f"{cls.name}: comment {im.group(1)} precedes init of {snake}")
                    cls.comments[snake] = Comment(*(im.group(i) == "true" for i in (2, 3, 4)))
                    cls.comment_source[snake] = ("init", im.group(5))
            for gm in GETTER_RE.finditer(body):
                camel, expr = gm.group(5), gm.group(6)
                cls.getters[camel] = expr
                if gm.group(1):
                    cls.comments[gm.group(1)] = Comment(*(gm.group(i) == "true" for i in (2, 3, 4)))
                    cls.comment_source[gm.group(1)] = ("getter", camel)
            sm = SYNTH_RE.search(body)
            if sm:
                cls.entries = parse_entries((sm.group(1) or "") + "\n")
            cls.config_members = {a: b for a, b in CONFIG_ASSIGN_RE.findall(body)}
            lm = re.search(r"get\(\w+\) \{\n\s+return new ([\w.]+)\(", body)
            if lm:
                cls.list_item = strip_ns(lm.group(1))
            self.classes[cls.name] = cls
        for m in RESOURCE_TYPE_RE.finditer(text):
            self.resource_types[m.group(1)] = m.group(2)


def parse_entries(text: str) -> list[Entry]:
    out = []
    for m in ENTRY_RE.finditer(text):
        out.append(Entry(m.group(1), m.group(2), m.group(3) == "true", m.group(4), m.group(5)))
    # Every key must have been understood: count keys at the entry indentation level.
    keys = re.findall(r"^\s+(\w+): \{\n\s+value:", text, re.M)
    if len(keys) != len(out):
        missing = sorted(set(keys) - {e.name for e in out})
        raise ExtractError(f"unparsed HCL attribute entries: {missing}")
    return out


# ---------------------------------------------------------------------------------------------
# Types

PRIMITIVES = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic"}
GETTER_TYPES = {
    "getStringAttribute": "string",
    "getNumberAttribute": "number",
    "getBooleanAttribute": "bool",
    "getListAttribute": ["list", "string"],
    "getNumberListAttribute": ["list", "number"],
    "getBooleanListAttribute": ["list", "bool"],
    "getStringMapAttribute": ["map", "string"],
    "getNumberMapAttribute": ["map", "number"],
    "getBooleanMapAttribute": ["map", "bool"],
    "getAnyMapAttribute": ["map", "dynamic"],
    "interpolationForAttribute": "dynamic",
}
# cdktf runtime collection classes used for computed attributes: name -> (outer..., primitive)
CDKTF_COLLECTIONS = {
    "StringMap": ["map", "string"],
    "NumberMap": ["map", "number"],
    "BooleanMap": ["map", "bool"],
    "AnyMap": ["map", "dynamic"],
    "StringListMap": ["map", ["list", "string"]],
    "NumberListMap": ["map", ["list", "number"]],
    "BooleanListMap": ["map", ["list", "bool"]],
    "AnyListMap": ["map", ["list", "dynamic"]],
    "StringMapList": ["list", ["map", "string"]],
    "NumberMapList": ["list", ["map", "number"]],
    "BooleanMapList": ["list", ["map", "bool"]],
    "AnyMapList": ["list", ["map", "dynamic"]],
}


def storage_type(storage: str, kind: str):
    """cty type of a non-struct attribute from its storageClassType and outer collection kind."""
    m = re.fullmatch(r"(string|number|boolean|any)((?:List|Map)*)", storage)
    if not m:
        raise ExtractError(f"unknown storageClassType {storage}")
    t = PRIMITIVES[m.group(1)]
    suffixes = re.findall(r"List|Map", m.group(2))
    for i, s in enumerate(suffixes):
        outer = i == len(suffixes) - 1
        if s == "Map":
            t = ["map", t]
        else:
            # the outermost list's list-vs-set is in `type`; inner ones are not recorded (lists)
            t = [kind if outer and kind in ("list", "set") else "list", t]
    if not suffixes and kind != "simple":
        raise ExtractError(f"collection kind {kind} with scalar storage {storage}")
    return t


# ---------------------------------------------------------------------------------------------
# jsii assembly

def unwrap(t: dict) -> tuple[str | None, dict]:
    """Return (collection kind or None, innermost non-IResolvable type)."""
    if "union" in t:
        ts = [x for x in t["union"]["types"] if x.get("fqn") != "cdktf.IResolvable"]
        if len(ts) != 1:
            raise ExtractError(f"ambiguous union {t}")
        return unwrap(ts[0])
    if "collection" in t:
        _k, inner = unwrap(t["collection"]["elementtype"])
        return t["collection"]["kind"], inner
    return None, t


ID_NOTE = re.compile(r"\s*Please be aware that the id field is automatically added.*", re.S)
DOCS_LINK = re.compile(r"\s*Docs at Terraform Registry: \{@link [^}]*\}\.?")


def description(prop: dict, snake: str) -> str | None:
    docs = prop.get("docs", {})
    text = docs.get("summary", "")
    if docs.get("remarks"):
        text = text + " " + docs["remarks"] if text else docs["remarks"]
    text = ID_NOTE.sub("", text)
    text = DOCS_LINK.sub("", text).strip()
    if text == f"{snake} block." or not text:
        return None
    return text


# ---------------------------------------------------------------------------------------------
# Schema assembly

@dataclass
class Options:
    optional_computed: bool = True  # mark optional attributes without authoritative comment computed
    # plugin-framework providers (helm 3): a list/set/map of objects written as an attribute is a
    # nested attribute (`nested_type`, inner attributes keep their own required/optional flags)
    nested_attributes: bool = False


class Extractor:
    def __init__(self, package_dir: str, options: Options):
        self.dir = package_dir
        self.options = options
        with open(os.path.join(package_dir, ".jsii"), encoding="utf-8") as f:
            jsii = json.load(f)
        self.types: dict[str, dict] = jsii["types"]
        self.modules: dict[str, Module] = {}

    def module(self, fqn: str) -> Module:
        loc = self.types[fqn]["locationInModule"]["filename"]  # src/<module>/index.ts
        folder = os.path.join(self.dir, "lib", os.path.dirname(loc).removeprefix("src/"))
        if folder not in self.modules:
            self.modules[folder] = Module(folder)
        return self.modules[folder]

    def top_level_classes(self):
        """(kind, terraform type name, class fqn) of every resource, data source and provider."""
        for fqn, t in self.types.items():
            base = t.get("base")
            if t.get("kind") != "class" or base not in (
                "cdktf.TerraformResource", "cdktf.TerraformDataSource", "cdktf.TerraformProvider"
            ):
                continue
            mod = self.module(fqn)
            name = mod.resource_types.get(t["name"])
            if name is None:
                raise ExtractError(f"{fqn}: no tfResourceType")
            kind = {"cdktf.TerraformResource": "resource", "cdktf.TerraformDataSource": "data",
                    "cdktf.TerraformProvider": "provider"}[base]
            yield kind, name, fqn

    def schema_of(self, fqn: str, kind: str) -> dict:
        t = self.types[fqn]
        mod = self.module(fqn)
        cls = mod.classes[t["name"]]
        if cls.entries is None:
            raise ExtractError(f"{fqn}: no synthesizeHclAttributes")
        params = t["initializer"]["parameters"]
        config_fqn = params[-1]["type"]["fqn"]
        entries = [e for e in cls.entries if not (kind == "provider" and e.name == "alias")]
        saved = self.options.optional_computed
        if kind == "provider":
            # provider configuration is never computed
            self.options.optional_computed = False
        try:
            block = self.block(mod, entries, config_fqn, cls, path=t["name"])
        finally:
            self.options.optional_computed = saved
        return {"block": block, "version": 0}

    def props(self, struct_fqn: str) -> dict[str, dict]:
        return {p["name"]: p for p in self.types[struct_fqn].get("properties", [])}

    def block(self, mod: Module, entries: list[Entry], struct_fqn: str, ref: JsClass | None, path: str) -> dict:
        props = self.props(struct_fqn)
        attributes: dict[str, dict] = {}
        block_types: dict[str, dict] = {}
        for e in entries:
            member = e.member
            if ref is not None and f"this._{member}" in e.value:
                # top level: the private field may be named differently from the config
                # property (`this._getPasswordData = config.fetchPasswordData`)
                member = ref.config_members.get(member, member)
            prop = props.get(member)
            if prop is None:
                raise ExtractError(f"{path}.{e.name}: no jsii property {member} in {struct_fqn}")
            required = not prop.get("optional", False)
            comment = ref.comments.get(e.name) if ref else None
            desc = description(prop, e.name)
            child_ref = self.child_ref(mod, ref, e.name)
            # Real blocks are never computed and never keyed by a map: the generator marks
            # object-typed attributes (framework ObjectAttribute, MapNestedAttribute, SDK ConfigModeAttr)
            # isBlock too, but its comment or collection kind gives them away.
            as_attribute = (
                (e.kind in ("list", "set") and e.repeated is False)
                or e.kind == "map"
                or (comment is not None and comment.computed)
            )
            if e.is_block and not as_attribute:
                nested_fqn = self.nested_struct(prop, path, e)
                fn = e.function
                if fn not in mod.functions:
                    raise ExtractError(f"{path}.{e.name}: function {fn} not found")
                inner = self.block(mod, mod.functions[fn], nested_fqn, child_ref, f"{path}.{e.name}")
                if desc:
                    inner["description"] = desc
                bt: dict = {"block": inner}
                if e.kind == "struct":
                    bt["nesting_mode"] = "single"
                elif e.kind in ("list", "set"):
                    bt["nesting_mode"] = e.kind
                    if e.repeated is None:
                        bt["max_items"] = 1
                    if required:
                        bt["min_items"] = 1
                elif e.kind == "map":
                    bt["nesting_mode"] = "map"
                else:
                    raise ExtractError(f"{path}.{e.name}: unknown block kind {e.kind}")
                block_types[e.name] = bt
                continue
            if e.is_block or e.function:
                # a list/set of objects written as an attribute (listMapperHcl(fn, false)),
                # or an object-typed attribute
                nested_fqn = self.nested_struct(prop, path, e)
                if self.options.nested_attributes:
                    inner = self.block(mod, mod.functions[e.function], nested_fqn, child_ref, f"{path}.{e.name}")
                    if inner.get("block_types"):
                        raise ExtractError(f"{path}.{e.name}: block inside a nested attribute")
                    typ = None
                    nested = {"attributes": inner.get("attributes", {}),
                              "nesting_mode": "single" if e.kind == "struct" else e.kind}
                else:
                    obj = self.object_type(mod, mod.functions[e.function], nested_fqn, child_ref, f"{path}.{e.name}")
                    typ = obj if e.kind == "struct" else [e.kind, obj]
            else:
                typ = storage_type(e.storage, e.kind)
            attr: dict = {"type": typ} if typ is not None else {"nested_type": nested}
            if desc:
                attr["description"] = desc
            attr["description_kind"] = "plain"
            if comment is not None:
                # generator comments are authoritative where present
                if comment.required:
                    attr["required"] = True
                if comment.optional:
                    attr["optional"] = True
                if comment.computed:
                    attr["computed"] = True
                if comment.required != required:
                    raise ExtractError(f"{path}.{e.name}: jsii and comment disagree on required")
            elif required:
                attr["required"] = True
            else:
                attr["optional"] = True
                if self.options.optional_computed:
                    attr["computed"] = True
            attributes[e.name] = attr
        # computed-only attributes: getters flagged `computed: true, optional: false, required: false`
        if ref is not None:
            for snake, c in sorted(ref.comments.items()):
                if snake in attributes or snake in block_types:
                    continue
                if not c.computed and not c.optional and not c.required:
                    # a nested block holding only computed attributes (nothing to synthesize)
                    block_types[snake] = self.computed_block(mod, ref, snake, f"{path}.{snake}")
                    continue
                if not (c.computed and not c.optional and not c.required):
                    raise ExtractError(f"{path}.{snake}: settable field missing from HCL entries")
                attributes[snake] = {"type": self.computed_type(mod, ref, snake, f"{path}.{snake}"),
                                     "description_kind": "plain", "computed": True}
        out: dict = {}
        if attributes:
            out["attributes"] = attributes
        if block_types:
            out["block_types"] = block_types
        out["description_kind"] = "plain"
        return out

    def computed_block(self, mod: Module, ref: JsClass, snake: str, path: str) -> dict:
        init = ref.inits.get(snake)
        if init is None:
            raise ExtractError(f"{path}: no initializer")
        cls = mod.classes[init[0]]
        mode = "single"
        if cls.base == "cdktf.ComplexList":
            mode = "set" if init[2] else "list"
            cls = mod.classes[cls.list_item]
        elif cls.base != "cdktf.ComplexObject":
            raise ExtractError(f"{path}: unexpected class {cls.name} for a computed block")
        attributes = {}
        block_types = {}
        for name, c in sorted(cls.comments.items()):
            if not c.computed and not c.optional and not c.required:
                block_types[name] = self.computed_block(mod, cls, name, f"{path}.{name}")
            else:
                attributes[name] = {"type": self.computed_type(mod, cls, name, f"{path}.{name}"),
                                    "description_kind": "plain", "computed": True}
        block: dict = {}
        if attributes:
            block["attributes"] = attributes
        if block_types:
            block["block_types"] = block_types
        block["description_kind"] = "plain"
        return {"block": block, "nesting_mode": mode}

    def nested_struct(self, prop: dict, path: str, e: Entry) -> str:
        _kind, inner = unwrap(prop["type"])
        if "fqn" not in inner:
            raise ExtractError(f"{path}.{e.name}: nested block without struct type")
        return inner["fqn"]

    def child_ref(self, mod: Module, ref: JsClass | None, snake: str) -> JsClass | None:
        """The OutputReference class behind a nested field, to find its computed-only attributes."""
        if ref is None or snake not in ref.inits:
            return None
        name = ref.inits[snake][0]
        cls = mod.classes.get(name)
        if cls is None:
            return None
        if cls.list_item:
            cls = mod.classes.get(cls.list_item)
        return cls

    def object_type(self, mod: Module, entries: list[Entry], struct_fqn: str, ref: JsClass | None, path: str):
        block = self.block(mod, entries, struct_fqn, ref, path)
        if block.get("block_types"):
            raise ExtractError(f"{path}: block inside an object-typed attribute")
        return ["object", {k: v["type"] for k, v in sorted(block.get("attributes", {}).items())}]

    def class_object(self, mod: Module, cls: JsClass, path: str):
        fields = {}
        for snake, c in sorted(cls.comments.items()):
            fields[snake] = self.computed_type(mod, cls, snake, f"{path}.{snake}")
        return ["object", fields]

    def computed_type(self, mod: Module, cls: JsClass, snake: str, path: str):
        src, camel = cls.comment_source[snake]
        if src == "getter":
            expr = cls.getters[camel]
            expr = re.sub(r"^cdktf\.Token\.as\w+\((.*)\)$", r"\1", expr)
            m = re.fullmatch(r"(cdktf\.Fn\.tolist\()?this\.(\w+)\('(\w+)'\)\)?", expr)
            if m:
                if m.group(3) != snake:
                    raise ExtractError(f"{path}: getter reads {m.group(3)}")
                t = GETTER_TYPES.get(m.group(2))
                if t is None:
                    raise ExtractError(f"{path}: unknown getter {m.group(2)}")
                if m.group(1):
                    if not isinstance(t, list) or t[0] != "list":
                        raise ExtractError(f"{path}: tolist of {t}")
                    t = ["set", t[1]]
                return t
            m = re.fullmatch(r"this\._(\w+)", expr)
            if not m:
                raise ExtractError(f"{path}: unknown getter body {expr}")
        init = cls.inits.get(snake)
        if init is None:
            raise ExtractError(f"{path}: no initializer")
        cname, _member, wraps_set = init
        if cname in CDKTF_COLLECTIONS:
            t = CDKTF_COLLECTIONS[cname]
            if wraps_set and t[0] == "list":
                t = ["set", t[1]]
            return t
        target = mod.classes.get(cname)
        if target is None:
            raise ExtractError(f"{path}: unknown class {cname}")
        if target.base == "cdktf.ComplexList":
            item = mod.classes[target.list_item]
            return ["set" if wraps_set else "list", self.class_object(mod, item, path)]
        if target.base == "cdktf.ComplexMap":
            item = mod.classes[target.list_item]
            return ["map", self.class_object(mod, item, path)]
        if target.base == "cdktf.ComplexObject":
            return self.class_object(mod, target, path)
        raise ExtractError(f"{path}: unknown base {target.base} of {cname}")


def extract(package_dir: str, options: Options, wanted=None) -> tuple[dict, list[str]]:
    """Return (provider schema object, errors). `wanted(kind, name)` filters what is built."""
    ex = Extractor(package_dir, options)
    resources: dict[str, dict] = {}
    data: dict[str, dict] = {}
    provider = None
    errors = []
    for kind, name, fqn in sorted(ex.top_level_classes(), key=lambda x: (x[0], x[1])):
        if wanted is not None and not wanted(kind, name):
            continue
        try:
            s = ex.schema_of(fqn, kind)
        except (ExtractError, KeyError) as err:
            errors.append(f"{kind} {name}: {err}")
            continue
        if kind == "resource":
            resources[name] = s
        elif kind == "data":
            data[name] = s
        else:
            provider = s
    out = {"resource_schemas": resources, "data_source_schemas": data}
    if provider is not None:
        out["provider"] = provider
    return out, errors


def package_meta(package_dir: str) -> dict:
    with open(os.path.join(package_dir, "package.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    prov = pkg["cdktf"]["provider"]
    return {"package": pkg["name"], "package_version": pkg["version"],
            "provider_address": prov["name"], "provider_version": prov["version"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("package_dir", help="unpacked npm package (the folder holding .jsii)")
    ap.add_argument("out", help="output file: a full (untrimmed) providers-schema document")
    ap.add_argument("--no-optional-computed", action="store_true",
                    help="do not mark optional attributes computed (used by the aws comparison)")
    args = ap.parse_args(argv)
    meta = package_meta(args.package_dir)
    schema, errors = extract(args.package_dir, Options(optional_computed=not args.no_optional_computed))
    for e in errors:
        print("error:", e, file=sys.stderr)
    doc = {"format_version": "1.0", "provider_schemas": {meta["provider_address"]: schema}}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{len(schema['resource_schemas'])} resources, {len(schema['data_source_schemas'])} data sources, "
          f"{len(errors)} errors", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
