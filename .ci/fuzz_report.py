#!/usr/bin/env python3
"""Summarises the schemathesis NDJSON event streams written by .ci/fuzz.

Usage: fuzz_report.py SPEC REPORTS_DIR ROLE...   (reads REPORTS_DIR/ROLE/events.ndjson)

Prints, per operation of SPEC, the number of generated test cases for each role, the
totals, and every failed check (operation, role, check, status code, message). Exits 1
when a check failed, a run errored or did not finish, or an operation got no case.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Errors inside schemathesis itself, not answers of the API. Each is listed with why.
TOLERATED_ERRORS = (
    # CPython 3.11 raises this spuriously while Hypothesis builds a generator for a deep
    # schema (the import body); the case is never sent, so there is nothing to judge.
    "AST constructor recursion depth mismatch",
)


def events(path):
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield next(iter(json.loads(line).items()))


def first_line(text):
    text = text.strip().strip(":").strip()
    return text.splitlines()[0][:300] if text else ""


def main():
    spec, reports, roles = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    with open(spec, encoding="utf-8") as stream:
        paths = json.load(stream)["paths"]
    declared = {f"{m.upper()} {path}" for path, item in paths.items() for m in item if m in METHODS}

    cases = defaultdict(lambda: defaultdict(int))  # label -> role -> cases
    phases = defaultdict(int)  # phase -> cases
    failures = defaultdict(int)  # (label, role, check, status, message) -> count
    errors, tolerated = [], []
    for role in roles:
        path = reports / role / "events.ndjson"
        if not path.exists():
            errors.append(f"{role}: no event stream at {path}")
            continue
        finished = False
        for kind, event in events(path):
            if kind == "EngineFinished":
                finished = True
            elif kind in ("NonFatalError", "FatalError"):
                value = event.get("value") or {}
                message = f"{role}: {kind} in {event.get('label', '?')}: {value.get('type', '')}: {value.get('message', '')}"
                if kind == "NonFatalError" and any(t in message for t in TOLERATED_ERRORS):
                    tolerated.append(message)
                else:
                    errors.append(message)
            elif kind == "ScenarioFinished" and not event.get("is_final"):  # is_final: a replay
                recorder = event["recorder"]
                # A stateful scenario spans operations: count each case under its own.
                labels = {}
                for case_id, node in recorder.get("cases", {}).items():
                    case = node.get("value", {})
                    label = f"{case.get('method', '?')} {case.get('path', recorder['label'])}"
                    labels[case_id] = label
                    cases[label][role] += 1
                    phases[event.get("phase", "?")] += 1
                interactions = recorder.get("interactions", {})
                for case_id, checks in recorder.get("checks", {}).items():
                    for check in checks:
                        if check.get("status") != "failure":
                            continue
                        fail = (check.get("failure_info") or {}).get("failure") or {}
                        response = (interactions.get(case_id) or {}).get("response") or {}
                        key = (
                            labels.get(case_id, recorder["label"]),
                            role,
                            check.get("name", "?"),
                            response.get("status_code", "?"),
                            first_line(fail.get("title", "") + ": " + fail.get("message", "")),
                        )
                        failures[key] += 1
        if not finished:
            errors.append(f"{role}: the run did not finish")

    width = max(len(label) for label in declared)
    print(f"{'operation':<{width}} " + " ".join(f"{role[:9]:>9}" for role in roles) + f" {'total':>7}")
    for label in sorted(declared, key=lambda lbl: (lbl.split(" ", 1)[1], lbl)):
        row = cases.get(label, {})
        print(f"{label:<{width}} " + " ".join(f"{row.get(role, 0):>9}" for role in roles) + f" {sum(row.values()):>7}")
    per_role = [sum(cases[label].get(role, 0) for label in declared if label in cases) for role in roles]
    print(f"{'total':<{width}} " + " ".join(f"{n:>9}" for n in per_role) + f" {sum(per_role):>7}")
    probes = {label: row for label, row in cases.items() if label not in declared}
    probe_cases = sum(sum(row.values()) for row in probes.values())
    print(
        f"{len(declared)} operations x {len(roles)} roles: {sum(per_role)} generated cases; "
        f"plus {probe_cases} probes of {len(probes)} undeclared method/path pairs; by phase: "
        + ", ".join(f"{phase} {n}" for phase, n in sorted(phases.items()))
    )

    untested = sorted(label for label in declared if sum(cases.get(label, {}).values()) == 0)
    if untested:
        errors.append("operations without any generated case: " + ", ".join(untested))
    if tolerated:
        print(f"\n{len(tolerated)} tolerated schemathesis-internal errors (see TOLERATED_ERRORS):")
        for line in tolerated:
            print("  " + line)
    if errors:
        print(f"\n{len(errors)} errors:")
        for line in errors:
            print("  " + line)
    if failures:
        print(f"\n{len(failures)} distinct failed checks:")
        for (label, role, check, status, message), count in sorted(failures.items(), key=str):
            print(f"  {label} [{role}] {check} -> {status} (x{count}): {message}")
    if not failures and not errors:
        print("\nno failed check: no 5xx, every response conforms to its declared status, type and schema")
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
