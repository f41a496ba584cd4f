"""Commands declared by name and help, and the group that imports one only when it is used.

A capability declares its commands in its ``cli.py`` as :class:`Command` and
:class:`CommandGroup` entries: the name typed, where the command lives (``"module:attribute"``)
and its help. :class:`LazyGroup` lists them from these declarations, so ``coalition --help``
imports no capability, and imports a command's module when that command is resolved, to
run or to show its own help. This module imports typer, nothing of the application.

Typer 0.29 builds its commands on its own copy of click, ``typer._click`` (the ``click``
package installed beside it is another copy, whose classes these are not), so the click
types named here are that copy's.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import typer
import typer.main
from typer import _click as click
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class CommandGroup:
    """A ``coalition <name> ...`` group of commands: a ``typer.Typer`` at ``target``."""

    name: str
    target: str
    help: str


@dataclass(frozen=True)
class Command:
    """One command, at the top level or under a shared group (``import``, ``export``).

    ``target`` names the function (``"coalition.ceasefire.commands:import_reports"``);
    ``help`` is its docstring, which the listing shows before the function is imported.
    """

    name: str
    target: str
    help: str
    under: str | None = None


Declared = Command | CommandGroup


def build(entry: Declared) -> click.Command:
    """Import what ``entry`` names and build its click command as Typer would in place."""
    module, _, attribute = entry.target.partition(":")
    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer()
    if isinstance(entry, CommandGroup):
        holder.add_typer(target, name=entry.name)
    else:
        holder.command(entry.name)(target)
    return typer.main.get_group(holder).commands[entry.name]


def _first(before: Callable[[], None], callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        before()
        return callback(*args, **kwargs)

    return run


def before_each_run(command: click.Command, before: Callable[[], None]) -> None:
    """Have ``before`` called when any command under ``command`` runs (not for ``--help``)."""
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            before_each_run(sub, before)
    elif command.callback is not None:
        command.callback = _first(before, command.callback)


class LazyGroup(TyperGroup):
    """A group that lists declared commands by name and help, and imports one when used.

    Until a declared command is resolved, the group holds a stand-in that carries only its
    name and help: enough for the group's ``--help`` and for "did you mean" on a typo.
    Resolving it (to run it, or to show its own ``--help``) imports its module and puts
    the real command in the stand-in's place. Commands are listed as Typer lists them:
    commands before groups, declared ones before the group's own commands, its own groups
    before declared ones.
    """

    def __init__(
        self,
        *,
        declared: Sequence[Declared],
        before_run: Callable[[], None],
        commands: dict[str, click.Command] | Sequence[click.Command] | None = None,
        **attrs: Any,
    ) -> None:
        super().__init__(commands=commands, **attrs)
        own = dict(self.commands)
        self.before_run = before_run
        self.unloaded: dict[str, Declared] = {entry.name: entry for entry in declared}
        standing_in = {entry.name: TyperCommand(entry.name, help=entry.help) for entry in declared}
        groups = {n for n, entry in self.unloaded.items() if isinstance(entry, CommandGroup)}
        self.commands = {
            **{n: c for n, c in standing_in.items() if n not in groups},
            **{n: c for n, c in own.items() if not isinstance(c, TyperGroup)},
            **{n: c for n, c in own.items() if isinstance(c, TyperGroup)},
            **{n: c for n, c in standing_in.items() if n in groups},
        }

    def load(self, name: str) -> click.Command:
        """The real command ``name``, imported now if it has not been yet."""
        entry = self.unloaded.pop(name, None)
        if entry is not None:
            command = build(entry)
            before_each_run(command, self.before_run)
            self.commands[name] = command
        return self.commands[name]

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] in self.unloaded:
            self.load(args[0])
        return super().resolve_command(ctx, args)


def lazy_group(declared: Sequence[Declared], before_run: Callable[[], None]) -> type[TyperGroup]:
    """A group class for ``typer.Typer(cls=...)`` that adds ``declared`` to its commands.

    ``before_run`` is called before any of them runs: the command line uses it to load the
    whole application (every table, every audit check), as importing it eagerly once did.
    """
    entries = tuple(declared)

    class Declaring(LazyGroup):
        def __init__(self, **attrs: Any) -> None:
            super().__init__(declared=entries, before_run=before_run, **attrs)

    return Declaring
