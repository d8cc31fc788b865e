"""The ``dupscan`` command.

Each sub-command lives in its own module of this package with two functions:
``register(subparsers)`` adds its parser and ``run(args) -> int`` does the work
through the public API. Only this package prints.

Exit codes
----------
0  success
1  failure (an error stopped the command)
2  usage error (bad arguments, missing input)
3  completed, but some files were skipped (listed in the output)
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from dupscan.errors import ConfigError, DupscanError

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "main", "run"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3

# order is the order shown in --help
_COMMANDS = ("scan", "segment", "compare", "audit", "generate", "evaluate", "demo")


def build_parser() -> argparse.ArgumentParser:
    from dupscan import __version__

    parser = argparse.ArgumentParser(
        prog="dupscan",
        description="Find text re-entered across the forms of a case record and "
        "estimate the recording time it costs.",
        epilog="Exit codes: 0 success, 1 failure, 2 usage error, 3 completed with skipped files.",
    )
    parser.add_argument("--version", action="version", version=f"dupscan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"dupscan.cli.{name}")
        except ModuleNotFoundError as exc:  # a command not present in this build
            if exc.name != f"dupscan.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """The ``dupscan`` command (and ``python -m dupscan``): :func:`main` in a process
    that is dupscan's own, so that spaCy is imported without torch there as in the
    workers (see :mod:`dupscan._own_process`). With the ``st`` extra installed, a
    scan with ``--workers 1`` reads its files in this process: scanning the bundled
    corpus so took 4.4-5.2 s instead of 7.0-7.9 s, and it now runs within 2 GiB of
    address space. :func:`main`, called from a program of your own, leaves its
    process as it is."""
    from dupscan._own_process import claim

    claim()
    return main(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"dupscan {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DupscanError as exc:
        print(f"dupscan {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"dupscan {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # the disk filled up or a folder vanished: say so, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"dupscan {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
