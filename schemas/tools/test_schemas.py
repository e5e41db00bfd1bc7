"""Tests of the committed schemas and of the cdktf extractor.

Run from the repository root: python3 -m unittest discover -s schemas/tools -p 'test_*.py' -v

Tests that need an npm package (the aws extractor proof, google/helm freshness) use the copy in
schemas/.cache/. When it is missing they print a `SKIPPED:` line and skip, unless CI=true, in which
case they fetch it with `npm pack` (@cdktf/provider-aws is a 34 MB download, 361 MB unpacked).
Python 3.11 standard library only.
"""
from __future__ import annotations

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.dirname(HERE)
CACHE = os.path.join(SCHEMAS, ".cache")
sys.path.insert(0, HERE)

import compare  # noqa: E402
import jsii_extract  # noqa: E402
import refresh_extracted  # noqa: E402
import trim  # noqa: E402

CI = os.environ.get("CI") == "true"


def load(name: str) -> dict:
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        return json.load(f)


def read_bytes(name: str) -> str:
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        return f.read()


INCLUDE = load("include.json")
PROVIDERS = ("aws", "google", "helm", "random")
OVERRIDES = {p: load(f"overrides/{p}.json") for p in PROVIDERS}


def package_dir(spec: str, test: unittest.TestCase) -> str:
    """The unpacked package for spec, fetched under CI=true, else skip when not cached."""
    package, version = spec.rsplit("@", 1)
    tgz = os.path.join(CACHE, refresh_extracted.tarball_name(package, version))
    if not os.path.exists(tgz) and not CI:
        msg = (f"SKIPPED: {spec} is not in schemas/.cache/ (set CI=true to fetch it with npm pack, "
               f"or run schemas/tools/refresh_*.sh)")
        print(msg, file=sys.stderr)
        test.skipTest(msg)
    return refresh_extracted.fetch(spec)


