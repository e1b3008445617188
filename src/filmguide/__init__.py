"""filmguide: a spoiler-safe film guide for the terminal."""

__version__ = "0.1.0"
