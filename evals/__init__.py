"""Handrail's evaluation set, metrics and report."""
