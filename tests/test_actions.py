"""Points phrased as checkable actions, and drafting requests read for their parties and purpose:
pure text rules, checked on examples written for these tests."""

from __future__ import annotations

import pytest

from assistant.actions import MAX_WORDS, action
from assistant.clauses import purpose_phrase
from assistant.request import parties_in, purpose_in


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("Agree a shared escalation route with the supplier.", "Agree a shared escalation route with the supplier."),
        ("It is therefore important to fix the audit dates early.", "Fix the audit dates early."),
        ("The pricing model should be clarified before launch.", "Clarify the pricing model before launch."),
        ("Understanding and respecting the other side's culture.", "Understand and respect the other side's culture."),
        ("Is there a budget owner for the pilot?", "Check whether there is a budget owner for the pilot."),
        ("What are the main risks?", "Agree what the main risks are."),
        ("What happens to shared tooling?", "Agree what happens to shared tooling."),
        ("Who are you negotiating with; is it the buyer?", "Agree who you are negotiating with."),
        ("There should not be hidden side deals.", "Avoid hidden side deals."),
        ("Train the field teams (see case 3).", "Train the field teams."),
        ("See the risk model below: risk and issue differ.", None),
        ("Partnerships usually take longer than planned.", None),
        ("Establishing a joint roadmap can be hard in a volatile market.", None),
        # a question written with a full stop is still one, and a remark in brackets after it is left out
        (
            "Under what circumstances can the lease be ended early.",
            "Under what circumstances can the lease be ended early?",
        ),
        ("Why would the supplier share its data? (Matters for the pilot.)", "Why would the supplier share its data?"),
        # a question whose order cannot be turned ("what is ... and what is ...") stays a question to answer
        (
            "What is the cost we carry and what is the cost they carry?",
            "What is the cost we carry and what is the cost they carry?",
        ),
        # a matter named as a noun stands for agreeing it
        ("Transfer of tooling built for the pilot.", "Agree the transfer of tooling built for the pilot."),
        ("Points of contact are listed in the annex.", None),
        # a question word opening two clauses joined by a comma asks no one question
        ("Who is leading the bid, and cost is the main issue.", None),
        # a scene set before the verb, "need to", and what a subject should or must do
        ("In workshops agree the agenda first.", "Agree the agenda first."),
        ("Need to agree the budget owner before launch.", "Agree the budget owner before launch."),
        ("The steering group should have a clear mandate.", "Ensure the steering group has a clear mandate."),
        ("Partners should be open about costs.", "Ensure partners are open about costs."),
        ("They should be on the board.", None),
        # an example running to the end of a question is left out of the action made of it
        (
            "What is the cost of the pilot for you, for example, hardware and travel?",
            "Agree what the cost of the pilot for you is.",
        ),
    ],
)
def test_a_point_becomes_one_plain_action(point, expected):
    assert action(point) == expected


def test_a_lead_in_takes_its_items_when_they_fit_and_its_own_action_when_not():
    assert (
        action("Define a clear owner for:", ["the pricing and;", "the service levels."])
        == "Define a clear owner for: the pricing; the service levels."
    )
    long_items = [f"a sub-point with several words in it, number {n}" for n in range(5)]
    assert action("Include a handover plan in the contract detailing the following:", long_items) == (
        "Include a handover plan in the contract."
    )


def test_a_long_point_is_cut_where_a_clause_ends_never_mid_clause():
    point = (
        "Define the service levels for each region in the first quarter of the programme; there is a risk that "
        "the regions drift apart in how they measure uptime and response times over the years."
    )
    short = action(point)
    assert short == "Define the service levels for each region in the first quarter of the programme."
    assert len(short.split()) <= MAX_WORDS


