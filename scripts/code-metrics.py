#!/usr/bin/env python3
"""Size and shape of the daemon's code: lines per file, the longest functions, import circles.

    scripts/code-metrics.py [--rev COMMIT] [--files N] [--functions N] [DIR]

DIR defaults to appliance/src. With --rev, the files are read from that commit (git show),
not from the work tree, so a "before" and an "after" can be compared without a checkout.

- Lines per file: every line, and how many of them are in `#[cfg(test)]` modules.
- Longest functions: `fn` items with a body, from the `fn` line to the closing brace, outside
  `#[cfg(test)]` modules; methods are named `Type::method` after their `impl` block.
- Import circles: a graph with one node per file and an edge for every path into another
  file of the crate (`crate::`, `super::`, `self::` and a child module's name, in `use` and in
  code; not from test modules, and not from a `mod.rs` into its own submodules, which is how
  a module is assembled); each strongly connected component of more than one file is a
  circle, printed with the edges inside it and one path that makes each edge. The same at
  the level of the top modules (the stages: `dns`, `correlate`, `web`, ... and the files at
  the root of the crate).

Rust written by rustfmt is assumed: comments, strings and char literals are skipped, braces
are counted. Needs only python3.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RAW_STRING = re.compile(r'b?r(#*)"')


def tokens(text):
    """(kind, value, line) for identifiers and punctuation; comments, strings, chars and
    numbers are skipped. `::` is one token."""
    i, line, n = 0, 1, len(text)
    out = []
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    line += text[i] == "\n"
                    i += 1
        elif (m := RAW_STRING.match(text, i)) and (c in "rb"):
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            line += text.count("\n", i, j)
            i = j
        elif c == '"' or text.startswith('b"', i):
            i += 1 if c == '"' else 2
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                line += text[i] == "\n"
                i += 1
            i += 1
        elif c == "'" or text.startswith("b'", i):
            k = i + (1 if c == "'" else 2)
            if k < n and text[k] == "\\":
                j = text.find("'", k + 2)
                i = n if j < 0 else j + 1
            elif k + 1 < n and text[k + 1] == "'":
                i = k + 2
            else:
                i += 1  # a lifetime: the name follows as an identifier
        elif m := IDENT.match(text, i):
            out.append(("ident", m.group(), line))
            i = m.end()
        elif c.isdigit():
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
        elif text.startswith("::", i):
            out.append(("punct", "::", line))
            i += 2
        else:
            out.append(("punct", c, line))
            i += 1
    return out


def impl_name(toks):
    """The type an `impl` block is for, from the tokens between `impl` and `{`: the last
    segment of its path, generics left out (`impl<T> Trait for a::Type<T>` is `Type`)."""
    depth, flat = 0, []
    for kind, value, _ in toks:
        if value == "<":
            depth += 1
        elif value == ">":
            depth -= 1
        elif depth == 0:
            if value == "where":
                break
            flat.append((kind, value))
    values = [v for _, v in flat]
    if "for" in values:
        flat = flat[values.index("for") + 1:]
    flat = [(k, v) for k, v in flat if v not in ("&", "mut", "dyn", "unsafe", "const", "'")]
    if flat and flat[0][1] in "([":
        return "".join(v if v != "," else ", " for _, v in flat)
    name = "?"
    for kind, value in flat:
        if kind == "ident":
            name = value
        elif value != "::":
            break
    return name


def scan_items(toks):
    """Functions (name, first line, last line, in a test module) and modules (name, first
    line, last line, `#[cfg(test)]`; the lines are None for a module in its own file)."""
    stack = []  # (kind, name, line, test)
    pending = None  # (kind, name, line) of an item whose `{` has not come yet
    depth = 0  # of ( and [ since `pending` began: a `;` there is in a type, e.g. [u8; 4]
    impl_toks = None
    test_attr = False
    functions, modules = [], []
    prev = None
    i = 0
    while i < len(toks):
        kind, value, line = toks[i]
        in_test = any(s[3] for s in stack)
        if pending is not None and value in "([":
            depth += 1
        elif pending is not None and value in ")]":
            depth -= 1
        if impl_toks is not None and value not in ("{", ";"):
            impl_toks.append(toks[i])
        elif value == "#" and i + 1 < len(toks) and toks[i + 1][1] == "[":
            j, depth, text = i + 1, 0, []
            while j < len(toks):
                depth += toks[j][1] == "["
                depth -= toks[j][1] == "]"
                text.append(toks[j][1])
                if depth == 0:
                    break
                j += 1
            if "".join(text) == "[cfg(test)]":
                test_attr = True
            i = j
            prev = "]"
            i += 1
            continue
        elif kind == "ident" and value == "fn" and pending is None:
            if i + 1 < len(toks) and toks[i + 1][0] == "ident":
                pending, depth = ("fn", toks[i + 1][1], line), 0
        elif kind == "ident" and value == "mod" and pending is None:
            if i + 1 < len(toks) and toks[i + 1][0] == "ident":
                pending, depth = ("mod", toks[i + 1][1], line), 0
        elif kind == "ident" and value in ("impl", "trait") and pending is None:
            if value == "trait" and i + 1 < len(toks) and toks[i + 1][0] == "ident":
                pending, depth = ("trait", toks[i + 1][1], line), 0
            elif value == "impl" and prev in (None, ";", "}", "{", "]", "unsafe"):
                pending, depth = ("impl", None, line), 0
                impl_toks = []
        if value == ";" and pending is not None and pending[0] != "impl" and depth == 0:
            if pending[0] == "mod":
                # `mod name;`: a file; a test file under `#[cfg(test)]`.
                modules.append((pending[1], None, None, test_attr or in_test))
            pending = None
            test_attr = False
        elif value == "{":
            if pending is not None:
                name = pending[1]
                if pending[0] == "impl":
                    name = impl_name(impl_toks or [])
                    impl_toks = None
                test = pending[0] == "mod" and (test_attr or in_test)
                stack.append((pending[0], name, pending[2], test))
                pending = None
                test_attr = False
            else:
                stack.append(("block", None, line, False))
        elif value == "}" and stack:
            kind_, name, start, test = stack.pop()
            if kind_ == "fn":
                owner = next((s[1] for s in reversed(stack) if s[0] in ("impl", "trait")), None)
                full = f"{owner}::{name}" if owner else name
                functions.append((full, start, line, in_test))
            elif kind_ == "mod":
                modules.append((name, start, line, test))
        prev = value
        i += 1
    return functions, modules


def module_of(rel):
    """The module path (list of names) of a file relative to the crate root, or None for a
    binary's root."""
    parts = rel[:-3].split("/")
    if parts in (["main"],) or parts[0] == "bin":
        return None
    if parts[-1] in ("lib", "mod"):
        parts = parts[:-1]
    return parts


