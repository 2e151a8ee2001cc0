"""The plan feature."""
