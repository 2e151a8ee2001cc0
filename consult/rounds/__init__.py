"""The rounds feature."""