def paths(toks):
    """Every path that may lead into the crate, as (list of segments, line); `use` groups
    expanded."""
    out = []
    i = 0
    while i < len(toks):
        kind, _, line = toks[i]
        starts_path = (
            kind == "ident"
            and i + 1 < len(toks)
            and toks[i + 1][1] == "::"
            and (i == 0 or toks[i - 1][1] not in ("::", "."))
        )
        if starts_path:
            trees, i = parse_tree(toks, i)
            out.extend((t, line) for t in trees)
            continue
        i += 1
    return out


def parse_tree(toks, i):
    """A path or use tree from token i: the full paths it names, and the index after it."""
    prefix = []
    while i < len(toks):
        kind, value, _ = toks[i]
        if kind == "ident":
            prefix.append(value)
            i += 1
            if i < len(toks) and toks[i][1] == "::":
                i += 1
                continue
            if i + 1 < len(toks) and toks[i][1] == "as":
                i += 2
            return [prefix], i
        if value == "{":
            results = []
            i += 1
            while i < len(toks) and toks[i][1] != "}":
                if toks[i][1] == ",":
                    i += 1
                    continue
                sub, i = parse_tree(toks, i)
                for s in sub:
                    results.append(prefix + (s if s != ["self"] else []))
            return results, i + 1
        if value == "*":
            return [prefix], i + 1
        return [prefix], i
    return [prefix], i


def resolve(segments, here, modules, children):
    """The file a path points into (longest module prefix), or None (another crate, or the
    current file)."""
    if not segments:
        return None
    head, rest = segments[0], segments[1:]
    if head == "crate":
        base = []
    elif head == "self":
        base = list(here)
    elif head == "super":
        base = list(here[:-1])
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
    elif head in children.get(tuple(here), ()):
        base, rest = list(here) + [head], rest
    else:
        return None
    full = base + rest
    for k in range(len(full), -1, -1):
        f = modules.get(tuple(full[:k]))
        if f:
            return f
    return None


