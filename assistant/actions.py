"""A point of the guidance phrased as one short action a manager can tick off.

    action("It is therefore important to define review dates for the service delivery.")
    -> "Define review dates for the service delivery."

The phrasing is decided from the sentence's form, not from its topic: an imperative sentence is
kept, after any scene set before it ("In documents put ..."); "it is important to X" and "need to X"
become "X"; "S should be defined" becomes "Define S", and "S should/must X" "Ensure S Xs"; a gerund
("Understanding and respecting ...") becomes the imperative; a matter named as a noun ("Transfer of IP
...") becomes "Agree the transfer of IP ..."; "Is there X?" becomes "Check whether there is X.";
"What are the risks?" becomes "Agree what the risks are.", and a question whose order cannot be turned
stays a question to answer, as one written with a full stop is still one. A statement with none of
these forms is no action (None), and pointers to other places ("see case 2", "see the model below")
are left out, since the item stands on its own. The verbatim point stays in the item's citation.
"""

from __future__ import annotations

import re

MAX_WORDS = 25  # an item a manager reads at a glance (issue 16: "about 25 words at most")
MIN_WORDS = 4  # a cut shorter than this says too little to act on

# English verbs that open an instruction. Grammar, not topic: any guidance text uses these.
VERBS = set(
    """
    accept account achieve acknowledge adjust agree aim align allow analyse anticipate apply appoint
    appreciate approach ask assess assign avoid balance be bring build calculate capture change check
    choose clarify collect combine commit communicate compare confirm consider control coordinate create
    decide define delegate deliver demonstrate describe design determine develop discuss distribute do
    document draft drive enable encourage engage ensure establish estimate evaluate execute expect
    explain explore extract find fix focus follow gain get give handle have hold identify implement
    improve incentivise include increase inform introduce invest involve keep know launch learn leverage
    limit link list listen look maintain make manage map market measure meet monitor negotiate note
    obtain offer operate organise pay phrase pilot plan prepare present prevent prioritise protect
    provide publicise put recognise record reduce reflect reject remove renew report request require
    resolve respect review reward run schedule secure select sell separate serve set settle share show
    sign speak specify spend start state stop supply support take talk test think track train transfer
    treat try understand update use validate value verify visit write
    """.split()
)

