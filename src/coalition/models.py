"""Every table, imported so the metadata is complete, and nothing else of the capabilities.

Each registered capability declares its model modules (``Capability.models``); they are
named here as well, so that loading the tables does not load the capabilities' routes,
pages, solvers and checks with them: a command that only writes rows (an import) starts
with the tables alone, some 60 MB lighter. ``tests/test_models.py`` checks that this list
names exactly the model modules the capabilities and the demo declare.
"""

import importlib
from types import ModuleType

from coalition.core import audit

TABLE_MODULES = (
    "coalition.members.model",
    "coalition.meetings.model",
    "coalition.commitments.model",
    "coalition.decisions.model",
    "coalition.forcegen.model",
    "coalition.ceasefire.model",
    "coalition.sanctions.model",
    "coalition.situation.model",
    "coalition.briefings.model",
    "coalition.imports.model",
    "coalition.demo.model",
)

MODULES: list[ModuleType] = [audit, *(importlib.import_module(name) for name in TABLE_MODULES)]
