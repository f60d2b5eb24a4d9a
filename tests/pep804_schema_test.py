#!/usr/bin/env python3
"""'extdeps mappings export --format=pep804' writes valid PEP 804 documents.

usage: pep804_schema_test.py EXTDEPS SRCDIR [--own-validator]

Exports registry.json and every ecosystem's mapping (the ecosystem files of
SRCDIR/mappings) and validates each, and the fixture overlays' documents
(SRCDIR/tests/fixtures/pep804-overlay and pep804-central-plan), against the
PEP 804 JSON schemas of SRCDIR/tests/fixtures/pep804-schemas, with python's jsonschema where it is
installed, else (or with --own-validator) with the small validator below,
which knows the keywords those schemas use. It also checks what a schema
cannot say: a dep:virtual/ definition has no 'provides', and every id a
definition provides is defined. Prints 'N passed, N failed'.
"""
import json
import os
import re
import subprocess
import sys


# --- a validator for the JSON Schema keywords the fixtures use ---

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is_type(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, TYPES[name]) and not (name != "boolean" and isinstance(value, bool))


def _resolve(root, ref):
    node = root
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def errors(root, schema, value, path="$"):
    """The messages of VALUE's violations of SCHEMA (ROOT holds $defs)."""
    out = []
    if "$ref" in schema:
        out += errors(root, _resolve(root, schema["$ref"]), value, path)
    if "type" in schema and not _is_type(value, schema["type"]):
        return out + [f"{path}: expected {schema['type']}"]
    for sub in schema.get("allOf", []):
        out += errors(root, sub, value, path)
    for kw, test in (("anyOf", any), ("oneOf", None)):
        if kw in schema:
            ok = [not errors(root, s, value, path) for s in schema[kw]]
            if (kw == "anyOf" and not any(ok)) or (kw == "oneOf" and sum(ok) != 1):
                out.append(f"{path}: does not match {kw}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: {value!r} is not {schema['const']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{path}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if _is_type(value, "integer"):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{path}: under {schema['minimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            out.append(f"{path}: not under {schema['exclusiveMaximum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{path}: missing '{key}'")
        props = schema.get("properties", {})
        for key, item in value.items():
            if "propertyNames" in schema:
                out += errors(root, schema["propertyNames"], key, f"{path}.{key} (name)")
            if key in props:
                out += errors(root, props[key], item, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}: '{key}' is not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += errors(root, schema["additionalProperties"], item, f"{path}.{key}")
    if isinstance(value, list):
        if "items" in schema:
            for i, item in enumerate(value):
                out += errors(root, schema["items"], item, f"{path}[{i}]")
        if "contains" in schema:
            n = sum(1 for item in value if not errors(root, schema["contains"], item, path))
            if n < schema.get("minContains", 1) or n > schema.get("maxContains", n):
                out.append(f"{path}: {n} items match 'contains'")
    return out


def validate(schema, doc, own):
    if not own:
        try:
            import jsonschema  # noqa: PLC0415
        except ImportError:
            own = True
    if own:
        return errors(schema, schema, doc)
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


# --- what the PEP says that the schemas do not ---

def registry_rules(doc):
    out, ids = [], {d["id"] for d in doc["definitions"]}
    for d in doc["definitions"]:
        provides = d.get("provides") or []
        provides = [provides] if isinstance(provides, str) else provides
        if d["id"].startswith("dep:virtual/") and provides:
            out.append(f"{d['id']}: a dep:virtual/ definition with 'provides'")
        out += [f"{d['id']}: provides '{p}', which is not defined" for p in provides if p not in ids]
    return out


def export(extdeps, ecosystem=None):
    args = [extdeps, "mappings", "export", "--format=pep804"]
    if ecosystem:
        args.append(f"--ecosystem={ecosystem}")
    res = subprocess.run(args, capture_output=True, text=True, check=False)
    if res.returncode:
        return None, f"export failed ({res.returncode}): {res.stderr.strip()}"
    return json.loads(res.stdout), None


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    extdeps, srcdir, own = argv[1], argv[2], "--own-validator" in argv[3:]
    schemas = os.path.join(srcdir, "tests", "fixtures", "pep804-schemas")
    with open(os.path.join(schemas, "central-registry.schema.json"), encoding="utf-8") as f:
        central = json.load(f)
    with open(os.path.join(schemas, "external-mapping.schema.json"), encoding="utf-8") as f:
        mapping = json.load(f)
    ecosystems = sorted(n[:-5] for n in os.listdir(os.path.join(srcdir, "mappings"))
                        if n.endswith(".yaml") and n != "registry.yaml")
    passed = failed = 0
    for eco in [None] + ecosystems:
        doc, err = export(extdeps, eco)
        problems = [err] if err else validate(central if eco is None else mapping, doc, own)
        if not err and eco is None:
            problems += registry_rules(doc)
        name = "registry.json" if eco is None else f"{eco}.mapping.json"
        for p in problems[:20]:
            print(f"{name}: {p}")
        passed, failed = (passed, failed + 1) if problems else (passed + 1, failed)
    # the fixture overlays, written as the central registry's files are
    for fixture in ("pep804-overlay", "pep804-central-plan"):
        overlay = os.path.join(srcdir, "tests", "fixtures", fixture)
        for name in sorted(os.listdir(overlay)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(overlay, name), encoding="utf-8") as f:
                doc = json.load(f)
            problems = validate(central if name == "registry.json" else mapping, doc, own)
            if name == "registry.json":
                problems += registry_rules(doc)
            for p in problems[:20]:
                print(f"{fixture}/{name}: {p}")
            passed, failed = (passed, failed + 1) if problems else (passed + 1, failed)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
