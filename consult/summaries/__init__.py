"""The summaries feature."""
