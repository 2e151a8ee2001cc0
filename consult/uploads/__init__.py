"""Uploaded documents cleaned of what names people inside them and of what acts when they are opened.

Some people who comment are human-rights defenders at risk. A document keeps its reviewers' names in tracked
changes, comments, notes and annotations, and may call a host when it is opened (a remote template, a linked
picture, a field that fetches, PDF JavaScript), which tells a tracker the address of every moderator and
reader. The cleaners here take the bytes of a file that consult.uploads.attachments has already checked
and give back the bytes to store: pure functions, no database, no request.

Two things are separate, because a deployment may let named comments keep their files' history:
`remove_names` (tracked changes accepted, comments, notes, annotations, people and revision ids removed) and
what always goes (anything that acts or fetches). Code itself (VBA, ActiveX, OLE programs, ODF Basic and
scripts, macro-enabled types) is refused rather than cut out (ActiveContent): a file made to run code is not
a comment's evidence, and what is left of it may expect the code. What only calls code or a host (event
listeners, ribbons, add-ins, remote templates, fields, PDF actions) is removed and the file kept.
"""

from consult.uploads.documents import clean_odf, clean_ooxml
from consult.uploads.errors import ActiveContent, Unclean
from consult.uploads.pdf import clean_pdf

__all__ = ["ActiveContent", "Unclean", "clean_odf", "clean_ooxml", "clean_pdf"]
