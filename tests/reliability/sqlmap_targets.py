#!/usr/bin/python3
"""Print the sqlmap targets of tests/reliability/sqlmap.sh, one per line, tab-separated:
METHOD, the URL path with its query (an id in the path as 1, every query parameter the spec
names for the route with a sample value), and for POST/PATCH a JSON body with every property
of the request schema (sqlmap tests each JSON value). Only the routes an integration key with
read and write scopes may call (no admin, no sign-in): the ones sqlmap can reach with it.

usage: sqlmap_targets.py SPEC BINARY"""

import json
import subprocess
import sys

import yaml

SAMPLES = {"integer": 1, "number": 1, "boolean": True}


def deref(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        path = node["$ref"].lstrip("#/").split("/")
        node = spec
        for part in path:
            node = node[part]
    return node


def sample(spec, schema, depth=0):
    schema = deref(spec, schema or {})
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            return sample(spec, schema[key][0], depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = [k for k in kind if k != "null"][0] if len(kind) > 1 else kind[0]
    if "enum" in schema:
        return [v for v in schema["enum"] if v is not None][0]
    if kind == "object" and depth < 2:
        return {k: sample(spec, v, depth + 1) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(spec, schema.get("items", {}), depth + 1)] if depth < 2 else []
    if schema.get("format") == "date":
        return "2026-12-01"
    return SAMPLES.get(kind, "abc")


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    routes = subprocess.run([sys.argv[2], "routes"], capture_output=True, text=True,
                            check=True).stdout.split("\n")
    for line in routes:
        parts = line.split()
        if len(parts) != 3 or parts[2] not in ("read", "write") or parts[0] == "DELETE":
            continue
        method, pattern = parts[0], parts[1]
        op = spec["paths"].get(pattern, {}).get(method.lower(), {})
        path = pattern.replace("{id}", "1").replace("{child_id}", "1")
        query = []
        for param in op.get("parameters", []):
            param = deref(spec, param)
            if param.get("in") == "query":
                value = sample(spec, param.get("schema", {}))
                query.append("%s=%s" % (param["name"], str(value).lower()
                                        if isinstance(value, bool) else value))
        url = path + ("?" + "&".join(query) if query else "")
        body = ""
        if method in ("POST", "PATCH"):
            content = op.get("requestBody", {}).get("content", {})
            media = content.get("application/json") or content.get("application/merge-patch+json")
            if media is None:
                continue
            body = json.dumps(sample(spec, media.get("schema", {})))
        print("%s\t%s\t%s" % (method, url, body))


if __name__ == "__main__":
    main()
