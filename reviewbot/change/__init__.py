"""What is being reviewed: git, the unified diff, and the `Change` built from either.

Every read of a file the user may not control (a checkout, a git blob) goes through here, so
symlinks, binaries, attributes and oversized files are handled in one place.
"""
