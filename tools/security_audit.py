"""`make audit`: bandit over the shipped code and pip-audit over the locked dependencies, with zero
unreviewed findings. Reviewed ones live in tools/security_reviewed.toml, each with its reason.

Exit 0 when every finding is reviewed; 1 otherwise (the unreviewed ones are printed). pip-audit asks
the package index's vulnerability data over the network; with AUDIT_OFFLINE=1 it is skipped (said so).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
REVIEWED = tomllib.loads((ROOT / "tools" / "security_reviewed.toml").read_text())


def bandit() -> list[str]:
    skips = ",".join(s["id"] for s in REVIEWED["bandit"]["skips"])
    result = subprocess.run(  # noqa: S603
        [
            str(VENV_BIN / "bandit"),
            "-q",
            "-r",
            "threadline",
            "-x",
            "*/migrations/*",
            "-s",
            skips,
            "-f",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    if report.get("errors"):
        return [f"bandit could not scan {e['filename']}: {e['reason']}" for e in report["errors"]]
    reviewed = {(r["test"], r["file"]) for r in REVIEWED["bandit"].get("reviewed", [])}
    found = report["results"]
    unreviewed = [
        f"bandit {r['test_id']} {r['issue_severity']} {r['filename']}:{r['line_number']} {r['issue_text']}"
        for r in found
        if (r["test_id"], r["filename"].removeprefix("./")) not in reviewed
    ]
    print(
        f"bandit: {len(found)} findings, {len(found) - len(unreviewed)} reviewed, {len(unreviewed)} unreviewed"
    )
    return unreviewed


def pip_audit() -> list[str]:
    if os.environ.get("AUDIT_OFFLINE") == "1":
        print("pip-audit: skipped (AUDIT_OFFLINE=1)")
        return []
    ignored = [v["id"] for v in REVIEWED["pip_audit"].get("ignore", [])]
    args = [str(VENV_BIN / "pip-audit"), "-r", "requirements.lock", "--disable-pip", "--require-hashes"]
    args += ["--progress-spinner", "off", "-f", "json"]
    for vuln in ignored:
        args += ["--ignore-vuln", vuln]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [f"pip-audit did not run: {result.stderr.strip()[-500:]}"]
    unreviewed = [
        f"pip-audit {dep['name']} {dep['version']} {vuln['id']} (fixed in {', '.join(vuln['fix_versions']) or 'no release'})"
        for dep in report["dependencies"]
        for vuln in dep.get("vulns", [])
        if vuln["id"] not in ignored
    ]
    print(
        f"pip-audit: {len(report['dependencies'])} locked packages, {len(ignored)} reviewed advisories, "
        f"{len(unreviewed)} unreviewed"
    )
    return unreviewed


def main() -> int:
    problems = bandit() + pip_audit()
    for line in problems:
        print(f"UNREVIEWED: {line}")
    if problems:
        print("fix them, or review each in tools/security_reviewed.toml with the reason")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
