"""The check report: one result per gate, every problem, and the tables editors read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from mesoguide.checks.gates import GATES, HINTS
from mesoguide.errors import Problem, display_path


@dataclass(frozen=True)
class Finding:
    """A problem found by one gate, and the clinics whose check found it (empty: the content's own)."""

    gate: str
    problem: Problem
    clinics: tuple[str, ...] = ()

    def key(self) -> tuple:
        p = self.problem
        return (self.gate, p.path, p.line, p.message, p.severity)

    def format(self) -> str:
        """``path:line: message``, with the clinics named when the problem is theirs alone."""
        suffix = f" (clinic {', '.join(self.clinics)})" if self.clinics else ""
        return self.problem.format() + suffix

    def as_dict(self) -> dict:
        p = self.problem
        return {
            "gate": self.gate,
            "path": display_path(p.path),
            "line": p.line,
            "severity": p.severity,
            "message": p.message,
            "clinics": list(self.clinics),
            "text": self.format(),
        }


@dataclass
class Report:
    """Everything ``mesoguide check`` found."""

    findings: list[Finding] = field(default_factory=list)
    readability: list[dict] = field(default_factory=list)
    readability_summary: dict = field(default_factory=dict)
    waivers: list[dict] = field(default_factory=list)
    external_hosts: dict[str, int] = field(default_factory=dict)
    clinics: list[str] = field(default_factory=list)
    hidden_clinic_warnings: int = 0
    """Clinic profile notes and warnings left out because neither --clinic nor CI mode asked for them."""
    readability_measured: bool = True
    seconds: float = 0.0

    def add(self, gate: str, problems: list[Problem], clinic: str | None = None) -> None:
        """Add problems; one already reported (by another clinic's check) is kept once."""
        index = {f.key(): i for i, f in enumerate(self.findings)}
        for problem in problems:
            finding = Finding(gate, problem, (clinic,) if clinic else ())
            if finding.key() not in index:
                index[finding.key()] = len(self.findings)
                self.findings.append(finding)
                continue
            old = self.findings[index[finding.key()]]
            if old.clinics and clinic and clinic not in old.clinics:
                self.findings[index[finding.key()]] = Finding(gate, problem, (*old.clinics, clinic))
            elif not clinic:
                self.findings[index[finding.key()]] = Finding(gate, problem)

    def finish(self) -> None:
        """A problem that every checked clinic found is the content's, not one clinic's: no names."""
        everyone = set(self.clinics)
        self.findings = [Finding(f.gate, f.problem) if set(f.clinics) >= everyone else f for f in self.findings]

    def count(self, gate: str, severity: str) -> int:
        return sum(1 for f in self.findings if f.gate == gate and f.problem.severity == severity)

    def passed(self, strict: bool = False) -> bool:
        bad = {"error", "warning"} if strict else {"error"}
        return not any(f.problem.severity in bad for f in self.findings)

    def strict_failures(self) -> list[str]:
        """``gate (n)`` for each gate whose warnings fail --strict."""
        return [f"{gate} ({n})" for gate in GATES if (n := self.count(gate, "warning"))]

    def gate_rows(self) -> list[dict]:
        rows = []
        for gate in GATES:
            errors, warnings = self.count(gate, "error"), self.count(gate, "warning")
            status = "fail" if errors else "warn" if warnings else "pass"
            if gate == "readability" and not self.readability_measured and not errors:
                status = "not run"
            rows.append({"gate": gate, "status": status, "errors": errors, "warnings": warnings})
        return rows

    def to_json(self) -> str:
        return json.dumps(
            {
                "passed": self.passed(),
                "passed_strict": self.passed(strict=True),
                "strict_failures": self.strict_failures(),
                "hidden_clinic_warnings": self.hidden_clinic_warnings,
                "clinics": self.clinics,
                "seconds": round(self.seconds, 2),
                "gates": self.gate_rows(),
                "problems": [f.as_dict() for f in sorted(self.findings, key=_order)],
                "readability": {"pages": self.readability, **self.readability_summary},
                "waivers": self.waivers,
                "external_hosts": dict(sorted(self.external_hosts.items())),
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_text(self, strict: bool = False) -> str:
        out = [f"mesoguide check: {', '.join(self.clinics) or 'no clinics'} ({self.seconds:.1f} s)", ""]
        out.append(f"{'gate':<12} {'result':<7} {'errors':>6} {'warnings':>8}")
        for row in self.gate_rows():
            out.append(f"{row['gate']:<12} {row['status']:<7} {row['errors']:>6} {row['warnings']:>8}")
        if self.readability:
            s = self.readability_summary
            out += ["", f"Readability ({s.get('clinic')}; limits: grade {s.get('max_grade')}, SMOG {s.get('max_smog')} per page)"]
            out.append(f"{'page':<24} {'grade':>6} {'SMOG':>6} {'words':>6}")
            for row in self.readability:
                flag = "  <- too hard" if not row["passed"] else ""
                out.append(f"{row['page']:<24} {row['grade']:>6} {row['smog']:>6} {row['words']:>6}{flag}")
            out.append(
                f"{'median':<24} {s.get('median_grade'):>6} {s.get('median_smog'):>6}"
                f"   (limits {s.get('max_median_grade')} and {s.get('max_median_smog')})"
            )
        if self.waivers:
            out += ["", "Wording waivers:"]
            out += [f"  {w['path']}:{w['line']}: '{w['phrase']}' ({w['reason']})" for w in self.waivers]
        if self.external_hosts:
            out += ["", "External links by host (not fetched):"]
            out += [f"  {host}: {n}" for host, n in sorted(self.external_hosts.items())]
        problems = sorted(self.findings, key=_order)
        if problems:
            out += ["", "Problems:"]
            out += [finding.format() for finding in problems]
            gates = sorted({f.gate for f in problems if f.problem.severity != "note"}, key=GATES.index)
            if gates:  # notes say what the engine did; there is nothing to do about them
                out += ["", "What to do:"] + [f"  {gate}: {HINTS[gate]}" for gate in gates]
        if not self.readability_measured:
            out += ["", "Readability was not measured: no checked clinic's site could be built (see the problems above)."]
        if self.hidden_clinic_warnings:
            out += [
                "",
                f"{self.hidden_clinic_warnings} clinic profile notes and warnings not listed: see them with --clinic SLUG, or --ci for every clinic.",
            ]
        out += ["", self.verdict(strict)]
        return "\n".join(out)

    def verdict(self, strict: bool) -> str:
        if not self.passed():
            return "Some gates fail."
        if strict and not self.passed(strict=True):
            return f"No errors, but --strict fails on warnings: {', '.join(self.strict_failures())}."
        return "All gates pass."


def _order(finding: Finding) -> tuple:
    p = finding.problem
    return (p.severity != "error", display_path(p.path), p.line or 0, p.message)
