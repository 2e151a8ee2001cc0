"""Reports and exports of a round: the outcome report as PDF and DOCX, comments and figures as files."""
