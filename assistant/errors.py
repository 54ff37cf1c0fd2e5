"""The failures Handrail reports, as the assistant's callers import them (defined in `ingest.errors`)."""

from ingest.errors import HandrailError, RuntimeFault, UserError

__all__ = ["HandrailError", "RuntimeFault", "UserError"]
