"""Ceasefire monitoring: agreements, reports as received, incidents, statistics, imports."""
