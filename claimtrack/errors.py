"""The project's exceptions. The CLI turns each into one message on stderr and its exit code."""


class ClaimtrackError(Exception):
    """The user's input or the data is wrong; the message says what, and how to fix it."""

    exit_code = 1


class InvalidInput(ClaimtrackError):
    """A value given on the command line or in a file is not acceptable."""


class NotFound(ClaimtrackError):
    """A claim, actor or source named by the user does not exist."""


class RefusedLink(ClaimtrackError):
    """A response link that would be a self-link, a duplicate or a cycle."""


class DatabaseProblem(ClaimtrackError):
    """The database file cannot be opened, read or written."""
