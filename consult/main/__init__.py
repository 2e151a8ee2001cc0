"""The main feature."""
