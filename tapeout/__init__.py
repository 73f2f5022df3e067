"""tapeout: a scaled-down AI accelerator from architecture to a packaged-chip estimate."""

__version__ = "0.1.0"
