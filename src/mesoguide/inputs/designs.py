"""What kind of source a reference is, in the plain words the references page shows patients.

Studies of people say how many took part; syntheses (reviews, guidelines) and the other
kinds do not have to (see Reference in content.py, and checks/references.py).
"""

from __future__ import annotations

from typing import Literal

STUDY_DESIGNS: tuple[str, ...] = (
    "randomised trial",  # people put into groups by chance, one group as the comparison
    "controlled trial",  # a comparison group or side, not chosen by chance (e.g. split-face)
    "before-and-after study",  # one group measured before and after, no comparison group
    "cohort study",
    "cross-sectional study",
    "retrospective study",  # records looked at afterwards
    "case series",
    "case report",  # one person
    "outbreak report",  # an investigation of a cluster of infections
)
SYNTHESIS_DESIGNS: tuple[str, ...] = (
    "systematic review",
    "meta-analysis",
    "review",
    "consensus statement",
    "guideline",
    "laboratory study",  # cells or tissue, not people
)
OTHER_KINDS: tuple[str, ...] = (
    "trial registration",
    "law",
    "government page",
    "regulator page",
    "patient information",
)
Design = Literal[STUDY_DESIGNS + SYNTHESIS_DESIGNS + OTHER_KINDS]  # type: ignore[valid-type]
# Details of a study or review that may be declared as looked for and not found.
Findable = Literal["authors", "year", "container", "details", "identifier", "participants"]
