#!/usr/bin/env python3
"""Checks the include graph of common/ and exporters/ against the layers.

The layers are the vms_module() calls of common/CMakeLists.txt (a module and
the vms_* libraries it links) and the vms_exporter() calls of
exporters/CMakeLists.txt. A file of module M may include "vms/X/..." only when
X is M or a library M links, directly or through others; a role may include
only what its library links. The module graph must have no cycle, and no file
under common/ may include a role's header. The build enforces most of this
(each target sees only the include directories of what it links); this test
says it in one place and fails with the offending file and line.

Usage: check_layers.py REPO_ROOT
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def parse_calls(path, func):
    text = open(path).read()
    calls = {}
    for m in re.finditer(r'^\s*' + func + r'\(([^)]*)\)', text, re.M):
        words = m.group(1).split()
        calls[words[0]] = [w for w in words[1:] if w.startswith('vms_')]
    return calls


def closure(graph, start):
    seen, todo = set(), [start]
    while todo:
        for dep in graph.get(todo.pop(), []):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def main():
    root = os.path.abspath(sys.argv[1])
    modules = parse_calls(os.path.join(root, 'common', 'CMakeLists.txt'), 'vms_module')
    graph = {'vms_' + m: deps for m, deps in modules.items()}
    roles = parse_calls(os.path.join(root, 'exporters', 'CMakeLists.txt'), 'vms_exporter')
    problems = []

    for target in graph:
        if target in closure(graph, target):
            problems.append('cycle: %s reaches itself through %s' % (target, sorted(closure(graph, target))))

    on_disk = sorted(d for d in os.listdir(os.path.join(root, 'common'))
                     if os.path.isdir(os.path.join(root, 'common', d)))
    for d in on_disk:
        if d not in modules:
            problems.append('common/%s/ is not a vms_module() of common/CMakeLists.txt' % d)

    def check_tree(tree, allowed, owner):
        for dirpath, _, files in os.walk(tree):
            for name in sorted(files):
                if not name.endswith(('.h', '.cc')):
                    continue
                path = os.path.join(dirpath, name)
                for lineno, line in enumerate(open(path, errors='replace'), 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    rel = os.path.relpath(path, root)
                    parts = inc.split('/')
                    if parts[0] == 'vms' and len(parts) > 2:
                        target = 'vms_' + parts[1]
                        if parts[1] != 'version.h' and target not in allowed:
                            problems.append('%s:%d: %s includes "%s", but %s does not link %s'
                                            % (rel, lineno, owner, inc, owner, target))
                    elif tree.startswith(os.path.join(root, 'common')) and parts[0] in roles:
                        problems.append('%s:%d: common/ includes a role header "%s"' % (rel, lineno, inc))

    for m in modules:
        target = 'vms_' + m
        check_tree(os.path.join(root, 'common', m), closure(graph, target) | {target}, target)
    for role, deps in roles.items():
        allowed = set()
        for d in deps + ['vms_app']:
            allowed |= closure(graph, d) | {d}
        check_tree(os.path.join(root, 'exporters', role), allowed, 'vms_role_' + role)

    # The layer order, bottom first, for the log: a module after all it links.
    order, placed = [], set()
    while len(order) < len(graph):
        ready = sorted(t for t in graph if t not in placed and set(graph[t]) <= placed | {'vms_version'})
        if not ready:
            break
        order += ready
        placed |= set(ready)
    print('layers, bottom first:', ' '.join(t[4:] for t in order))
    for p in problems:
        print('FAIL', p)
    print('%d modules, %d roles, %d problems' % (len(modules), len(roles), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
