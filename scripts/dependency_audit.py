"""Audit both Python environments with pip-audit and check every finding against the triage file.

    .venv/bin/python scripts/dependency_audit.py [--strict] [--service pypi|osv] [--triage FILE]

pip-audit runs once per environment (`--path <site-packages> -f json`), so it sees exactly what is
installed in `.venv` (the app) and `.venv-rasa` (Rasa), not what this Python happens to have. Each
finding (package, version, vulnerability id) must have an entry in security/dependency-triage.toml
for the same package, version and id (or one of its aliases); see SECURITY.md.

Exit status: 0 no untriaged findings; 1 untriaged findings; 2 with --strict, when an environment
could not be checked at all (no vulnerability data reachable); 3 the audit itself failed (pip-audit
missing or broken, a triage file that does not parse, an environment that does not exist).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRIAGE_FILE = ROOT / "security" / "dependency-triage.toml"
DEFAULT_VENVS = (".venv", ".venv-rasa")
DECISIONS = {
    "not-affected": "the vulnerable code is not used, or not reachable, here",
    "accepted-risk": "affected, but the risk is accepted for now (say why and until when in the reason)",
    "fixed-by-upgrade": "a record: the package was upgraded past the fix, so the finding should be gone",
}
ACCEPTING_DECISIONS = {"not-affected", "accepted-risk"}
TRIAGE_FIELDS = ("id", "package", "version", "decision", "reason", "date")
UNREACHABLE_MARKERS = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "ConnectTimeout", "ReadTimeout")
SERVICE_SOURCES = {"pypi": "https://pypi.org/pypi/<name>/<version>/json", "osv": "https://api.osv.dev/v1/query"}
PIP_AUDIT_TIMEOUT_SECONDS = 300
LISTED_AT_MOST = 20

EXIT_OK, EXIT_UNTRIAGED, EXIT_NOTHING_CHECKED, EXIT_AUDIT_FAILED = 0, 1, 2, 3


class AuditError(Exception):
    """The audit could not be done as asked (exit 3)."""


def canonical_name(name: str) -> str:
    """PEP 503 normalisation: `Foo_Bar.baz` and `foo-bar-baz` are the same project."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    vuln_id: str
    aliases: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()

    @property
    def all_ids(self) -> set[str]:
        return {self.vuln_id, *self.aliases}


@dataclass(frozen=True)
class TriageEntry:
    vuln_id: str
    package: str
    version: str
    decision: str
    reason: str
    date: str

    def matches(self, finding: Finding) -> bool:
        return (
            canonical_name(self.package) == canonical_name(finding.package)
            and self.version == finding.version
            and self.vuln_id in finding.all_ids
        )


@dataclass
class EnvironmentAudit:
    """What pip-audit said about one environment."""

    label: str
    findings: list[Finding] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unreachable: str = ""  # why pip-audit could not reach its service at all, if it could not

    @property
    def nothing_checked(self) -> bool:
        return not self.audited


@dataclass
class TriageResult:
    untriaged: dict[Finding, list[str]]  # finding -> environments it is in
    triaged: dict[Finding, tuple[TriageEntry, list[str]]]
    unused_entries: list[TriageEntry]


# pip-audit's output


def parse_pip_audit_json(document: dict, label: str) -> EnvironmentAudit:
    """Findings, audited and skipped packages from pip-audit's `-f json` output."""
    audit = EnvironmentAudit(label)
    for dependency in document.get("dependencies", []):
        name = dependency["name"]
        if "skip_reason" in dependency:
            audit.skipped.append(name)
            continue
        audit.audited.append(name)
        audit.findings.extend(findings_of(dependency))
    return audit


def findings_of(dependency: dict) -> list[Finding]:
    return [
        Finding(
            package=dependency["name"],
            version=dependency["version"],
            vuln_id=vuln["id"],
            aliases=tuple(vuln.get("aliases", ())),
            fix_versions=tuple(vuln.get("fix_versions", ())),
        )
        for vuln in dependency.get("vulns", [])
    ]


def pip_audit_command(site_packages: Path, service: str) -> list[str]:
    return [
        sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off",
        "--vulnerability-service", service, "--path", str(site_packages),
    ]


