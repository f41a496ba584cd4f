"""Decisions: proposals, positions, the rules by which members agree, and outcomes."""
