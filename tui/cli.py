"""The ``crosscheck`` command: the app, and subcommands for scripting (``--json`` everywhere)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui import __version__
from tui.commands import COMMANDS, CommandError, Context
from tui.core.sanitize import clean_text

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser: global options plus one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="crosscheck",
        description="Read many reports of the same events: copies, stories, entities, figures.",
        epilog="Run 'crosscheck [PATH]' to open the app, or a command below for scripting.",
    )
    parser.add_argument("--version", action="version", version=f"crosscheck {__version__}")
    _add_globals(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, configure, _run) in COMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        _add_globals(child, argparse.SUPPRESS)
        configure(child)
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
        args = build_parser().parse_args(args_list)
        runner = COMMANDS[args.command][2]
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
        return arg not in COMMANDS
    return True


def _run_app(ctx: Context) -> int:
    """Open the Textual app on the library."""
    root = ctx.library_path(ctx.args.path)
    from tui.app.main import run_app  # imported late: the scripting commands never load Textual

    return run_app(ctx, root)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