class CommittedFiles(unittest.TestCase):
    """Shape of schemas/<provider>.json: what the code generator and the schema checker rely on."""

    ATTR_KEYS = {"type", "nested_type", "description", "description_kind", "required", "optional",
                 "computed", "sensitive", "deprecated", "write_only"}
    BLOCK_TYPE_KEYS = {"nesting_mode", "block", "min_items", "max_items"}
    BLOCK_KEYS = {"attributes", "block_types", "description", "description_kind", "deprecated"}

    def check_attribute(self, where: str, a: dict):
        self.assertLessEqual(set(a), self.ATTR_KEYS, where)
        self.assertEqual(len({"type", "nested_type"} & set(a)), 1, f"{where}: type or nested_type")
        flags = (bool(a.get("required")), bool(a.get("optional")), bool(a.get("computed")))
        self.assertIn(flags, {(True, False, False), (False, True, False), (False, True, True),
                              (False, False, True)}, where)
        if "nested_type" in a:
            nt = a["nested_type"]
            self.assertIn(nt["nesting_mode"], {"single", "list", "set", "map"}, where)
            for k, inner in nt["attributes"].items():
                self.check_attribute(f"{where}.{k}", inner)
        else:
            self.check_type(where, a["type"])

    def check_type(self, where: str, t):
        if isinstance(t, str):
            self.assertIn(t, {"string", "number", "bool", "dynamic"}, where)
            return
        self.assertIsInstance(t, list, where)
        if t[0] in ("list", "set", "map"):
            self.assertEqual(len(t), 2, where)
            self.check_type(where, t[1])
        elif t[0] == "object":
            for k, v in t[1].items():
                self.check_type(f"{where}.{k}", v)
        else:
            self.fail(f"{where}: unknown type {t}")

    def check_block(self, where: str, b: dict, extracted: bool):
        self.assertLessEqual(set(b), self.BLOCK_KEYS, where)
        for k, a in b.get("attributes", {}).items():
            self.check_attribute(f"{where}.{k}", a)
        for k, bt in b.get("block_types", {}).items():
            w = f"{where}.{k}"
            self.assertLessEqual(set(bt), self.BLOCK_TYPE_KEYS, w)
            self.assertIn(bt["nesting_mode"], {"single", "list", "set", "map", "group"}, w)
            self.assertNotIn(k, b.get("attributes", {}), w)
            if extracted:
                # the package only knows single-item blocks and required ones
                self.assertIn(bt.get("max_items", 0), (0, 1), w)
                self.assertIn(bt.get("min_items", 0), (0, 1), w)
            self.check_block(w, bt["block"], extracted)

    def test_shape_and_include_list(self):
        for p in PROVIDERS:
            with self.subTest(provider=p):
                doc = load(f"{p}.json")
                entry = INCLUDE[p]
                addr = trim.address(entry["source"])
                self.assertEqual(set(doc), {"format_version", "provider_schemas", "terrane"})
                self.assertEqual(doc["format_version"], "1.0")
                self.assertEqual(list(doc["provider_schemas"]), [addr])
                t = doc["terrane"]
                self.assertEqual((t["provider"], t["source"], t["version"]), (p, entry["source"], entry["version"]))
                expected_from = "terraform providers schema -json" if p == "aws" else entry["package"]
                self.assertEqual(t["extracted_from"], expected_from)
                s = doc["provider_schemas"][addr]
                optional = {"ephemeral_resource_schemas", "functions"}
                self.assertEqual(set(s) - optional, {"provider", "resource_schemas", "data_source_schemas"})
                for key, kind in (("resources", "resource_schemas"), ("data_sources", "data_source_schemas")):
                    if entry[key] == "*":  # every type of the provider
                        self.assertTrue(s[kind], f"{p}: no {kind}")
                    else:
                        self.assertEqual(sorted(s[kind]), sorted(entry[key]))
                # ephemeral types: the include list's, plus those an override adds (random)
                added = OVERRIDES.get(p, {}).get("add_ephemeral_resource_schemas", {})
                if entry.get("ephemeral_resources") != "*":
                    expected_ephemeral = sorted(set(entry.get("ephemeral_resources", [])) | {k for k in added if not k.startswith("_")})
                    self.assertEqual(sorted(s.get("ephemeral_resource_schemas", {})), expected_ephemeral)
                self.assertEqual(sorted(s.get("functions", {})), sorted(entry.get("functions", [])))
                self.check_block(f"{p}.provider", s["provider"]["block"], p != "aws")
                for kind in ("resource_schemas", "data_source_schemas", "ephemeral_resource_schemas"):
                    for name, rs in s.get(kind, {}).items():
                        self.assertEqual(set(rs), {"version", "block"}, name)
                        self.check_block(name, rs["block"], p != "aws")

    def test_canonical_bytes(self):
        # sorted keys, 2-space indent, trailing newline: re-rendering gives the same bytes
        for p in PROVIDERS:
            with self.subTest(provider=p):
                text = read_bytes(f"{p}.json")
                self.assertEqual(trim.render(json.loads(text)), text)

    def test_extracted_have_no_untyped_attributes(self):
        for p in ("google", "helm", "random"):
            self.assertNotIn('"dynamic"', read_bytes(f"{p}.json"), p)

    def test_google_deep_blocks(self):
        g = load("google.json")["provider_schemas"]["registry.terraform.io/hashicorp/google"]["resource_schemas"]
        b = g["google_cloud_run_v2_service"]["block"]
        for step in ("template", "containers", "env", "value_source", "secret_key_ref"):
            b = b["block_types"][step]["block"]
        self.assertEqual(b["attributes"]["secret"]["type"], "string")
        self.assertTrue(b["attributes"]["secret"]["required"])
        containers = g["google_cloud_run_v2_service"]["block"]["block_types"]["template"]["block"]["block_types"]["containers"]
        self.assertNotIn("max_items", containers)  # repeated block
        tmpl = g["google_cloud_run_v2_service"]["block"]["block_types"]["template"]
        self.assertEqual((tmpl["nesting_mode"], tmpl["max_items"], tmpl["min_items"]), ("list", 1, 1))
        settings = g["google_sql_database_instance"]["block"]["block_types"]["settings"]["block"]
        self.assertIn("ip_configuration", settings["block_types"])
        self.assertTrue(g["google_sql_database_instance"]["block"]["attributes"]["database_version"]["required"])
        # computed-only attributes come from the getters
        self.assertEqual(g["google_sql_database_instance"]["block"]["attributes"]["connection_name"],
                         {"computed": True, "description_kind": "plain", "type": "string"})
        for name in ("google_compute_backend_service", "google_billing_budget", "google_monitoring_alert_policy"):
            self.assertTrue(g[name]["block"]["block_types"], name)

    def test_overrides_applied(self):
        g = load("google.json")["provider_schemas"]["registry.terraform.io/hashicorp/google"]["resource_schemas"]
        self.assertTrue(g["google_sql_user"]["block"]["attributes"]["password"]["sensitive"])
        wo = g["google_secret_manager_secret_version"]["block"]["attributes"]["secret_data_wo"]
        self.assertTrue(wo["write_only"])
        self.assertNotIn("computed", wo)
        h = load("helm.json")["provider_schemas"]["registry.terraform.io/hashicorp/helm"]
        rel = h["resource_schemas"]["helm_release"]["block"]["attributes"]
        self.assertTrue(rel["set_sensitive"]["nested_type"]["attributes"]["value"]["sensitive"])
        self.assertEqual(rel["set"]["nested_type"]["nesting_mode"], "list")
        self.assertIn("kubernetes", h["provider"]["block"]["attributes"])

    def test_provider_config_is_never_computed(self):
        for p in PROVIDERS:
            doc = load(f"{p}.json")
            prov = next(iter(doc["provider_schemas"].values()))["provider"]["block"]
            self.assertNotIn('"computed"', json.dumps(prov), p)


