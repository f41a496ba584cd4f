"""The members' commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import CommandGroup

COMMANDS = (
    CommandGroup("users", "coalition.members.commands:users_app", "User accounts and API tokens."),
)