def run_pip_audit(site_packages: Path, service: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            pip_audit_command(site_packages, service), capture_output=True, text=True,
            timeout=PIP_AUDIT_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess([], returncode=-1, stdout="", stderr=f"ReadTimeout: pip-audit took over {PIP_AUDIT_TIMEOUT_SECONDS} s")


def audit_environment(label: str, site_packages: Path, service: str) -> EnvironmentAudit:
    """Run pip-audit on one site-packages; a service it cannot reach is a result, anything else an error."""
    completed = run_pip_audit(site_packages, service)
    try:
        return parse_pip_audit_json(json.loads(completed.stdout), label)
    except json.JSONDecodeError:
        pass
    reason = unreachable_reason(completed.stderr)
    if reason:
        return EnvironmentAudit(label, skipped=installed_distributions(site_packages), unreachable=reason)
    raise AuditError(f"pip-audit failed on {site_packages} (exit {completed.returncode}): {last_line(completed.stderr) or 'no output'}")


def unreachable_reason(stderr: str) -> str:
    """'ConnectionError, host api.osv.dev' when pip-audit died because it could not reach its service, else ''."""
    marker = next((marker for marker in UNREACHABLE_MARKERS if marker in stderr), "")
    host = re.search(r"host='([^']+)'", stderr)
    return f"{marker}, host {host.group(1)}" if marker and host else marker


def installed_distributions(site_packages: Path) -> list[str]:
    return sorted(path.name.split("-")[0] for path in site_packages.glob("*.dist-info"))


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


# The triage file


def load_triage(path: Path) -> list[TriageEntry]:
    """The `[[finding]]` entries of the triage file; a missing or malformed field is an error, not a skip."""
    try:
        document = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise AuditError(f"no triage file at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise AuditError(f"{path} is not valid TOML: {error}") from None
    unknown_tables = set(document) - {"finding"}
    if unknown_tables:
        raise AuditError(f"{path}: unknown top-level keys {sorted(unknown_tables)} (entries are [[finding]] tables)")
    return [triage_entry(raw, number, path) for number, raw in enumerate(document.get("finding", []), start=1)]


def triage_entry(raw: dict, number: int, path: Path) -> TriageEntry:
    where = f"{path}, finding #{number}"
    missing = [name for name in TRIAGE_FIELDS if not str(raw.get(name, "")).strip()]
    if missing:
        raise AuditError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(raw) - set(TRIAGE_FIELDS))
    if unknown:
        raise AuditError(f"{where}: unknown fields {unknown}; allowed: {', '.join(TRIAGE_FIELDS)}")
    if raw["decision"] not in DECISIONS:
        raise AuditError(f"{where}: decision {raw['decision']!r} is not one of {', '.join(DECISIONS)}")
    return TriageEntry(
        vuln_id=str(raw["id"]), package=str(raw["package"]), version=str(raw["version"]),
        decision=raw["decision"], reason=str(raw["reason"]).strip(), date=triage_date(raw["date"], where),
    )


def triage_date(value: object, where: str) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise AuditError(f"{where}: date {value!r} is not YYYY-MM-DD") from None


# Findings against the triage


def triage(audits: list[EnvironmentAudit], entries: list[TriageEntry]) -> TriageResult:
    """Sort each finding into untriaged or triaged; a `fixed-by-upgrade` entry does not excuse a finding."""
    result = TriageResult(untriaged={}, triaged={}, unused_entries=[])
    used: set[TriageEntry] = set()
    for finding, labels in findings_by_environment(audits).items():
        entry = next((entry for entry in entries if entry.matches(finding)), None)
        if entry is None or entry.decision not in ACCEPTING_DECISIONS:
            result.untriaged[finding] = labels
        else:
            result.triaged[finding] = (entry, labels)
        if entry is not None:
            used.add(entry)
    checked = {canonical_name(name) for audit in audits for name in audit.audited}
    result.unused_entries = [
        entry for entry in entries
        if entry not in used and entry.decision in ACCEPTING_DECISIONS and canonical_name(entry.package) in checked
    ]
    return result


def findings_by_environment(audits: list[EnvironmentAudit]) -> dict[Finding, list[str]]:
    """Each finding once, with the environments it is in (a package can be in both)."""
    grouped: dict[Finding, list[str]] = {}
    for audit in audits:
        for finding in audit.findings:
            grouped.setdefault(finding, []).append(audit.label)
    return grouped


def exit_status(audits: list[EnvironmentAudit], result: TriageResult, strict: bool) -> int:
    if result.untriaged:
        return EXIT_UNTRIAGED
    if strict and any(audit.nothing_checked for audit in audits):
        return EXIT_NOTHING_CHECKED
    return EXIT_OK


# The report


def report(audits: list[EnvironmentAudit], result: TriageResult, triage_file: Path, service: str) -> str:
    lines = [f"Dependency audit (pip-audit, service: {service}; triage: {display_path(triage_file)})"]
    lines += [environment_line(audit) for audit in audits]
    lines += nothing_checked_lines(audits, service)
    lines += untriaged_lines(result, triage_file, all(audit.nothing_checked for audit in audits))
    lines += triaged_lines(result)
    lines += unused_entry_lines(result)
    lines += skipped_lines(audits)
    return "\n".join(lines)


def environment_line(audit: EnvironmentAudit) -> str:
    packages = len(audit.audited) + len(audit.skipped)
    line = (f"  {audit.label}: {packages} packages, {len(audit.audited)} checked, "
            f"{len(audit.skipped)} could not be audited, {len(audit.findings)} findings")
    return line + (f" (service unreachable: {audit.unreachable})" if audit.unreachable else "")


def nothing_checked_lines(audits: list[EnvironmentAudit], service: str) -> list[str]:
    if all(audit.nothing_checked for audit in audits):
        return ["", "No vulnerability data reachable: nothing was checked.",
                f"  pip-audit got no answer about any package from {SERVICE_SOURCES[service]},",
                "  so no findings here means nothing about the dependencies."]
    unchecked = [audit.label for audit in audits if audit.nothing_checked]
    return ["", f"No vulnerability data for {', '.join(unchecked)}: that environment was not checked."] if unchecked else []


def untriaged_lines(result: TriageResult, triage_file: Path, nothing_checked: bool) -> list[str]:
    if not result.untriaged:
        return [] if nothing_checked else ["", "Untriaged findings: none."]
    lines = ["", f"UNTRIAGED findings ({len(result.untriaged)}): add a decision for each to {display_path(triage_file)}"]
    for finding, labels in sorted(result.untriaged.items(), key=lambda item: sort_key(item[0])):
        lines.append(f"  {describe(finding)}  [{', '.join(labels)}]")
    return lines


def triaged_lines(result: TriageResult) -> list[str]:
    if not result.triaged:
        return []
    lines = ["", f"Triaged findings ({len(result.triaged)}):"]
    for finding, (entry, labels) in sorted(result.triaged.items(), key=lambda item: sort_key(item[0])):
        lines.append(f"  {describe(finding)}  [{', '.join(labels)}]")
        lines.append(f"      {entry.decision} ({entry.date}): {entry.reason}")
    return lines


def unused_entry_lines(result: TriageResult) -> list[str]:
    if not result.unused_entries:
        return []
    lines = ["", "Triage entries no finding matched (upgraded? mark them fixed-by-upgrade or remove them):"]
    lines += [f"  {entry.package} {entry.version} {entry.vuln_id} ({entry.decision})" for entry in result.unused_entries]
    return lines


def skipped_lines(audits: list[EnvironmentAudit]) -> list[str]:
    """Name the packages that could not be audited, unless it is all of them (then the count says it)."""
    skipped = sorted({name for audit in audits if not audit.nothing_checked for name in audit.skipped})
    if not skipped:
        return []
    shown = ", ".join(skipped[:LISTED_AT_MOST]) + (f", and {len(skipped) - LISTED_AT_MOST} more" if len(skipped) > LISTED_AT_MOST else "")
    return ["", f"Could not be audited ({len(skipped)}, e.g. not on PyPI): {shown}"]


def describe(finding: Finding) -> str:
    aliases = f" ({', '.join(finding.aliases)})" if finding.aliases else ""
    fix = f"fix: {', '.join(finding.fix_versions)}" if finding.fix_versions else "no fix released"
    return f"{finding.package} {finding.version}  {finding.vuln_id}{aliases}  {fix}"


def sort_key(finding: Finding) -> tuple[str, str, str]:
    return canonical_name(finding.package), finding.version, finding.vuln_id


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# Command line


def default_environments(root: Path = ROOT) -> list[tuple[str, Path]]:
    return [(venv, site_packages_of(root / venv)) for venv in DEFAULT_VENVS]


def site_packages_of(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise AuditError(f"no site-packages under {venv} (build it with `make envs`, or pass --site-packages)")
    return found[-1]


HELP_EPILOG = """\
triage: each finding needs a [[finding]] entry in the triage file with the same package,
installed version and vulnerability id (or an alias, e.g. the CVE), a reason, a date and a decision:
{decisions}

Without vulnerability data (the service unreachable, every package skipped) the report says
"nothing was checked" and exits 0, or 2 with --strict. SECURITY.md has the current status.

exit status: 0 no untriaged findings, 1 untriaged findings, 2 an environment not checked at all
(--strict only), 3 the audit itself failed (pip-audit missing, bad triage file, no such environment)

examples:
  .venv/bin/python scripts/dependency_audit.py           what `make audit` runs
  .venv/bin/python scripts/dependency_audit.py --strict  fail unless data was really fetched
  .venv/bin/python scripts/dependency_audit.py --site-packages .venv-rasa/lib/python3.10/site-packages
"""


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    decisions = "\n".join(f"  {name:<17} {meaning}" for name, meaning in DECISIONS.items())
    parser = argparse.ArgumentParser(
        description="Run pip-audit over the site-packages of .venv (app) and .venv-rasa (Rasa)\n"
                    "and check every finding against the triage file.",
        epilog=HELP_EPILOG.format(decisions=decisions),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--triage", type=Path, default=DEFAULT_TRIAGE_FILE, metavar="FILE",
                        help=f"triage file (default: {display_path(DEFAULT_TRIAGE_FILE)})")
    parser.add_argument("--site-packages", action="append", type=Path, metavar="DIR",
                        help="audit this site-packages instead of the two environments' (repeatable)")
    parser.add_argument("--service", choices=("pypi", "osv"), default="pypi",
                        help="pip-audit's vulnerability service (default: pypi)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 2 when an environment could not be checked at all (no vulnerability data reachable)")
    return parser.parse_args(argv)


def environments_to_audit(arguments: argparse.Namespace) -> list[tuple[str, Path]]:
    if not arguments.site_packages:
        return default_environments()
    for path in arguments.site_packages:
        if not path.is_dir():
            raise AuditError(f"{path} is not a directory")
    return [(display_path(path), path) for path in arguments.site_packages]


def require_pip_audit() -> None:
    try:
        metadata.version("pip-audit")
    except metadata.PackageNotFoundError:
        raise AuditError(f"pip-audit is not installed in {sys.executable}; "
                         "run: .venv/bin/pip install -c requirements/app-constraints.txt -e '.[dev]'") from None


def audit_all(environments: list[tuple[str, Path]], service: str) -> list[EnvironmentAudit]:
    """pip-audit on every environment at once (each spends its time waiting on the network)."""
    with ThreadPoolExecutor(max_workers=len(environments)) as pool:
        return list(pool.map(lambda env: audit_environment(env[0], env[1], service), environments))


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        entries = load_triage(arguments.triage)
        environments = environments_to_audit(arguments)
        require_pip_audit()
        audits = audit_all(environments, arguments.service)
    except AuditError as error:
        print(f"dependency audit failed: {error}", file=sys.stderr)
        return EXIT_AUDIT_FAILED
    result = triage(audits, entries)
    print(report(audits, result, arguments.triage, arguments.service))
    return exit_status(audits, result, arguments.strict)


if __name__ == "__main__":
    sys.exit(main())
