"""Audit the installed dependencies for known vulnerabilities, or say plainly why not.

pip-audit asks an online vulnerability service (OSV, or PyPI's own advisories). Where that
service cannot be reached, a silent "no known vulnerabilities" would be a lie, so the audit
first asks about a sentinel release with published advisories: if the service does not name
them, the audit prints that it was SKIPPED and why. ``ASKWELL_AUDIT_REQUIRED=1`` turns a skip
into a failure, for a build machine that must audit.

Exit codes: 0 audited clean or skipped with a reason, 1 vulnerabilities found, 2 skipped
while required.
"""

from __future__ import annotations

import json
import os
import subprocess  # noqa: S404 # nosec B404
import sys
import tempfile
from pathlib import Path

SERVICES = ("osv", "pypi")
# Jinja2 2.10 has published advisories (sandbox escapes); any working service names them.
SENTINEL = "jinja2==2.10"


def pip_audit(*arguments: str) -> tuple[dict | None, str]:
    """pip-audit's JSON answer, or None and what went wrong."""
    command = [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off"]
    completed = subprocess.run(  # noqa: S603 # nosec B603
        [*command, *arguments], capture_output=True, text=True, timeout=300, check=False
    )
    try:
        return json.loads(completed.stdout), ""
    except json.JSONDecodeError:
        last_line = (completed.stderr.strip().splitlines() or ["no answer"])[-1]
        return None, last_line[:300]


def reachable_service() -> tuple[str | None, list[str]]:
    """The first service that knows the sentinel's advisories, and why the others failed."""
    reasons = []
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder) / "sentinel.txt"
        requirements.write_text(SENTINEL + "\n")
        for service in SERVICES:
            answer, error = pip_audit(
                "-s", service, "-r", str(requirements), "--no-deps", "--disable-pip"
            )
            if answer is None:
                reasons.append(f"{service}: {error}")
                continue
            found = [vuln for dep in answer["dependencies"] for vuln in dep.get("vulns", [])]
            if found:
                return service, reasons
            skipped = [dep.get("skip_reason", "") for dep in answer["dependencies"]]
            reasons.append(f"{service}: the sentinel {SENTINEL} was not audited ({skipped[0]})")
    return None, reasons


def main() -> int:
    service, reasons = reachable_service()
    if service is None:
        print("SKIPPED: the dependency audit could not reach a vulnerability database:")
        for reason in reasons:
            print(f"  - {reason}")
        if os.environ.get("ASKWELL_AUDIT_REQUIRED", "") not in ("", "0", "false"):
            print("ASKWELL_AUDIT_REQUIRED is set, so a skipped audit fails.")
            return 2
        return 0
    answer, error = pip_audit("-s", service, "--skip-editable")
    if answer is None:
        print(f"FAILED: the dependency audit did not finish ({error}).")
        return 1
    vulnerable = [dep for dep in answer["dependencies"] if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    audited = sum(1 for dep in answer["dependencies"] if "vulns" in dep)
    if vulnerable:
        print(f"FAILED: {len(vulnerable)} of {audited} dependencies have known vulnerabilities.")
        return 1
    print(f"Dependency audit ({service}): {audited} dependencies, no known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
