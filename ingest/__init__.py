"""Handrail's ingest: files -> clean text -> structure -> chunks -> embeddings -> index."""
