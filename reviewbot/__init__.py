"""reviewbot: a security code-review bot that advises and never blocks."""

__version__ = "0.1.0"
