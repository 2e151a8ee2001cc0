"""The QR code an authenticator app scans, drawn here: no third-party service sees the secret."""

import segno


def qr_data_uri(content: str) -> str:
    """An SVG data: URI of a QR code holding content."""
    return segno.make(content, error="m").svg_data_uri(scale=5, border=2)
