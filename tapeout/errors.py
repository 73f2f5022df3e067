"""Errors that reach the user as one line and an exit status, never as a traceback."""


class TapeoutError(Exception):
    """A problem the user can fix; printed as one line. `exit_code` is the process status."""

    exit_code = 1


class ConfigError(TapeoutError):
    """A design file (or command line) that is malformed or out of range: exit status 2."""

    exit_code = 2

    def __init__(self, lines):
        if isinstance(lines, str):
            lines = [lines]
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


class UsageError(ConfigError):
    """A command line that names something that does not exist: exit status 2."""


class StageError(TapeoutError):
    """A stage that ran and failed (bad Verilog, impossible floorplan, ...): exit status 1."""


class LockedError(TapeoutError):
    """Another run holds the build directory's lock."""


class BuildDirError(TapeoutError):
    """The build directory cannot be written (read-only, not a directory, disk full, ...)."""


def os_error_reason(exc: OSError) -> str:
    """The OS's reason in lower case, as error lines print it: 'read-only file system'."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[:1].lower() + reason[1:]
