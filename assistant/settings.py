"""The one settings object, as the assistant's callers import it (defined in `ingest.settings`)."""

from ingest.settings import Settings

__all__ = ["Settings"]
