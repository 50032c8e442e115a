"""The check report: one result per gate, every problem, and the tables editors read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import Problem, display_path

GATES = ("readability", "wording", "review", "registries", "structure", "clinics", "links")
HINTS = {
    "readability": "shorten the sentences listed and prefer everyday words (the content guide's 'Plain language')",
    "wording": "reword, or add {## wording-ok: reason ##} on the line if the use is honest",
    "review": "update last_reviewed/next_review after a review, or record a new clinical review",
    "registries": "fix the entry in content/*.yml",
    "structure": "see the page shape in docs/editor-guide.md",
    "clinics": "see docs/clinic-guide.md for every profile field",
    "links": "point the link at an existing page and heading",
}


@dataclass(frozen=True)
class Finding:
    """A problem found by one gate."""

    gate: str
    problem: Problem

    def as_dict(self) -> dict:
        p = self.problem
        return {"gate": self.gate, "path": display_path(p.path), "line": p.line, "severity": p.severity, "message": p.message}


@dataclass
class Report:
    """Everything ``mesoguide check`` found."""

    findings: list[Finding] = field(default_factory=list)
    readability: list[dict] = field(default_factory=list)
    readability_summary: dict = field(default_factory=dict)
    waivers: list[dict] = field(default_factory=list)
    external_hosts: dict[str, int] = field(default_factory=dict)
    clinics: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, gate: str, problems: list[Problem]) -> None:
        self.findings += [Finding(gate, p) for p in problems]

    def count(self, gate: str, severity: str) -> int:
        return sum(1 for f in self.findings if f.gate == gate and f.problem.severity == severity)

    def passed(self, strict: bool = False) -> bool:
        bad = {"error", "warning"} if strict else {"error"}
        return not any(f.problem.severity in bad for f in self.findings)

    def gate_rows(self) -> list[dict]:
        rows = []
        for gate in GATES:
            errors, warnings = self.count(gate, "error"), self.count(gate, "warning")
            status = "fail" if errors else "warn" if warnings else "pass"
            rows.append({"gate": gate, "status": status, "errors": errors, "warnings": warnings})
        return rows

    def to_json(self) -> str:
        return json.dumps(
            {
                "passed": self.passed(),
                "passed_strict": self.passed(strict=True),
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

    def to_text(self) -> str:
        out = [f"mesoguide check: {', '.join(self.clinics) or 'no clinics'} ({self.seconds:.1f} s)", ""]
        out.append(f"{'gate':<12} {'result':<6} {'errors':>6} {'warnings':>8}")
        for row in self.gate_rows():
            out.append(f"{row['gate']:<12} {row['status']:<6} {row['errors']:>6} {row['warnings']:>8}")
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
            for finding in problems:
                out.append(finding.problem.format())
            gates = sorted({f.gate for f in problems if f.problem.severity != "note"}, key=GATES.index)
            if gates:  # notes say what the engine did; there is nothing to do about them
                out += ["", "What to do:"] + [f"  {gate}: {HINTS[gate]}" for gate in gates]
        out += ["", "All gates pass." if self.passed() else "Some gates fail."]
        return "\n".join(out)


def _order(finding: Finding) -> tuple:
    p = finding.problem
    return (p.severity != "error", display_path(p.path), p.line or 0, p.message)
