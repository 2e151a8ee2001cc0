"""The organisations feature."""
