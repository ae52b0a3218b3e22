#!/usr/bin/env python3
"""Find splats in a guest's kernel log.

A splat is anything the kernel prints when it detects a bug: BUG, WARNING,
Oops, a lockdep report, a KASAN report, an RCU stall, a hung task, a panic.
Any one of them fails the run, even if every test printed OK.

Usage: scan_kernel_log.py LOG...            exit 1 if a LOG has a splat
       scan_kernel_log.py --self-test DIR   check the scanner on recorded
                                            excerpts: DIR/clean-*.log must
                                            pass, DIR/<kind>-*.log must fail
                                            with that kind
"""
import os
import re
import sys

# Order matters: the first pattern that matches a line names its kind.
SPLATS = [
    ("kasan", re.compile(r"BUG: KASAN: ")),
    ("lockdep", re.compile(
        r"WARNING: (possible (circular|recursive) locking|inconsistent lock state"
        r"|possible irq lock inversion|bad unlock balance|held lock freed"
        r"|lock held when returning to user space|suspicious RCU usage"
        r"|\S+/\d+ still has locks held)"
        r"|BUG: (held lock freed|lock held when returning)"
        r"|INFO: trying to register non-static key")),
    ("rcu-stall", re.compile(r"rcu: INFO: \S+ (self-)?detected (expedited )?stalls?")),
    ("sleep-in-atomic", re.compile(r"BUG: (sleeping function called from invalid context"
                                   r"|scheduling while atomic)")),
    ("hung-task", re.compile(r"INFO: task \S+ blocked for more than")),
    ("oops", re.compile(r"\bOops: |general protection fault|BUG: unable to handle"
                        r"|BUG: kernel NULL pointer dereference")),
    ("panic", re.compile(r"Kernel panic - not syncing")),
    ("ubsan", re.compile(r"UBSAN: ")),
    ("warning", re.compile(r"WARNING: ")),
    ("bug", re.compile(r"BUG: |kernel BUG at ")),
]


def scan(lines):
    """Return (kind, line number, line) for each line that starts a splat."""
    found = []
    for num, line in enumerate(lines, 1):
        for kind, pattern in SPLATS:
            if pattern.search(line):
                found.append((kind, num, line.rstrip("\n")))
                break
    return found


def scan_file(path):
    with open(path, errors="replace") as f:
        return scan(f)


def self_test(directory):
    passed = failed = 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".log"):
            continue
        known = ["clean"] + [kind for kind, _ in SPLATS]
        want = next((k for k in known if name.startswith(k + "-")), None)
        if want is None:
            print(f"FAIL: {name} names no known kind ({', '.join(known)})")
            failed += 1
            continue
        kinds = {kind for kind, _, _ in scan_file(os.path.join(directory, name))}
        ok = not kinds if want == "clean" else want in kinds
        print(f"{'ok' if ok else 'FAIL'}: scanner on {name}: found {sorted(kinds) or 'nothing'}")
        passed += ok
        failed += not ok
    return passed, failed


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        passed, failed = self_test(argv[2])
        print(f"scanner self-test: {passed} passed, {failed} failed")
        return 1 if failed or not passed else 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    bad = 0
    for path in argv[1:]:
        for kind, num, line in scan_file(path):
            print(f"splat ({kind}) at {path}:{num}: {line}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
