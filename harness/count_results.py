#!/usr/bin/env python3
"""Turn test outputs into result lines, and result lines into the verdict.

A result line is "ok NAME" or "FAIL NAME" (optionally ": why"), or
"skip NAME".

  count_results.py test_progs LOG LIST   result lines for test_progs' LOG,
                                          one per subtest (one per test
                                          without subtests); every test in
                                          LIST must have run
  count_results.py kunit LOG LIST         result lines for the KUnit cases
                                          in the kernel log LOG (KTAP); every
                                          suite in LIST must have reported
  count_results.py verdict RESULTS        print "N passed, N failed"
                                          (", N skipped"), exit 1 on a failure
  count_results.py --self-test DIR        parse each DIR/NAME.log, excerpts
                                          of test_progs output, and compare with
                                          DIR/NAME.expected ("VERDICT NAME"
                                          per result, then "summary" if the
                                          summary line came)
"""
import glob
import os
import re
import sys

# A subtest's name may hold spaces and colons (the verifier tests' do):
# the verdict is the last ":OK", ":SKIP" or ":FAIL" on the line, before
# test_progs' optional "(SKIP: 1/28)".
LINE = re.compile(r"^#(\d+)(?:/(\d+))?\s+(.+):(OK|SKIP|FAIL)(?: \(.*\))?\s*$")
WORD = {"OK": "ok", "SKIP": "skip", "FAIL": "FAIL"}


def parse_test_progs(lines):
    """Verdicts in test_progs output: {"test" or "test/subtest": "OK"|"SKIP"|"FAIL"},
    one per subtest (one per test without subtests), and whether the
    summary line came."""
    tests, subtests = {}, {}
    summary = repeats = False
    for line in lines:
        if line.startswith("Summary:"):
            summary = True
        # test_progs repeats the failed tests' output after this line.
        if line.startswith("All error logs:"):
            repeats = True
        m = LINE.match(line)
        if not m or repeats:
            continue
        num, sub, name, verdict = m.groups()
        if sub:
            # Subtests of one test may share a name: the second is
            # "NAME [2]", and so on, in the order they ran.
            names = subtests.setdefault(num, {})
            key, n = name, 1
            while key in names:
                n += 1
                key = f"{name} [{n}]"
            names[key] = verdict
        else:
            tests.setdefault(num, (name, verdict))
    verdicts = {}
    for num, (name, verdict) in tests.items():
        verdicts.update(subtests.get(num, {name: verdict}))
    return verdicts, summary


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return f.readlines()
    except FileNotFoundError:
        return []


def test_progs(log_path, list_path):
    with open(list_path) as f:
        wanted = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    verdicts, summary = parse_test_progs(read_lines(log_path))
    out = [f"{WORD[v]} test_progs/{name}" for name, v in verdicts.items()]
    ran = {name.split("/", 1)[0] for name in verdicts}
    for name in wanted:
        if name not in ran:
            out.append(f"FAIL test_progs/{name}: did not run")
    if not summary:
        out.append("FAIL test_progs: no summary line (crashed, oopsed or timed out; see the console log)")
    return out


KTAP_TIME = re.compile(r"^\[\s*\d+\.\d+\]\s?")
KTAP_SUITE = re.compile(r"^    # Subtest: (\S+)")
KTAP_CASE = re.compile(r"^    (not ok|ok) \d+ (\S+)(\s+# SKIP)?")


def kunit(log_path, list_path):
    with open(list_path) as f:
        wanted = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    out, seen, suite = [], set(), None
    for line in read_lines(log_path):
        line = KTAP_TIME.sub("", line.rstrip("\n"))
        m = KTAP_SUITE.match(line)
        if m:
            suite = m.group(1)
            seen.add(suite)
            continue
        m = KTAP_CASE.match(line)
        if m and suite:
            word = "skip" if m.group(3) else ("ok" if m.group(1) == "ok" else "FAIL")
            out.append(f"{word} kunit/{suite}/{m.group(2)}")
    for name in wanted:
        if name not in seen:
            out.append(f"FAIL kunit/{name}: the suite did not report")
    return out


def verdict(results_path):
    counts = {"ok": 0, "FAIL": 0, "skip": 0}
    with open(results_path) as f:
        for line in f:
            word = line.split(" ", 1)[0]
            if word in counts:
                counts[word] += 1
                if word == "FAIL":
                    print(line.rstrip())
    line = f"{counts['ok']} passed, {counts['FAIL']} failed"
    if counts["skip"]:
        line += f", {counts['skip']} skipped"
    print(line)
    return 1 if counts["FAIL"] or not counts["ok"] else 0


def self_test(d):
    """Failures of the test_progs parser on the excerpts in @d."""
    cases = sorted({os.path.splitext(f)[0] for f in glob.glob(os.path.join(d, "*.log")) +
                    glob.glob(os.path.join(d, "*.expected"))})
    bad = [] if cases else [f"no test_progs output in {d}"]
    for case in cases:
        verdicts, summary = parse_test_progs(read_lines(case + ".log"))
        got = [f"{v} {name}" for name, v in verdicts.items()] + (["summary"] if summary else [])
        want = [l.rstrip("\n") for l in read_lines(case + ".expected")]
        if not want:
            bad.append(f"{os.path.basename(case)}.expected: missing or empty")
        elif got != want:
            bad.append(f"{os.path.basename(case)}.log: got {got}, expected {want}")
    return bad


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        bad = self_test(argv[2])
        print("\n".join(bad) or "parser self-test: every log parsed as expected")
        return 1 if bad else 0
    if len(argv) == 4 and argv[1] == "test_progs":
        print("\n".join(test_progs(argv[2], argv[3])))
        return 0
    if len(argv) == 4 and argv[1] == "kunit":
        print("\n".join(kunit(argv[2], argv[3])))
        return 0
    if len(argv) == 3 and argv[1] == "verdict":
        return verdict(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
