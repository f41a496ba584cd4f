"""Every capability's tables, imported so the metadata and the audit registry are complete."""

from coalition.ceasefire import model as ceasefire_model  # noqa: F401
from coalition.commitments import model as commitments_model  # noqa: F401
from coalition.core import audit  # noqa: F401
from coalition.decisions import model as decisions_model  # noqa: F401
from coalition.demo import model as demo_model  # noqa: F401
from coalition.forcegen import model as forcegen_model  # noqa: F401
from coalition.meetings import model as meetings_model  # noqa: F401
from coalition.members import model as members_model  # noqa: F401
