"""The briefings' commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import CommandGroup

COMMANDS = (
    CommandGroup(
        "briefing",
        "coalition.briefings.commands:briefing_app",
        "The daily report and the summit pack, as HTML or PDF, for one reader.",
    ),
)
