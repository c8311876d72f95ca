"""`python -m reviewbot` runs the command line."""

from reviewbot.cli.main import entry

entry()