def tarjan(graph):
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def read_files(root, rev):
    """{path relative to root: text} of the .rs files under root (a repository path)."""
    files = {}
    if rev:
        top = subprocess.run(["git", "-C", REPO, "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        rel_root = os.path.relpath(os.path.abspath(root), top)
        listed = subprocess.run(["git", "-C", top, "ls-tree", "-r", "--name-only", rev, "--",
                                 rel_root], capture_output=True, text=True, check=True).stdout
        for path in listed.splitlines():
            if path.endswith(".rs"):
                text = subprocess.run(["git", "-C", top, "show", f"{rev}:{path}"],
                                      capture_output=True, text=True, check=True).stdout
                files[os.path.relpath(path, rel_root)] = text
    else:
        for dirpath, _, names in os.walk(root):
            for name in names:
                if name.endswith(".rs"):
                    path = os.path.join(dirpath, name)
                    with open(path, encoding="utf-8") as f:
                        files[os.path.relpath(path, root)] = f.read()
    return files


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", default="appliance/src",
                    help="relative to the repository (appliance/src)")
    ap.add_argument("--rev", help="read the files from this commit")
    ap.add_argument("--files", type=int, default=25, help="largest files shown (25)")
    ap.add_argument("--functions", type=int, default=20, help="longest functions shown (20)")
    args = ap.parse_args()

    root = os.path.join(REPO, args.dir)
    try:
        files = read_files(root, args.rev)
    except subprocess.CalledProcessError as e:
        sys.exit(f"code-metrics: cannot read {args.dir} at {args.rev}: {e.stderr.strip()}")
    except OSError as e:
        sys.exit(f"code-metrics: cannot read {args.dir}: {e}")
    if not files:
        sys.exit(f"code-metrics: no .rs files under {args.dir}")
    where = f"{args.dir} at {args.rev}" if args.rev else args.dir

    toks = {rel: tokens(text) for rel, text in files.items()}
    scanned = {rel: scan_items(t) for rel, t in toks.items()}
    # Files of test modules (`#[cfg(test)] mod name;`): every line and function is a test's.
    test_files = set()
    for rel, (_, mods) in scanned.items():
        here = module_of(rel)
        for name, start, _, test in mods:
            if here is not None and start is None and test:
                base = os.path.dirname(rel) if is_root(rel) else rel[:-3]
                for cand in (f"{name}.rs", f"{name}/mod.rs"):
                    test_files.add(os.path.normpath(os.path.join(base, cand)))
    for rel in test_files & set(scanned):
        functions, mods = scanned[rel]
        n = len(files[rel].splitlines())
        scanned[rel] = ([(f, a, b, True) for f, a, b, _ in functions], [("", 1, n, True)])

    # Lines per file.
    rows = []
    for rel, text in files.items():
        n = len(text.splitlines())
        tests = sum(e - s + 1 for _, s, e, test in scanned[rel][1] if test and s is not None)
        rows.append((n, tests, rel))
    rows.sort(key=lambda r: (-r[0], r[2]))
    total = sum(r[0] for r in rows)
    total_tests = sum(r[1] for r in rows)
    print(f"== lines per file ({where}): {len(rows)} files, {total} lines "
          f"({total_tests} in test modules); largest {min(args.files, len(rows))}")
    print(f"{'lines':>7} {'tests':>6}  file")
    for n, tests, rel in rows[: args.files]:
        print(f"{n:>7} {tests:>6}  {rel}")

    # Longest functions.
    fns = [(end - start + 1, name, f"{rel}:{start}")
           for rel, (functions, _) in scanned.items()
           for name, start, end, in_test in functions if not in_test]
    fns.sort(key=lambda f: (-f[0], f[2]))
    over = sum(1 for f in fns if f[0] > 100)
    print()
    print(f"== longest functions (outside test modules): {len(fns)} functions, {over} over "
          f"100 lines; longest {min(args.functions, len(fns))}")
    width = max((len(f[1]) for f in fns[: args.functions]), default=8)
    print(f"{'lines':>7}  {'function':<{width}}  where")
    for n, name, loc in fns[: args.functions]:
        print(f"{n:>7}  {name:<{width}}  {loc}")

    # Import circles.
    modules, children = {}, defaultdict(set)
    for rel in files:
        m = module_of(rel)
        if m is not None:
            modules[tuple(m)] = rel
            if m:
                children[tuple(m[:-1])].add(m[-1])
    graph, why = defaultdict(set), {}
    stages, stage_why = defaultdict(set), {}
    for rel, t in sorted(toks.items()):
        here = module_of(rel)
        if here is None:
            continue
        graph[rel]
        inline = sorted((m for m in scanned[rel][1] if m[1] is not None), key=lambda m: m[1])
        for segments, line in paths(t):
            # The inline modules around the path: `super` there is the file itself, and test
            # modules are left out.
            around = [m for m in inline if m[1] <= line <= m[2]]
            if any(m[3] for m in around):
                continue
            scope = here + [m[0] for m in around]
            target = resolve(segments, scope, modules, children)
            if not target or target == rel:
                continue
            path = "::".join(segments)
            there = module_of(target)
            a, b = stage(here), stage(there)
            if a and b and a != b:
                stages[a].add(b)
                stage_why.setdefault((a, b), f"{rel}: {path}")
            if is_root(rel) and there[: len(here)] == here:
                continue  # a module and its own submodules
            graph[rel].add(target)
            why.setdefault((rel, target), path)
    print_circles("import circles between top modules", "modules", stages, stage_why)
    print_circles("import circles between files", "files", graph, why)


def stage(module):
    """The top module a module belongs to (None for the crate root)."""
    return module[0] if module else None


def is_root(rel):
    return os.path.basename(rel) in ("mod.rs", "lib.rs")


def print_circles(title, unit, graph, why):
    for v in list(graph):
        for w in graph[v]:
            graph.setdefault(w, set())
    circles = [c for c in tarjan(graph) if len(c) > 1]
    circles.sort(key=lambda c: (-len(c), c))
    edges = sum(len(v) for v in graph.values())
    print()
    print(f"== {title}: {len(circles)} among {len(graph)} {unit}, {edges} edges")
    for c in circles:
        members = set(c)
        print(f"  {len(c)} {unit}: {', '.join(c)}")
        for a in c:
            for b in sorted(graph[a] & members):
                print(f"    {a} -> {b}  ({why[(a, b)]})")


if __name__ == "__main__":
    main()
