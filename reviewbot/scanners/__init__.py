"""Scanners: each turns files on disk into raw rule matches behind one interface."""
