"""The ``crosscheck`` command: the app, and subcommands for scripting (``--json`` everywhere)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui import __version__
from tui.commands import COMMANDS, CommandError, Context
from tui.commands.registry import command
from tui.core.sanitize import clean_text

USAGE_ERROR = 2


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: global options plus one subparser per command.

    Only the ``selected`` command's options are set up (its module imported); the others
    get their help line, which is all ``crosscheck --help`` shows. ``None`` sets up all.
    """
    parser = argparse.ArgumentParser(
        prog="crosscheck",
        description="Read many reports of the same events: copies, stories, entities, figures.",
        epilog="Run 'crosscheck [PATH]' to open the app, or a command below for scripting.",
    )
    parser.add_argument("--version", action="version", version=f"crosscheck {__version__}")
    _add_globals(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, _module) in COMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        _add_globals(child, argparse.SUPPRESS)
        if selected is None or name == selected:
            command(name)[0](child)
    return parser


def _add_globals(parser: argparse.ArgumentParser, default: object) -> None:
    """Options accepted before or after the command name."""
    group = parser.add_argument_group("global options")
    group.add_argument("--cache-dir", metavar="DIR", default=default,
                       help="where the index lives (default: the user cache dir)")
    group.add_argument("--no-cache", action="store_true", default=default,
                       help="use a throw-away index for this run")
    group.add_argument("--config", metavar="FILE", default=default,
                       help="config file (default: $CROSSCHECK_CONFIG or the user config dir)")


def app_parser() -> argparse.ArgumentParser:
    """Parser for ``crosscheck [PATH]`` (open the app)."""
    parser = argparse.ArgumentParser(prog="crosscheck", add_help=False)
    _add_globals(parser, None)
    parser.add_argument("path", nargs="?", default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: dispatch to the app or a command; user errors never show a traceback."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if _wants_app(args_list):
        args = app_parser().parse_args(args_list)
        runner: Callable[[Context], int] = _run_app
    else:
        chosen = _command_name(args_list)
        args = build_parser(chosen or "").parse_args(args_list)
        runner = command(args.command)[1]
    try:
        return runner(Context.from_args(args))
    except CommandError as exc:
        print(clean_text(f"crosscheck: {exc}"), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader of our output went away: not an error
        return 0


def _wants_app(argv: list[str]) -> bool:
    """True unless the first non-option argument names a command (or help/version is asked)."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    first = _first_word(argv)
    return first is None or first not in COMMANDS


def _command_name(argv: list[str]) -> str | None:
    """The command ``argv`` names, if it names one."""
    first = _first_word(argv)
    return first if first in COMMANDS else None


def _first_word(argv: list[str]) -> str | None:
    """The first argument that is neither an option nor a global option's value."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--cache-dir", "--config"):
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def _run_app(ctx: Context) -> int:
    """Open the Textual app on the library."""
    root = ctx.library_path(ctx.args.path)
    from tui.app.main import run_app  # imported late: the scripting commands never load Textual

    return run_app(ctx, root)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

