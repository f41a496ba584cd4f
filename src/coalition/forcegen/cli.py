"""Force generation's commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import CommandGroup

COMMANDS = (
    CommandGroup(
        "forcegen",
        "coalition.forcegen.commands:forcegen_app",
        "Force generation: scenarios and plans.",
    ),
)
