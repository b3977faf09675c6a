#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold irqlens' hand-written kernel prototypes to a kernel source tree.

    scripts/check-tracepoint-protos.py [--root DIR] KSRC

A tracepoint probe must take (void *data, <the tracepoint's TP_PROTO>),
type for type: the tracepoint calls it through a function pointer, so a
wrong type is not a build error but a wrong value at run time. KVM's
trace.h is not in the kernel headers package, so an out-of-tree build
cannot compare them; this script does, for the kernel version of KSRC:

1. the tracepoint hooks in module/*.c ({ .kind = IRQLENS_HOOK_TRACEPOINT,
   .symbol = "<tracepoint>", .probe = <fn> }) and each probe's argument
   list (a macro of module/compat_hooks.h);
2. that macro as the C preprocessor expands it for KSRC's version (the
   real #if logic of compat_hooks.h, with its #includes stubbed out);
3. the TP_PROTO of each tracepoint in KSRC (TRACE_EVENT, DEFINE_EVENT,
   DECLARE_TRACE, ... under arch/x86/kvm, virt, include/trace).

It also compares every private kernel struct compat_hooks.h mirrors (a
comment "irqlens-mirror: <path> struct <name>" before the mirror) with
the original in KSRC, member type for member type, when the mirror is
compiled for that version.

Exit status 0 when everything matches, 1 on a mismatch or anything not
found, 2 on bad usage.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

TRACE_DIRS = ("arch/x86/kvm", "virt", "include/trace/events")

# Kernel typedefs that are the same C type (x86-64).
TYPE_ALIASES = {
    "u8": "unsigned char", "__u8": "unsigned char", "uint8_t": "unsigned char",
    "s8": "signed char", "__s8": "signed char",
    "u16": "unsigned short", "__u16": "unsigned short", "uint16_t": "unsigned short",
    "s16": "short", "__s16": "short",
    "u32": "unsigned int", "__u32": "unsigned int", "uint32_t": "unsigned int",
    "unsigned": "unsigned int",
    "s32": "int", "__s32": "int", "int32_t": "int", "signed int": "int",
    "u64": "unsigned long long", "__u64": "unsigned long long",
    "uint64_t": "unsigned long long",
    "s64": "long long", "__s64": "long long", "int64_t": "long long",
    "_Bool": "bool",
}


def die(msg, status=2):
    print(f"check-tracepoint-protos: {msg}", file=sys.stderr)
    sys.exit(status)


def kernel_version(ksrc):
    """(version, patchlevel, sublevel) from KSRC's top Makefile."""
    try:
        with open(os.path.join(ksrc, "Makefile"), encoding="utf-8") as f:
            text = f.read(4096)
    except OSError as e:
        die(f"{ksrc} is not a kernel source tree: {e}")
    fields = {}
    for key in ("VERSION", "PATCHLEVEL", "SUBLEVEL"):
        m = re.search(rf"^{key}\s*=\s*(\d+)", text, re.M)
        if not m:
            die(f"{ksrc}/Makefile has no {key}")
        fields[key] = int(m.group(1))
    return fields["VERSION"], fields["PATCHLEVEL"], fields["SUBLEVEL"]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def balanced(text, start):
    """The text inside the parentheses or braces that open at text[start]."""
    pairs = {"(": ")", "{": "}"}
    opener = text[start]
    closer = pairs[opener]
    depth = 0
    for i in range(start, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced " + opener)


def split_top(text, sep):
    """Split on @sep outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def param_type(decl):
    """The type of one declaration: "struct kvm_vcpu *vcpu" -> "struct kvm_vcpu *"."""
    decl = " ".join(decl.split())
    decl = re.sub(r"\s*\*\s*", " * ", decl).strip()
    words = decl.split()
    if len(words) > 1 and re.fullmatch(r"[A-Za-z_]\w*", words[-1]):
        words = words[:-1]
    norm = " ".join(words).replace(" *", "*").replace("* ", "*")
    base = norm.rstrip("*").strip()
    stars = norm[len(base):].count("*")
    base = TYPE_ALIASES.get(base, base)
    return base + (" " + "*" * stars if stars else "")


def tracepoint_hooks(root):
    """{tracepoint: probe function} from the hook tables in module/*.c."""
    hooks = {}
    mod = os.path.join(root, "module")
    for name in sorted(os.listdir(mod)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(mod, name), encoding="utf-8") as f:
            text = strip_comments(f.read())
        for m in re.finditer(r"IRQLENS_HOOK_TRACEPOINT[^}]*?\.symbol\s*=\s*\"(\w+)\""
                             r"[^}]*?\.probe\s*=\s*(\w+)", text):
            hooks[m.group(1)] = (m.group(2), name, text)
    return hooks


def probe_params(fn, text):
    """The parameter list of probe @fn as written: a macro name or a list."""
    m = re.search(rf"\bvoid\s+{fn}\s*\(", text)
    if not m:
        raise LookupError(f"no definition of probe {fn}()")
    return balanced(text, m.end() - 1).strip()


def preprocess(root, ksrc_version, snippets):
    """Expand @snippets after including module/compat_hooks.h for the version."""
    compat = os.path.join(root, "module", "compat_hooks.h")
    with open(compat, encoding="utf-8") as f:
        includes = re.findall(r"^\s*#\s*include\s*<([^>]+)>", f.read(), re.M)
    version, patch, sub = ksrc_version
    with tempfile.TemporaryDirectory() as tmp:
        stubs = os.path.join(tmp, "stubs")
        for inc in includes:
            path = os.path.join(stubs, inc)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                if inc == "linux/version.h":
                    f.write("#define KERNEL_VERSION(a, b, c) "
                            "(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))\n"
                            f"#define LINUX_VERSION_CODE KERNEL_VERSION({version}, "
                            f"{patch}, {sub})\n")
        src = os.path.join(tmp, "expand.c")
        with open(src, "w", encoding="utf-8") as f:
            f.write('#include "compat_hooks.h"\n')
            for i, snippet in enumerate(snippets):
                f.write(f"@@irqlens-{i}@@ {snippet} @@end@@\n")
        out = subprocess.run(["cpp", "-P", "-nostdinc", "-I", stubs,
                              "-I", os.path.dirname(compat), src],
                             capture_output=True, text=True, check=False)
        if out.returncode:
            raise RuntimeError("cpp failed on module/compat_hooks.h:\n" + out.stderr)
    expanded = []
    for i in range(len(snippets)):
        m = re.search(rf"@@irqlens-{i}@@(.*?)@@end@@", out.stdout, re.S)
        expanded.append(" ".join(m.group(1).split()) if m else None)
    return expanded, out.stdout


def find_tp_proto(ksrc, tracepoint):
    """(file, TP_PROTO text) of @tracepoint in KSRC, or None."""
    pat = re.compile(r"\b(?:TRACE_EVENT(?:_FN|_CONDITION)?|DECLARE_TRACE(?:_CONDITION)?)"
                     rf"\(\s*{tracepoint}\s*,"
                     rf"|\bDEFINE_EVENT(?:_FN|_CONDITION|_PRINT)?\(\s*\w+\s*,\s*{tracepoint}\s*,")
    for top in TRACE_DIRS:
        base = os.path.join(ksrc, top)
        for dirpath, _dirs, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith(".h"):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                if tracepoint not in text:
                    continue
                text = strip_comments(text)
                m = pat.search(text)
                if not m:
                    continue
                p = text.find("TP_PROTO(", m.end())
                if p < 0:
                    continue
                return os.path.relpath(path, ksrc), balanced(text, p + len("TP_PROTO"))
    return None


def struct_members(text, name):
    """Member types of "struct @name { ... }" in @text, or None."""
    m = re.search(rf"\bstruct\s+{name}\s*\{{", text)
    if not m:
        return None
    body = balanced(text, m.end() - 1)
    return [param_type(d) for d in split_top(body, ";")]


def check_tracepoints(root, ksrc, version, problems):
    hooks = tracepoint_hooks(root)
    if not hooks:
        problems.append("no tracepoint hooks found in module/*.c")
        return
    params = {}
    for tp, (fn, fname, text) in sorted(hooks.items()):
        try:
            params[tp] = (fn, fname, probe_params(fn, text))
        except LookupError as e:
            problems.append(f"{tp}: {e} in module/{fname}")
    expanded, _ = preprocess(root, version, [p[2] for p in params.values()])
    for (tp, (fn, fname, raw)), exp in zip(params.items(), expanded):
        found = find_tp_proto(ksrc, tp)
        if not found:
            problems.append(f"{tp}: no TRACE_EVENT/DEFINE_EVENT in {ksrc} "
                            f"({', '.join(TRACE_DIRS)})")
            continue
        path, proto = found
        want = ["void *"] + [param_type(p) for p in split_top(proto, ",")]
        got = [param_type(p) for p in split_top(exp, ",")]
        where = f"{tp}: probe {fn}({raw}) in module/{fname} vs {path}"
        if got == want:
            print(f"ok {tp}: ({', '.join(got)}) matches {path}")
            continue
        problems.append(f"{where}:\n    tracepoint calls ({', '.join(want)})\n"
                        f"    probe takes      ({', '.join(got)})")
        for i in range(max(len(got), len(want))):
            w = want[i] if i < len(want) else "(nothing)"
            g = got[i] if i < len(got) else "(nothing)"
            if w != g:
                problems.append(f"    argument {i}: tracepoint passes {w}, probe takes {g}")


def check_mirrors(root, ksrc, version, problems):
    with open(os.path.join(root, "module", "compat_hooks.h"), encoding="utf-8") as f:
        raw = f.read()
    mirrors = re.findall(r"irqlens-mirror:\s*(\S+)\s+struct\s+(\w+)(?:.|\n)*?"
                         r"\bstruct\s+(\w+)\s*\{", raw)
    if not mirrors:
        return
    _, cpp_out = preprocess(root, version, [])
    for path, kname, mname in mirrors:
        mine = struct_members(cpp_out, mname)
        if mine is None:
            print(f"ok struct {mname}: not compiled for {'.'.join(map(str, version))}")
            continue
        try:
            with open(os.path.join(ksrc, path), encoding="utf-8") as f:
                theirs = struct_members(strip_comments(f.read()), kname)
        except OSError:
            theirs = None
        if theirs is None:
            problems.append(f"struct {mname} mirrors struct {kname} of {path}, "
                            f"which {ksrc} does not have")
        elif mine != theirs:
            problems.append(f"struct {mname} does not mirror struct {kname} of {path}:\n"
                            f"    kernel: {'; '.join(theirs)}\n    irqlens: {'; '.join(mine)}")
        else:
            print(f"ok struct {mname}: matches struct {kname} of {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("ksrc", help="kernel source tree")
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    help="irqlens checkout (default: this script's)")
    args = ap.parse_args()
    version = kernel_version(args.ksrc)
    print(f"kernel source {args.ksrc}: {'.'.join(map(str, version))}")
    problems = []
    try:
        check_tracepoints(args.root, args.ksrc, version, problems)
        check_mirrors(args.root, args.ksrc, version, problems)
    except (RuntimeError, ValueError, OSError) as e:
        problems.append(str(e))
    for p in problems:
        print("MISMATCH " + p if not p.startswith("    ") else p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
