"""Finding one's way in the app: the view in the URL, and the sidebar closed on a phone after a choice.

st.radio("View", list(VIEWS), key="view", on_change=view_chosen)
st.button("New conversation", on_click=chose)
close_sidebar_on_phone()   # at the sidebar's end, on the run after a choice
"""

from __future__ import annotations

import streamlit as st

VIEWS = {"Chat": "chat", "Draft": "draft", "Learn the process": "learn"}  # the view as the URL names it


def view_chosen() -> None:
    chose()
    for key in ("view", "stop", "draft"):  # another view's place is not this one's
        st.query_params.pop(key, None)
    if st.session_state.view != "Chat":
        st.query_params["view"] = VIEWS[st.session_state.view]


def chose() -> None:
    """A choice was made in the sidebar (counted, so that each choice's closing script is a new one)."""
    st.session_state.choices = st.session_state.get("choices", 0) + 1
    st.session_state.chose = True


# On a phone the sidebar lies over the page; after a choice it closes, as a phone's menus do. Streamlit
# has no call for it, so its own collapse button is pressed, only when the window is phone-narrow
# (Streamlit's own breakpoint for the overlaid sidebar).
PHONE_WIDTH_PX = 768
CLOSE_SIDEBAR = """<script>/* choice {n} */
if (window.matchMedia("(max-width: {w}px)").matches) {{
  window.parent.document.querySelector("[data-testid='stSidebarCollapseButton'] button")?.click();
}}
</script>"""


def close_sidebar_on_phone() -> None:
    script = CLOSE_SIDEBAR.format(n=st.session_state.get("choices", 0), w=PHONE_WIDTH_PX)
    st.html(script, unsafe_allow_javascript=True)
