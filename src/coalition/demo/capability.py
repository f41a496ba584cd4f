"""The illustrative scenario: its command, its record of being loaded, its page banner."""

from coalition.core.capability import Capability
from coalition.demo import cli, model, service

# Not a capability of the coalition's record: the part of the shell that fills the others
# with the demonstration scenario, and marks every page while it is loaded.
CAPABILITY = Capability(
    name="demo",
    commands=cli.COMMANDS,
    models=(model,),
    banner=service.shows_banner,
)
