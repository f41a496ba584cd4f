"""Every table, imported so the metadata and the audit registry are complete.

Each registered capability declares its model modules; the core's and the demo's are the
shell's own.
"""

from types import ModuleType

from coalition.capabilities import REGISTERED
from coalition.core import audit
from coalition.demo.capability import CAPABILITY as DEMO

MODULES: list[ModuleType] = [
    audit,
    *(module for capability in [*REGISTERED, DEMO] for module in capability.models),
]
