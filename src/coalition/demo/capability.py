"""The illustrative scenario: its command, its record of being loaded, its page banner."""

from coalition.core.capability import Capability, Command
from coalition.demo import model, service
from coalition.demo.commands import demo

# Not a capability of the coalition's record: the part of the shell that fills the others
# with the demonstration scenario, and marks every page while it is loaded.
CAPABILITY = Capability(
    name="demo",
    commands=(Command("demo", demo),),
    models=(model,),
    banner=service.shows_banner,
)
