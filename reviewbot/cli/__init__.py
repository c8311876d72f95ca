"""The command line: one module per command, and the error boundary (`main.main`).

This is the only package that parses argv, prints to the terminal as a front end, or exits.
"""
