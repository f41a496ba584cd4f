"""The illustrative scenario, modelled on March 2025.

Each capability loads its part of it (its ``demo.py``, declared in its registry entry);
public facts carry their source, and everything invented says so in its ``illustrative``
flag. This name records that the scenario is in a database.
"""

from __future__ import annotations

NAME = "march-2025"
