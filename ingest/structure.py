"""Structure: blocks become sections carrying the framework's metadata.

    sections = structure(doc_id, title, blocks)

The briefing's partnership framework is recognised from the document itself: a stage is a heading
of the form "The partnership - design" / "The partner - internal"; a step is any heading inside a
stage; "CASE N" opens a case, whose sub-headings name its parts. Framework points that say
"(see case N)", "lesson learnt N.M" or "learning N.M" keep N as a link.

Other documents are split by their own headings; a heading with a numbered label ("Success factor
#2 – ...") is also the opening line of its own section's text. Such a section is tagged with a framework stage
only when it plainly belongs to one (see `infer_stage`): its heading or text names that stage's
step vocabulary at least twice and clearly more often than any other stage's.
"""

from __future__ import annotations

import re

from ingest.text import NUMBERED_LABEL
from ingest.types import STAGE_TITLES, Block, Section

STAGE_HEADING = re.compile(
    r"^the partner(?:ship)?\s*[-–]\s*(customer|internal|propose|design|manage and deliver)$", re.I
)
STAGE_IDS = {
    "customer": "customer",
    "internal": "internal",
    "propose": "propose",
    "design": "design",
    "manage and deliver": "manage_deliver",
}
CASE_HEADING = re.compile(r"^CASE (\d+)$")
# A section that opens with a copyright line is the document's legal notice (who may copy it, in which
# languages), not guidance: its words are not the guidance's, and no answer quotes it.
COPYRIGHT = re.compile(r"^(?:copyright\b|©)", re.I)
CASE_LINK = re.compile(r"\b(?:case|lessons? learnt|learning)\s+(\d)(?:\.\d+)?\b", re.I)

# A case's sub-heading names its part by these words; other sub-headings continue the part before.
PART_WORDS = [
    ("lessons_learnt", ("lesson",)),
    ("process_followed", ("process", "chronology")),
    ("customers", ("customer",)),
    ("service_partnering", ("service partnering", "relationship")),
]

# Words that tie a passage of another document to a framework stage: the stage's step names as
# the briefing uses them, and the terms its points to consider are written in.
STAGE_VOCABULARY = {
    "customer": [
        "customer needs",
        "customer experience",
        "end customer",
        "value slippage",
        "customer's business",
    ],
    "internal": [
        "due diligence",
        "partner selection",
        "choose your partner",
        "reputation",
        "go/no-go",
        "strategy",
        "exit",
        "divorce",
        "renew",
        "review",
        "why partner",
    ],
    "propose": [
        "memorandum",
        "business imperative",
        "future state",
        "why partnering",
        "vision",
        "expectations",
        "business case",
        "opportunity",
    ],
    "design": [
        "commercial model",
        "value exchange",
        "incentive",
        "governance",
        "management structure",
        "contract",
        "culture",
        "pricing",
        "gain share",
        "roles and responsibilities",
    ],
    "manage_deliver": [
        "communication",
        "performance",
        "kpi",
        "measure",
        "dynamic change",
        "outcome",
        "transition",
        "delivery",
        "sla",
        "service level",
    ],
}


def case_links(text: str) -> list[int]:
    return sorted({int(n) for n in CASE_LINK.findall(text)})


def case_part(heading: str, current: str | None) -> str | None:
    low = heading.lower()
    for part, words in PART_WORDS:
        if any(w in low for w in words):
            return part
    return current


def infer_stage(text: str) -> str | None:
    """A stage for a passage of another document, or None when it is not plain."""
    low = text.lower()
    counts = {stage: sum(low.count(term) for term in terms) for stage, terms in STAGE_VOCABULARY.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (best, n), (_, second) = ranked[0], ranked[1]
    return best if n >= 3 and n >= 2 * second else None


def structure(doc_id: str, title: str, blocks: list[Block]) -> list[Section]:
    """Group blocks under headings; give each section its stage, step, case and part."""
    sections: list[Section] = []
    stage: str | None = None
    case: int | None = None
    part: str | None = None
    top: str | None = None  # the current top-level heading outside the framework
    has_framework = any(b.kind == "heading" and STAGE_HEADING.match(b.text) for b in blocks)

    def open_section(path: list[str], step: str | None = None) -> None:
        sections.append(Section(doc_id, title, path, stage=stage, step=step, case=case, part=part))

    open_section([title])
    for block in blocks:
        if block.kind == "caption":
            continue
        if block.kind != "heading":
            sections[-1].blocks.append(block)
            continue
        heading = block.text
        if m := STAGE_HEADING.match(heading):
            stage, case, part = STAGE_IDS[m.group(1).lower()], None, None
            open_section([heading])
        elif m := CASE_HEADING.match(heading):
            stage, case, part = None, int(m.group(1)), "background"
            open_section([f"Case {case}", "Background"])
        elif case is not None and heading.isupper():
            stage, case, part = None, None, None  # back matter after the last case
            open_section([heading])
        elif case is not None and not heading.upper().startswith("CASE EXAMPLES"):
            part = case_part(heading, part)
            open_section([f"Case {case}", heading])
        elif stage is not None and has_framework and not heading.lower().startswith("case examples"):
            open_section([STAGE_TITLES[stage], heading], step=heading)
        else:
            if has_framework:
                stage = None
            if heading.upper().startswith("CASE EXAMPLES"):
                continue
            if NUMBERED_LABEL.match(heading):
                # An item of a labelled list; its heading is content too, quoted and matched as its
                # opening line ("Success factor #4 – spend the time to get the details right").
                open_section([title, heading])
                sections[-1].blocks.append(Block("paragraph", heading, block.page))
                continue
            top = heading
            open_section([title, top])
    return [s for s in sections if s.blocks and not COPYRIGHT.match(s.blocks[0].text)]
