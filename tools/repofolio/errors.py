"""The one error type that reaches the user as a one-line message and exit code 2."""

from __future__ import annotations


class FolioError(Exception):
    """A problem the user must fix (bad config, bad arguments, unreadable file).

    The CLI prints ``str(error)`` on one line to stderr and exits 2; never a traceback.
    """

    exit_code = 2
