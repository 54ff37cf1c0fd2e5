"""The tour view: the process at a glance, then each stage with every step, then a self-check.

Its position is in the URL (`?stop=2`), so a reload or a shared link opens the same stop. Each step's
"Ask about this" puts the step's question to the chat, where the guidance answers it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant.answer import Assistant
from assistant.tour import StepStop, Stop, self_check, tour
from assistant.views.common import text, where

SHOWN_POINTS = 3  # a step's points shown at once; the rest one click away


def position(last: int) -> int:
    """The tour stop in the URL, within the tour."""
    try:
        return min(max(int(st.query_params.get("stop", 0)), 0), last)
    except ValueError:
        return 0


def go(at: int) -> None:
    st.query_params["stop"] = str(at)


def ask_in_chat(question: str) -> None:
    """The chat view, with this question put to it."""
    st.session_state.view = "Chat"
    st.session_state.pending = question
    st.query_params.pop("stop", None)
    st.query_params.pop("view", None)


def cited(c: Any) -> str:
    return f"{text(c.quote)} *(p. {c.page})*"


def overview(stops: list[Stop]) -> None:
    st.header("The partnership process at a glance")
    st.markdown(
        "The Cambridge briefing's framework runs in five stages. Your own organisation prepares first "
        "(internal); then the partners propose, design, and manage and deliver the partnership together, "
        "with the customer in view throughout. Each stage's steps are listed in the order the briefing gives them."
    )
    for n, stop in enumerate(stops, start=1):
        st.markdown(f"**{n}. {text(stop.title)}**")
        if stop.purpose:
            st.markdown(cited(stop.purpose))
        if stop.steps:
            st.markdown(text(" → ".join(stop.step_names)))


def step(stage: str, s: StepStop) -> None:
    st.subheader(s.name)
    if s.definition:
        st.markdown(cited(s.definition))
    for c in s.points[:SHOWN_POINTS]:
        st.markdown(f"- {cited(c)}")
    if len(s.points) > SHOWN_POINTS:
        with st.expander(f"All {len(s.points)} points"):
            for c in s.points[SHOWN_POINTS:]:
                st.markdown(f"- {cited(c)}")
    if s.case is not None:
        told = [f"**Case {s.case} illustrates it.**"]
        if s.case_point:
            told.append(cited(s.case_point))
        if s.case_lesson:
            told.append(f"Lesson learnt: {text(s.case_lesson.quote)} {where(s.case_lesson)}")
        st.markdown("  \n".join(told))
    st.button("Ask about this", key=f"ask-{stage}-{s.name}", on_click=ask_in_chat, args=(s.ask,), help=s.ask)


def stage_stop(stop: Stop) -> None:
    st.header(stop.title)
    if stop.purpose:
        st.markdown(f"**What it is for.** {cited(stop.purpose)}")
    for c in stop.points:
        st.markdown(f"- {cited(c)}")
    for s in stop.steps:
        step(stop.stage, s)


def check_yourself(assistant: Assistant) -> None:
    st.header("Check yourself")
    questions = self_check(assistant.retriever)
    with st.form("self-check"):
        picks = [st.radio(q.prompt, q.options, index=None, key=f"check-{n}") for n, q in enumerate(questions)]
        if st.form_submit_button("Check my answers"):
            right = sum(p == q.answer for p, q in zip(picks, questions, strict=True))
            st.markdown(f"**{right} of {len(questions)} right.**")
            for p, q in zip(picks, questions, strict=True):
                if p == q.answer:
                    st.markdown(f"✓ **{text(q.answer)}** is right.")
                else:
                    mine = f"you chose {text(p)}" if p else "not answered"
                    st.markdown(f"✗ **{text(q.answer)}** ({mine}): “{text(q.evidence.quote)}” {where(q.evidence)}")


def tour_view(assistant: Assistant) -> None:
    stops = tour(assistant.retriever)
    last = len(stops) + 1  # the overview, each stage, the self-check
    at = position(last)
    st.progress((at + 1) / (last + 1), f"{at + 1} of {last + 1}")
    if at == 0:
        overview(stops)
    elif at <= len(stops):
        stage_stop(stops[at - 1])
    else:
        check_yourself(assistant)
    back, forward = st.columns(2)
    back.button("Previous", disabled=at == 0, on_click=go, args=(at - 1,))
    forward.button("Next", disabled=at >= last, on_click=go, args=(at + 1,))