class Overrides(unittest.TestCase):
    def schema(self):
        return {"provider": {"block": {"attributes": {}}},
                "resource_schemas": {"x_thing": {"version": 0, "block": {
                    "attributes": {"secret": {"type": "string", "optional": True}},
                    "block_types": {"conf": {"nesting_mode": "list", "max_items": 1, "block": {
                        "attributes": {"a": {"type": "string", "required": True}}}}}}}},
                "data_source_schemas": {}}

    def test_set_and_as_attribute(self):
        s = self.schema()
        trim.apply_overrides(s, {"resource_schemas": {"x_thing": {
            "secret": {"set": {"sensitive": True}}, "conf": {"as_attribute": {"optional": True}}}}})
        b = s["resource_schemas"]["x_thing"]["block"]
        self.assertTrue(b["attributes"]["secret"]["sensitive"])
        self.assertEqual(b["attributes"]["conf"]["type"], ["list", ["object", {"a": "string"}]])
        self.assertNotIn("block_types", b)

    def test_unknown_path_fails(self):
        with self.assertRaises(trim.TrimError):
            trim.apply_overrides(self.schema(), {"resource_schemas": {"x_thing": {"nope": {"set": {"sensitive": True}}}}})

    def test_missing_included_type_fails(self):
        doc = {"provider_schemas": {"registry.terraform.io/hashicorp/x": self.schema()}}
        with self.assertRaises(trim.TrimError):
            trim.trim(doc, {"source": "hashicorp/x", "resources": ["x_other"], "data_sources": []})


