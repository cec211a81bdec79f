"""Exit statuses and the project's exceptions. The CLI turns each exception into one message on
stderr and its exit status, in one place (`claimtrack.cli`)."""

import sqlite3
import sys
from enum import IntEnum


class ExitStatus(IntEnum):
    """What claimtrack's exit code means (SPEC "Exit codes and errors")."""

    SUCCESS = 0
    ERROR = 1  # the input or the data is wrong
    USAGE = 2  # an unknown option, a missing argument, options that do not go together
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class ClaimtrackError(Exception):
    """The user's input or the data is wrong; the message says what, and how to fix it."""

    exit_code: ExitStatus = ExitStatus.ERROR


class InvalidInput(ClaimtrackError):
    """A value given on the command line or in a file is not acceptable."""


class NotFound(ClaimtrackError):
    """A claim, actor or source named by the user does not exist."""


class RefusedLink(ClaimtrackError):
    """A response link that would be a self-link, a duplicate or a cycle."""


class DatabaseProblem(ClaimtrackError):
    """The database file cannot be opened, read or written."""


class UsageError(ClaimtrackError):
    """The command line itself is wrong (options that do not go together, a bad option value):
    reported with the command's usage line, as the option parser reports its own errors."""

    exit_code = ExitStatus.USAGE

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option  # the option to name, as in "Invalid value for '--csv'"


def engine_errors() -> tuple[type[Exception], ...]:
    """The errors an engine raises: SQLite's, and psycopg's once a PostgreSQL database is open."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)
