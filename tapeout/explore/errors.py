"""Errors of design-space exploration."""

from __future__ import annotations

from tapeout.errors import ConfigError, TapeoutError


class SpaceError(ConfigError):
    """A space file that is malformed or names keys, stages or values that do not exist: exit status 2."""


class ExploreError(TapeoutError):
    """An exploration that cannot go on (e.g. the executor cannot start): exit status 1."""
