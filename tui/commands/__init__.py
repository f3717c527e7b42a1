"""Subcommands of the ``crosscheck`` CLI, registered in :data:`COMMANDS`."""

from __future__ import annotations

from tui.commands.base import CommandError, Context
from tui.commands.registry import COMMANDS

__all__ = ["COMMANDS", "CommandError", "Context"]
