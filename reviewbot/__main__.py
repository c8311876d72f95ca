"""`python -m reviewbot` runs the command line."""

from reviewbot._cli import entry

entry()
