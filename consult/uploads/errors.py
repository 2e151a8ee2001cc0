"""Why a document could not be cleaned: the caller turns these into a message in the person's language."""


class Unclean(Exception):
    """The document could not be cleaned safely; storing it as it is would keep what it should lose."""


class ActiveContent(Unclean):
    """The document carries macros or programs, which are refused rather than removed."""