class GeneratedJsParsing(unittest.TestCase):
    """The parts of the generated-code grammar the extractor depends on, on small samples."""

    def test_storage_types(self):
        st = jsii_extract.storage_type
        self.assertEqual(st("string", "simple"), "string")
        self.assertEqual(st("boolean", "simple"), "bool")
        self.assertEqual(st("stringList", "set"), ["set", "string"])
        self.assertEqual(st("numberList", "list"), ["list", "number"])
        self.assertEqual(st("stringMap", "map"), ["map", "string"])
        self.assertEqual(st("stringListList", "set"), ["set", ["list", "string"]])
        self.assertEqual(st("stringMapMap", "map"), ["map", ["map", "string"]])
        self.assertEqual(st("any", "simple"), "dynamic")
        with self.assertRaises(jsii_extract.ExtractError):
            st("Foo", "simple")

    def test_entries(self):
        js = (
            "        name: {\n"
            "            value: cdktf.stringToHclTerraform(this._name),\n"
            "            isBlock: false,\n"
            "            type: \"simple\",\n"
            "            storageClassType: \"string\",\n"
            "        },\n"
            "        rule: {\n"
            "            value: cdktf.listMapperHcl(fooRuleToHclTerraform, true)(this._rule.internalValue),\n"
            "            isBlock: true,\n"
            "            type: \"set\",\n"
            "            storageClassType: \"FooRuleList\",\n"
            "        },\n"
        )
        a, b = jsii_extract.parse_entries(js)
        self.assertEqual((a.name, a.member, a.function, a.is_block), ("name", "name", None, False))
        self.assertEqual((b.name, b.member, b.function, b.repeated), ("rule", "rule", "fooRuleToHclTerraform", True))

    def test_unparsed_entry_is_an_error(self):
        js = "        name: {\n            value: something(),\n            isBlock: maybe,\n        },\n"
        with self.assertRaises(jsii_extract.ExtractError):
            jsii_extract.parse_entries(js)


class AwsExtractorProof(unittest.TestCase):
    """Extract the included aws types from @cdktf/provider-aws and compare with the real schema."""

    def test_included_aws_types_match_real_provider(self):
        pkg = package_dir(f"{compare.AWS_PACKAGE}@{compare.AWS_PACKAGE_VERSION}", self)
        d, _secs = compare.run(os.path.join(SCHEMAS, "aws.json"), pkg, INCLUDE)
        self.assertEqual(d.unexpected(), [], "extractor differs from the real aws schema")
        listed = compare.listed_types(INCLUDE["aws"], "aws")
        n = len(listed["resources"]) + len(listed["data_sources"]) + 1
        self.assertEqual(d.types_compared, n)
        self.assertGreater(d.attributes, 1000)

    def test_all_aws_types_match_real_provider(self):
        full = os.path.join(CACHE, f"aws-{INCLUDE['aws']['version']}-schema.json")
        if not os.path.exists(full):
            msg = "SKIPPED: full aws schema not cached (run schemas/tools/refresh_aws.sh)"
            print(msg, file=sys.stderr)
            self.skipTest(msg)
        pkg = package_dir(f"{compare.AWS_PACKAGE}@{compare.AWS_PACKAGE_VERSION}", self)
        d, _secs = compare.run(full, pkg, None)
        self.assertEqual(d.unexpected(), [])
        self.assertGreater(d.types_compared, 2000)


class ExtractedFreshness(unittest.TestCase):
    """Re-extracting google, helm and random from their packages reproduces the committed files byte for byte."""

    def check(self, provider: str):
        package_dir(INCLUDE[provider]["package"], self)
        out = os.path.join(CACHE, f"{provider}.fresh.json")
        self.assertEqual(refresh_extracted.main([provider, "--out", out, "--quiet"]), 0)
        with open(out, encoding="utf-8") as f:
            fresh = f.read()
        self.assertEqual(fresh, read_bytes(f"{provider}.json"),
                         f"schemas/{provider}.json is stale: run schemas/tools/refresh_{provider}.sh")

    def test_google_is_fresh(self):
        self.check("google")

    def test_helm_is_fresh(self):
        self.check("helm")

    def test_random_is_fresh(self):
        self.check("random")


if __name__ == "__main__":
    unittest.main()