@pytest.mark.parametrize(
    ("request_text", "parties", "purpose"),
    [
        (
            "Draft an MoU between Osprey Freight & Co and Lumen Data Ltd to offer predictive maintenance.",
            ["Osprey Freight & Co", "Lumen Data Ltd"],
            "to offer predictive maintenance",
        ),
        (
            "could you put together a memorandum for Harbour Bank and Tidewater Insurance? we're teaming up to "
            "sell flood cover to small firms",
            ["Harbour Bank", "Tidewater Insurance"],
            "to sell flood cover to small firms",
        ),
        ("Draft MoU clauses for us and our dealer about guaranteed uptime", [], "guaranteed uptime"),
        ("Write an MoU", [], None),
        (
            "Draft a memorandum of understanding between Acme Robotics GmbH and Blue Fjord AS. The aim is to "
            "jointly offer robot maintenance to hospitals.",
            ["Acme Robotics GmbH", "Blue Fjord AS"],
            "to jointly offer robot maintenance to hospitals",
        ),
        (
            "We need an MoU with Harlow Foods Ltd for a joint cold-chain delivery service",
            ["Harlow Foods Ltd"],
            "a joint cold-chain delivery service",
        ),
        (
            "MoU please: Stellar Mobile plc & Orbit Tower Co, shared rural mast network",
            ["Stellar Mobile plc", "Orbit Tower Co"],
            "shared rural mast network",
        ),
        (
            "can you write up a memorandum of understanding for us (Pinewood Media) and Castle Print Ltd? the purpose "
            "is a joint print-and-digital ad package",
            ["Pinewood Media", "Castle Print Ltd"],
            "a joint print-and-digital ad package",
        ),
        (
            "write me a memo of understanding - parties are Fenwick Bank and Coral Pay Ltd, purpose: instant payouts",
            ["Fenwick Bank", "Coral Pay Ltd"],
            "instant payouts",
        ),
        (
            "Our firm is partnering with Greenloop Recycling Ltd to run a take-back service. Can you draft the MoU?",
            ["Greenloop Recycling Ltd"],
            "to run a take-back service",
        ),
        (
            "draft mou between 'Sunrise Solar' and 'Helio Finance' to offer leasing",
            ["Sunrise Solar", "Helio Finance"],
            "to offer leasing",
        ),
        ("need an mou for Brightwater & Lowe and Ostrander AG asap", ["Brightwater & Lowe", "Ostrander AG"], None),
        # a legal form's full stop stays with the name, and a name may end on one
        (
            "MoU please: Harbour Tools Co. and Lark Systems s.r.o. are teaming up to share a service desk.",
            ["Harbour Tools Co.", "Lark Systems s.r.o."],
            "to share a service desk",
        ),
        (
            "We need an MoU between Tarrow Mills Ltd and Fenner Data Co. - the aim is to share a parts depot.",
            ["Tarrow Mills Ltd", "Fenner Data Co."],
            "to share a parts depot",
        ),
        # a name opening on "the", as typed
        (
            "draft an MoU between the University of York and Redwing GmbH to run a joint lab",
            ["the University of York", "Redwing GmbH"],
            "to run a joint lab",
        ),
        # "+" between the parties: a name may then hold "and"
        (
            "mou please: Hale and Dorr Consulting + Pike Analytics, purpose is a shared data service",
            ["Hale and Dorr Consulting", "Pike Analytics"],
            "a shared data service",
        ),
        # legal forms written with full stops
        (
            "write a memorandum for Osaka Sensors K.K. and Lima Agro S.A. so we can sell irrigation kits",
            ["Osaka Sensors K.K.", "Lima Agro S.A."],
            "to sell irrigation kits",
        ),
        # who the second party is, said before its name
        (
            "prepare an MoU between Brook & Sons Tools and its distributor, Cole Brothers Hire, to offer uptime "
            "contracts",
            ["Brook & Sons Tools", "Cole Brothers Hire"],
            "to offer uptime contracts",
        ),
        (
            "Our board wants an MoU signed first. Parties are Kivi Robotics Oy and Marlow Stores Group; purpose: "
            "automated picking",
            ["Kivi Robotics Oy", "Marlow Stores Group"],
            "automated picking",
        ),
    ],
)
def test_a_drafting_request_gives_its_parties_and_purpose(request_text, parties, purpose):
    assert parties_in(request_text) == parties
    assert purpose_in(request_text) == purpose


def test_a_purpose_reads_after_the_clause_wording():
    assert purpose_phrase("jointly run a fleet service") == "to jointly run a fleet service"
    assert purpose_phrase("guaranteed machine uptime") == "guaranteed machine uptime"
    assert purpose_phrase("to sell cover.") == "to sell cover"


def test_an_instruction_whose_object_points_back_is_no_action_on_its_own():
    from assistant.actions import imperative

    assert imperative("These customers need to be identified early on.") is None  # which customers?
    assert imperative("Exit scenarios need to be defined early.") == "Define exit scenarios early."


def test_a_point_gives_each_instruction_it_states_and_none_that_leans_on_the_one_before():
    from assistant.actions import actions

    assert actions("Set the scope at this point (several factors). Agree the KPIs for the pilot to go ahead.") == [
        "Set the scope at this point (several factors).",
        "Agree the KPIs for the pilot to go ahead.",
    ]
    # "these prices" are the sentence before's: the second sentence is no action on its own
    assert actions("In the contract put the prices. Define a review to test if these prices hold.") == [
        "Put the prices."
    ]
    assert action("On the contrary, ensure that the workflow stays flexible.") == (
        "Ensure that the workflow stays flexible."
    )
    assert action("Pricing principles, namely, rules to settle disputes.") is None
    assert action("Includes market access, shared risk, common interest.") is None
