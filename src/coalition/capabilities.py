"""The registered capabilities, in the order a reader works through them.

Adding a capability is one line here. ``api.py``, ``models.py``, the navigation, the demo
and the marking matrix loop over ``REGISTERED``; the command line, which must start without
importing them, lists each capability's ``cli.COMMANDS`` in ``cli.DECLARED`` (a test checks
that it names the same commands as ``REGISTERED``).
"""

from coalition.briefings import capability as briefings
from coalition.ceasefire import capability as ceasefire
from coalition.commitments import capability as commitments
from coalition.core.capability import Capability, install_audit_checks, install_importers
from coalition.decisions import capability as decisions
from coalition.forcegen import capability as forcegen
from coalition.imports import capability as imports
from coalition.meetings import capability as meetings
from coalition.members import capability as members
from coalition.sanctions import capability as sanctions
from coalition.situation import capability as situation

REGISTERED: list[Capability] = [
    members.CAPABILITY,
    meetings.CAPABILITY,
    commitments.CAPABILITY,
    decisions.CAPABILITY,
    forcegen.CAPABILITY,
    ceasefire.CAPABILITY,
    sanctions.CAPABILITY,
    situation.CAPABILITY,
    briefings.CAPABILITY,
    imports.CAPABILITY,
]

install_audit_checks(REGISTERED)
install_importers(REGISTERED)
