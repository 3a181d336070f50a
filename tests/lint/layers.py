#!/usr/bin/python3
"""The layers of server/ depend only downward.

Each folder below server/ is a layer and a static library; its meson.build names the one layer
right below it in `dependencies : [deps, X_dep]`, and a layer may use that layer and everything
below it. This check reads those lines and every `#include "..."` line, and fails when:
- the layers themselves form a cycle, or a folder holds C files but is not a layer;
- two modules (x.c / x.h) in different folders share a name (an include would be ambiguous);
- a file includes a header of a layer that is not its own or below it (main.c may include any);
- an include names a header that exists in no layer.
Prints "N passed, M failed" (one check per C file, plus one for the layer graph)."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SERVER = os.path.join(ROOT, "server")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
BELOW = re.compile(r"dependencies\s*:\s*\[\s*deps\s*(?:,\s*(\w+)_dep\s*)?\]")


def layer_graph():
    """{layer: set of layers directly below it}, from each server/<layer>/meson.build."""
    graph = {}
    for name in sorted(os.listdir(SERVER)):
        build = os.path.join(SERVER, name, "meson.build")
        if os.path.isfile(build):
            with open(build, encoding="utf-8") as f:
                graph[name] = {m for m in BELOW.findall(f.read()) if m}
    return graph


def reachable(graph, start):
    """Every layer start may use: itself and everything below it."""
    seen, todo = set(), [start]
    while todo:
        layer = todo.pop()
        if layer not in seen:
            seen.add(layer)
            todo.extend(graph.get(layer, ()))
    return seen


def main():
    passed = failed = 0
    graph = layer_graph()
    problems = []
    for layer, below in graph.items():
        for other in below:
            if other not in graph:
                problems.append("%s depends on %s, which is not a layer" % (layer, other))
            elif layer in reachable(graph, other):
                problems.append("layer cycle: %s and %s depend on each other" % (layer, other))
    homes = {}  # header name -> layer
    files = []  # (layer or None for main, path)
    for directory, _, names in os.walk(SERVER):
        rel = os.path.relpath(directory, SERVER)
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(directory, name)
            if rel == ".":
                if name != "main.c":
                    problems.append("server/%s is in no layer folder" % name)
                files.append((None, path))
                continue
            layer = rel.split(os.sep)[0]
            if layer not in graph:
                problems.append("%s is in a folder that is not a layer" % os.path.relpath(path, ROOT))
            if name.endswith(".h"):
                if name in homes and homes[name] != layer:
                    problems.append("%s is both in %s and %s" % (name, homes[name], layer))
                homes[name] = layer
            files.append((layer, path))
    if problems:
        failed += 1
        print("layer graph:\n  " + "\n  ".join(problems))
    else:
        passed += 1
    for layer, path in files:
        allowed = reachable(graph, layer) if layer else set(graph)
        bad = []
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for header in INCLUDE.findall(text):
            name = os.path.basename(header)
            if name.endswith("_embedded.h"):
                continue
            home = homes.get(name)
            if home is None:
                bad.append('#include "%s": no layer has this header' % header)
            elif home not in allowed:
                bad.append('#include "%s": %s may not use %s (it is not below it)'
                           % (header, layer, home))
        if bad:
            failed += 1
            print("%s:\n  %s" % (os.path.relpath(path, ROOT), "\n  ".join(bad)))
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
