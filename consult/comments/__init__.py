"""The comments feature."""
