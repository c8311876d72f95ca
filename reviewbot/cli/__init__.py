"""The command line: one module per command, and the error boundary (`main.main`).

This is the only package that parses argv, prints to the terminal as a front end, or exits.

The command line loads no pydantic plugins: it validates only its own models, and looking for
plugins reads the metadata of every installed distribution (122 in reviewbot's own venv: ~30-60 ms
of wall time on a shared machine, before the first model of every run). Set here, before any
model is defined; a user who sets PYDANTIC_DISABLE_PLUGINS keeps their value.
"""

import os

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