MODAL = r"(?:should|must|needs? to|has to|have to|ought to|is to|are to)"
IMPORTANT = re.compile(
    r"^It is (?:\w+ )?(?:important|essential|necessary|key|vital|crucial|advisable|critical) "
    r"(?:for \w+(?: \w+)? )?to (?P<rest>.+)$",
    re.I,
)
IMPORTANT_THAT = re.compile(
    r"^It is (?:\w+ )?(?:important|essential|necessary|key|vital|crucial|critical) that (?P<rest>.+)$", re.I
)
PASSIVE = re.compile(rf"^(?P<subject>.+?) {MODAL} be (?P<verb>\w+ed|\w+en|set|made|kept|put) ?(?P<rest>.*)$", re.I)
THERE_BE = re.compile(rf"^There {MODAL} (?P<neg>not )?be (?P<rest>.+)$", re.I)
IS_THERE = re.compile(r"^(?P<verb>Is|Are) there (?P<rest>.+)\?$")
WH_SUBJECT = re.compile(r"^(?P<wh>What|Who|Which) (?P<rest>(?:happens|is|are|will|can|should|could|would)\b.+)\?$")
COPULA_FIRST = re.compile(
    r"^(?P<verb>is|are) (?P<rest>(?:the|a|an|your|our|their|its|this|these|those|his|her|you|we|they)\b.+)$"
)
ACTIVE = re.compile(r"^(?P<subject>[A-Z][^,;:]+?) (?:needs? to|has to|have to|should|must) (?P<verb>\w+) (?P<rest>.+)$")
# A subject holding a clause of its own ("This also means controlling this risk, which") is no noun phrase
# to act on.
CLAUSE_IN_SUBJECT = re.compile(r",|\b(?:which|that|who|means|is|are)\b")
FINITE = re.compile(r"\b(?:is|are|was|were|can|could|will|would|may|might|has|have|had)\b")
BACK_REFERENCE = re.compile(r"\b(?:these|those|such)\b|\bthis (?!point\b)", re.I)
# A list item that sets its scene before its instruction: "On the contrary, ensure ...", "In documents put ...".
LEADING_PHRASE = re.compile(
    r"^(?:(?:In|On|For|At|With|By|From) \w+(?: \w+)?,?|(?:However|Instead|Also|Then|Otherwise|\w+ly),)"
    r" (?P<verb>[a-z]+)\b"
)
SHORT_LEADING_PHRASE = re.compile(r"^(?:In|On|For|At|With|By|From) \w+ (?P<verb>[a-z]+)\b")  # "In documents put"
NEED_TO = re.compile(r"^(?:We |You )?(?:Need|need) to (?P<rest>.+)$")  # "Need to know how ..." -> "Know how ..."
APPOSITION = re.compile(r"^\w+ \w+, (?:namely|i\.e\.|that is)\b")  # "Design principles, namely, ...": a noun phrase
JOINED_CLAUSE = re.compile(r",\s+(?:and|but)\s")  # a second clause joined on by a comma
# A remark in brackets after a point's last sentence ("... a potential competitor? (Important for later design.)")
SIDE_NOTE = re.compile(r"(?<=[.?!])\s*\([^()]*\)\s*$")
# A sentence in a question's order: a question word (after a preposition, perhaps) and then an auxiliary.
UNMARKED_QUESTION = re.compile(
    r"^(?:(?:Under|In|At|For|By|On|To|From) )?(?:what|which|how|when|who|why)\b(?: \w+){0,2}? "
    r"(?:can|could|will|would|should|must|is|are|do|does)\b",
    re.I,
)
ANAPHORA = {"these", "those", "this", "such", "them", "it"}
SUBORDINATE = re.compile(r"\b(?:where|how|what|who|which|that|when|whether|if)\b")
PRONOUN = {"you", "we", "they"}
IRREGULAR = {"be": "is", "have": "has", "do": "does", "go": "goes"}
POINTER = re.compile(
    r"\((?:see|as in|cf\.?) [^)]*\)|\bsee (?:the )?[\w ]{0,30}\b(?:below|above)\b[^.:;]*[.:;]?|"
    r"\b(?:as )?(?:shown|described) (?:below|above)\b",
    re.I,
)
# An example that runs to the end of a question ("What is the impact of ..., for example, SME with global company?"),
# which the question's order is turned without
TRAILING_EXAMPLE = re.compile(r",\s+(?:for example|for instance|e\.g\.),?\s+[^,;]*?(?=\?$)", re.I)
EXAMPLE = re.compile(r"\s*\((?:e\.g\.|i\.e\.|for example|an example)[^)]*\)", re.I)
SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z'‘“])")
# Where a long sentence may be cut and still say its main thing.
CUTS = re.compile(
    r";|, which\b|, so that\b| so that\b|, and also\b| and also\b| – |, as well as\b|, but\b|, for example\b|:"
)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def base(word: str) -> str | None:
    """The imperative of a verb form ("defined" -> "define", "clarified" -> "clarify", "planning" -> "plan")."""
    w = word.lower()
    candidates = [w]
    for suffix, repl in (("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("en", ""), ("en", "e")):
        if w.endswith(suffix):
            stem_ = w[: -len(suffix)]
            candidates += [stem_ + repl, stem_[:-1] + repl if len(stem_) > 2 and stem_[-1] == stem_[-2] else ""]
    candidates += {"made": ["make"], "set": ["set"], "kept": ["keep"], "put": ["put"]}.get(w, [])
    return next((c for c in candidates if c in VERBS), None)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def finish(text: str) -> str:
    text = re.sub(r"\s+([.,;:?!])", r"\1", re.sub(r"\s+", " ", text)).strip(" ,;:–-")
    text = re.sub(r"(?:[ ,;]+(?:and|or))+$", "", text)
    return text if text.endswith(("?", ".", "!")) else text + "."


def third_person(verb: str) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + ("es" if re.search(r"(?:s|sh|ch|x|o)$", verb) else "s")


def plural(subject: str) -> bool:
    head = subject.split(",")[0].split(" of ")[0].split()[-1].lower()
    return " and " in subject.split(",")[0] or (head.endswith("s") and not head.endswith("ss"))


def lowered(subject: str) -> str:
    first = subject.split()[0]
    return subject if len(first) > 1 and first.isupper() else subject[:1].lower() + subject[1:]


def imperative(sentence: str, prose: bool = False) -> str | None:
    """The sentence as an instruction, when its form allows one. In running prose (not a list) a
    sentence opening on a gerund is its subject ("Thinking about X usually fails"), and a verb followed
    by a comma is a phrase ("Put simply, ..."), so neither reads as an instruction there. An instruction
    whose object points back ("Identify these customers", from "These customers need to be identified")
    leans on the sentence before, and is none on its own."""
    made = instruction(sentence, prose)
    words = made.split() if made else []
    return None if len(words) > 1 and words[1].lower() in ANAPHORA else made


def instruction(sentence: str, prose: bool) -> str | None:
    s = sentence.strip()
    words = s.split()
    if prose and words and ("," in " ".join(words[:3]) or words[0].lower().endswith("ing")):
        return None
    if len(words) > 2 and words[0].lower().endswith("ly") and words[1].lower() in VERBS:
        return s  # "Clearly document the process"
    first = words[0].lower().strip("'\"‘“(") if words else ""
    if len(words) > 1 and words[1].lower() in ANAPHORA:
        return None  # "Identify these customers ...": it leans on the sentence before
    if first in VERBS and not s.endswith("?") and (len(words) < 2 or words[1] != "of") and not APPOSITION.match(s):
        return s
    m = next((m for p in (LEADING_PHRASE, SHORT_LEADING_PHRASE) if (m := p.match(s)) and m["verb"] in VERBS), None)
    if m and not prose:
        return instruction(capital(s[m.start("verb") :]), prose)  # "On the contrary, ensure ..." -> "Ensure ..."
    if (m := NEED_TO.match(s)) and m["rest"].split()[0] in VERBS:
        return capital(m["rest"])
    if m := IMPORTANT.match(s):
        return capital(m["rest"])
    if m := IMPORTANT_THAT.match(s):
        return f"Ensure that {m['rest']}"
    if m := THERE_BE.match(s):
        return f"Avoid {m['rest']}" if m["neg"] else f"Ensure there is {m['rest']}"
    if (
        (m := PASSIVE.match(s))
        and (verb := base(m["verb"]))
        and len(m["subject"].split()) <= 8
        and not CLAUSE_IN_SUBJECT.search(m["subject"])
    ):
        rest = m["rest"]
        if (more := re.match(r"and (\w+)\b(.*)$", rest)) and (second := base(more[1])):
            verb, rest = f"{verb} and {second}", more[2].strip()
        return f"{capital(verb)} {lowered(m['subject'])} {rest}".strip()
    if (
        (m := ACTIVE.match(s))
        and (verb := base(m["verb"]))
        and len(m["subject"].split()) <= 10
        and m["subject"].lower() not in PRONOUN  # "They should be ARCI": who they are is in the sentence before
    ):
        subject = m["subject"]
        if verb == "be":
            verb = "are" if plural(subject) else "is"
        elif not plural(subject):
            verb = third_person(verb)
        return f"Ensure {lowered(subject)} {verb} {m['rest']}"
    if not prose and words[1:2] == ["of"] and words[0][:1].isupper() and not FINITE.search(SUBORDINATE.split(s)[0]):
        return f"Agree the {lowered(s)}"  # "Transfer of IP generated ..." names a matter to settle
    if (
        first.endswith("ing")
        and (verb := base(first))
        and not FINITE.search(SUBORDINATE.split(s)[0])
        and words[1:2] != ["of"]
    ):
        words = s.split()
        out = [capital(verb)]
        for i, w in enumerate(words[1:], 1):  # "Understanding and respecting" -> "Understand and respect"
            if w.endswith("ing") and words[i - 1] in ("and", "or") and (v := base(w)):
                out.append(v)
            else:
                out.append(w)
        return " ".join(out)
    if m := IS_THERE.match(s):
        return f"Check whether there {m['verb'].lower()} {m['rest']}."
    if JOINED_CLAUSE.search(s):
        return None  # "Who is approaching whom, and coordination is the main aspect.": two clauses, no one question
    if m := WH_SUBJECT.match(s.split(";")[0].rstrip("?") + "?"):
        inverted = (
            COPULA_FIRST.match(m["rest"]) if not re.search(r"\b(?:what|who)\b", m["rest"]) else None
        )  # "What are the risks?" -> "what the risks are"
        rest = m["rest"]
        if not inverted and COPULA_FIRST.match(rest):
            return None  # "What is the value you gain and what is the value you keep?" stays a question to answer
        if inverted and inverted["rest"].split()[0] in PRONOUN:  # "are you contracting" -> "you are contracting"
            head, _, tail = inverted["rest"].partition(" ")
            rest = f"{head} {inverted['verb']} {tail}"
        elif inverted:
            rest = f"{inverted['rest']} {inverted['verb']}"
        return f"Agree {m['wh'].lower()} {rest}."
    return None


def shortened(text: str, limit: int = MAX_WORDS) -> str | None:
    """The text within `limit` words, cut where a clause ends; None when no cut keeps it whole."""
    if len(text.split()) <= limit:
        return text
    text = EXAMPLE.sub("", text)
    if len(text.split()) <= limit:
        return text
    cuts = [m for m in CUTS.finditer(text) if MIN_WORDS <= len(text[: m.start()].split()) <= limit]
    clauses = [m for m in cuts if m.group() == ";"]  # a semicolon ends a clause that stands alone
    return text[: (clauses or cuts)[0 if clauses else -1].start()] if cuts else None


def action(point: str, subs: list[str] | None = None, prose: bool = False) -> str | None:
    """The point (and its sub-points) as one checkable action of at most MAX_WORDS words, or None;
    `prose` when the text is a sentence of running prose rather than a list item."""
    text = SIDE_NOTE.sub("", POINTER.sub("", point))
    questions = []
    for n, sentence in enumerate(asked(TRAILING_EXAMPLE.sub("", s)) for s in sentences(text)):
        if n and BACK_REFERENCE.search(sentence):
            continue  # "Define a pilot to test if these rules work": which rules is in the sentence before
        if sentence.endswith(":") and subs:  # a lead-in: the action with its items when they fit
            lead = imperative(sentence[:-1])
            if lead:
                whole = f"{lead}: {'; '.join(finish(s).rstrip('.') for s in subs)}"
                return finish(whole if len(whole.split()) <= MAX_WORDS else strip_lead(lead))
            continue
        found = imperative(sentence, prose)
        if found and (short := shortened(found)):
            if found.endswith("?") or short.endswith("?"):
                questions.append(short)
                continue
            return finish(short)
        if sentence.endswith("?") and (short := shortened(sentence)):
            questions.append(short)
    return finish(questions[0]) if questions else None


def asked(sentence: str) -> str:
    """A question written with a full stop ("Under what circumstances can it be broken immediately.") ends on
    its question mark."""
    unmarked = sentence.endswith(".") and UNMARKED_QUESTION.match(sentence) and not JOINED_CLAUSE.search(sentence)
    return sentence[:-1] + "?" if unmarked else sentence


def actions(point: str, subs: list[str] | None = None, prose: bool = False) -> list[str]:
    """Every checkable action a point gives: its action, then each later instruction it states in a
    sentence of its own ("Define insights at this point ... Agree on important KPIs ..." gives both)."""
    first = action(point, subs, prose)
    if first is None:
        return []
    out = [first]
    for sentence in sentences(POINTER.sub("", point))[1:]:
        if BACK_REFERENCE.search(sentence):
            continue
        found = imperative(sentence, prose)
        short = shortened(found) if found and not sentence.endswith(("?", ":")) else None
        if short and (done := finish(short)) not in out:
            out.append(done)
    return out


def strip_lead(lead: str) -> str:
    """'Include an exit strategy in the contract detailing the following' -> '... in the contract'."""
    return re.sub(r",?\s+(?:detailing|including|covering|namely|such as|as follows|for)\b.*$", "", lead) or lead
