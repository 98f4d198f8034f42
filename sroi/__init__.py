"""SROI evidence pipeline: shared vocabulary, home folder, command line."""

__version__ = "0.1.0"
