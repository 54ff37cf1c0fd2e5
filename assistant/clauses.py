"""The MoU clauses: Handrail's own template wording with slots, and the guidance each rests on.

    fill(CLAUSES[0].body, {"parties": party_list(["Acme Ltd", "Dealer plc"])})

A slot with no value stays visible as `[to be agreed: ...]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.actions import VERBS


@dataclass
class Clause:
    id: str
    heading: str
    body: str  # template; {name} is a slot
    query: str  # what the guidance behind it is about
    step: str | None = None  # the framework step that speaks to it, lifted in retrieval


# Handrail's own wording. Slots: {parties} and the names in SLOT_HINTS.
CLAUSES = [
    Clause(
        "parties",
        "Parties",
        "This memorandum of common understanding is made between {parties} (the partners).",
        "memorandum of common understanding between the partners",
        "Memorandum of common understanding",
    ),
    Clause(
        "purpose",
        "Common vision and purpose",
        "The partnership's purpose is {purpose}. The partners work towards a common vision of the value "
        "the partnership delivers to its customers and to each partner.",
        "common vision purpose why partnering value to the customer",
        "Why partnering",
    ),
    Clause(
        "scope",
        "Scope and perimeter of work",
        "The partnership covers {scope}. Work outside this perimeter is not part of the partnership unless "
        "both partners agree it in writing.",
        "scope perimeter of work future state",
        "Future state",
    ),
    Clause(
        "roles",
        "Roles and responsibilities",
        "Each partner's roles and responsibilities are clear, agreed by both partners and set out as ARCI "
        "(accountable, responsible, contributing and informing): {roles}.",
        "roles responsibilities ARCI management structure",
        "Management structure",
    ),
    Clause(
        "governance",
        "Governance, review board and escalation",
        "A joint review board of {review_board} oversees the partnership and meets {review_frequency}. "
        "Issues the partnership's managers cannot settle are escalated to {escalation}.",
        "governance review board escalation management",
        "Governance",
    ),
    Clause(
        "commercial",
        "Commercial principles",
        "The value exchange process, who does what and when in the delivery and how value is demonstrated "
        "to and captured from the customer, is {value_exchange}. Financial gains are shared {gain_share}. "
        "Each partner keeps its own balance sheet.",
        "value exchange gain share separate balance sheets commercial model",
        "Commercial model",
    ),
    Clause(
        "confidentiality",
        "Confidentiality",
        "Information the partners exchange is confidential and covered by {nda}.",
        "non-disclosure agreement NDA confidentiality",
        "Memorandum of common understanding",
    ),
    Clause(
        "ip",
        "Intellectual property",
        "Intellectual property each partner brings remains its own. Intellectual property created together "
        "is owned and shared as follows: {ip}.",
        "intellectual property IP who owns shared",
        "Contractual agreement",
    ),
    Clause(
        "communication",
        "Communication",
        "The partners present one face to the customer, led by {customer_lead}, and agree how successes "
        "and issues are communicated inside both organisations.",
        "one face to the customer communication",
        "Communication",
    ),
    Clause(
        "pilot",
        "Pilot, KPIs and review dates",
        "The partnership starts with {pilot} on {start_date}. Its progress is measured against {kpis} and "
        "reviewed jointly on {review_date}.",
        "pilot KPIs key performance indicators joint review points",
        "Memorandum of common understanding",
    ),
    Clause(
        "change",
        "Managing change",
        "Changes to the partnership's scope, roles or commercial principles are proposed to the review "
        "board and take effect once both partners agree them.",
        "dynamic change manage change in the partnership",
        "Dynamic change",
    ),
    Clause(
        "exit",
        "Exit and liabilities",
        "Either partner may leave the partnership with {notice} notice. On exit, {exit_terms}.",
        "exit strategy liabilities leave the partnership",
        "Exit",
    ),
    Clause(
        "status",
        "Non-binding status and term",
        "This memorandum records a common understanding and is not a contract. It runs for {term} from "
        "{start_date}, after which the partners review whether to renew, re-design or exit.",
        "memorandum of common understanding not a contract renew review",
        "Memorandum of common understanding",
    ),
]
CLAUSE_IDS = [c.id for c in CLAUSES]
SLOT_HINTS = {
    "purpose": "the partnership's purpose",
    "scope": "the scope of the partnership",
    "roles": "who is accountable, responsible, contributing and informing for each activity",
    "review_board": "members of the review board",
    "review_frequency": "how often the board meets",
    "escalation": "who settles escalated issues",
    "value_exchange": "how value is exchanged",
    "gain_share": "how gains are shared",
    "nda": "a non-disclosure agreement",
    "ip": "who owns jointly created IP and how it is shared",
    "customer_lead": "who leads with the customer",
    "pilot": "a pilot",
    "start_date": "start date",
    "kpis": "the KPIs",
    "review_date": "review date",
    "notice": "a notice period",
    "exit_terms": "what happens to shared assets, staff and liabilities",
    "term": "the term",
}


def fill(template: str, slots: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        return slots.get(m.group(1)) or f"[to be agreed: {SLOT_HINTS.get(m.group(1), m.group(1))}]"

    return re.sub(r"\{(\w+)\}", value, template)


def purpose_phrase(text: str) -> str:
    """A purpose to follow "The partnership's purpose is": "offer uptime services" -> "to offer uptime services"."""
    what = re.sub(r"\s+", " ", text).strip(" ,.")
    words = what.lower().split()
    verb = words[1] if words[:1] == ["jointly"] and len(words) > 1 else words[0] if words else ""
    return f"to {what}" if verb in VERBS and words[0] != "to" else what


def party_list(parties: list[str]) -> str:
    names = [p for p in parties if p]
    while len(names) < 2:
        names.append(f"[to be agreed: name of party {len(names) + 1}]")
    return ", ".join(names[:-1]) + " and " + names[-1]
