"""Scanners: each turns files on disk into raw rule matches behind one interface.

Which of them a review runs, and how they are built, is `select.py`.
"""
