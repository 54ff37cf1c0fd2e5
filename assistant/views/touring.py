"""The tour view: the partnership process stop by stop, then a self-check."""

from __future__ import annotations

import streamlit as st

from assistant.answer import Assistant
from assistant.tour import self_check, tour
from assistant.views.common import text, where


def tour_view(assistant: Assistant) -> None:
    stops = tour(assistant.retriever)
    state = st.session_state
    at = state.setdefault("tour_stop", 0)
    st.progress((at + 1) / (len(stops) + 1), f"Step {at + 1} of {len(stops) + 1}")
    if at < len(stops):
        stop = stops[at]
        st.header(stop.title)
        if stop.purpose:
            st.markdown(f"**What it is for.** {text(stop.purpose.quote)}")
            st.caption(f"{text(stop.purpose.chunk.title)}, p. {stop.purpose.page}")
        if stop.steps:
            st.markdown("**Its steps:** " + text(" → ".join(stop.steps)))
        if stop.points:
            st.markdown("**Key points to consider**")
            for c in stop.points:
                st.markdown(f"- {text(c.quote)} *({text(c.chunk.label)}, p. {c.page})*")
        if stop.case and stop.case_story:
            st.markdown(f"**A case that illustrates it: case {stop.case}.** {text(stop.case_story.quote)}")
            if stop.case_lesson:
                st.markdown(f"Lesson learnt: {text(stop.case_lesson.quote)} {where(stop.case_lesson)}")
    else:
        st.header("Check yourself")
        questions = self_check(assistant.retriever)
        with st.form("self-check"):
            picks = [st.radio(q.prompt, q.options, index=None, key=f"check-{n}") for n, q in enumerate(questions)]
            if st.form_submit_button("Check my answers"):
                right = sum(p == q.answer for p, q in zip(picks, questions, strict=True))
                st.markdown(f"**{right} of {len(questions)} right.**")
                for p, q in zip(picks, questions, strict=True):
                    verdict = "Right" if p == q.answer else f"The answer is {q.answer}"
                    st.markdown(f"- {text(verdict)}: “{text(q.evidence.quote)}” {where(q.evidence)}")
    back, forward = st.columns(2)
    if back.button("Previous", disabled=at == 0):
        state.tour_stop = at - 1
        st.rerun()
    if forward.button("Next", disabled=at >= len(stops)):
        state.tour_stop = at + 1
        st.rerun()
