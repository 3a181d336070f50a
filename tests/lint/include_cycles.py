#!/usr/bin/python3
"""The modules of server/ include each other without cycles.

A module is a .c file and its .h (server/x.c and server/x.h are module x). Module a depends on
b when a.c or a.h has `#include "b.h"`. A cycle (a strongly connected group of two or more
modules) means neither side can be understood, tested or moved without the other: this check
fails, naming each cycle and the include lines that make it. Prints "N passed, M failed" (one
check per module: passed when it is in no cycle)."""
import collections
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SERVER = os.path.join(ROOT, "server")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def modules():
    """{module: [(file, included module), ...]} over every .c and .h below server/."""
    found = collections.defaultdict(list)
    for directory, _, files in os.walk(SERVER):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(directory, name)
            module = os.path.splitext(name)[0]
            found[module]
            with open(path, encoding="utf-8") as f:
                for included in INCLUDE.findall(f.read()):
                    target = os.path.basename(included)
                    if target != module:
                        found[module].append((os.path.relpath(path, ROOT), target))
    return found


def strongly_connected(graph):
    """Tarjan's algorithm: the strongly connected components of graph {node: set(nodes)}."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def main():
    found = modules()
    graph = {m: {t for _, t in edges if t in found} for m, edges in found.items()}
    cycles = [g for g in strongly_connected(graph) if len(g) > 1]
    in_cycle = {m for g in cycles for m in g}
    for group in cycles:
        print("include cycle: " + " <-> ".join(group))
        for module in group:
            for path, target in found[module]:
                if target in group:
                    print("  %s includes %s.h" % (path, target))
    print("%d passed, %d failed" % (len(found) - len(in_cycle), len(in_cycle)))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
