"""The app's cold start to its first answer, in one fresh process (timed whole by `evals.bench`).

    python -m evals.app_start ["question"]

The app script is run as a browser session runs it (Streamlit's AppTest): the page is drawn, the
question is put in the chat box, and the process ends once the cited answer is drawn. The index must
already be built (the bench ingests first); the page then only checks it, as a restarted server does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app_streamlit.py"
QUESTION = "What should we check in due diligence?"
TIMEOUT = 120  # seconds for one script run; a cold start is far below it


def main() -> None:
    question = sys.argv[1] if len(sys.argv) > 1 else QUESTION
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    app.run()
    app.chat_input[0].set_value(question).run()
    answers = [m for m in app.chat_message if m.name == "assistant"]
    if app.exception or not answers or "[1]" not in answers[-1].markdown[0].value.replace("\\", ""):
        raise SystemExit(f"no cited answer: {app.exception or 'none drawn'}")


if __name__ == "__main__":
    main()
