"""Error classes and the exit codes every command shares (constants, documented in the README)."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class ScreenerError(Exception):
    """A problem the user can fix (bad input, bad rule, missing file): shown as one line, exit 2."""


class InputError(ScreenerError):
    """Input file or column problems."""


class RuleError(ScreenerError):
    """A rule file that does not validate."""
