"""Handrail's assistant: question -> retrieved passages -> grounded, cited answer."""
