"""Pictures inside documents, without the metadata that names or locates the person who took or edited them.

JPEG, PNG, GIF and WebP are walked segment by segment and lose only their metadata segments, so the picture
itself is the same bytes (no re-encoding, no loss). TIFF keeps its metadata in the directory that also
describes the picture, so it is re-encoded by Pillow, without loss, from its pixels alone. Other pictures
(BMP, WMF) are drawing commands or pixels with no metadata fields, and stay as they are. An EMF keeps its
drawing records and loses its description (the program and the file's title, which may name its author) and
its comment records (any program's private data), but those that carry its EMF+ drawing.
"""

import io
import struct

from PIL import Image

from consult.uploads.errors import Unclean

_JPEG = b"\xff\xd8"
_PNG = b"\x89PNG\r\n\x1a\n"
_GIFS = (b"GIF87a", b"GIF89a")
_TIFFS = (b"II*\x00", b"MM\x00*")

#: JPEG segments that carry metadata: APP1 (EXIF with GPS, camera serial, artist; XMP), APP2 unless it is
#: the colour profile, APP3 to APP15 (IPTC and Photoshop's resources in APP13, makers' notes) but Adobe's
#: APP14 (which says how to read the colours of a CMYK picture, and nothing else), and comments.
_JPEG_METADATA = {0xE1, *range(0xE3, 0xEE), 0xEF, 0xFE}
_APP2 = 0xE2
_ICC = b"ICC_PROFILE\x00"
#: Markers with no length after them: the start and end of the image, and restart markers.
_JPEG_STANDALONE = {0xD8, 0xD9, 0x01, *range(0xD0, 0xD8)}
_START_OF_SCAN = 0xDA
#: The most pixels a TIFF page may have to be decoded and encoded again (as for an attached picture).
MAX_PIXELS = 50_000_000
#: EXIF's orientation tag: the only EXIF a picture needs to be shown the right way up.
_ORIENTATION = 0x0112

#: PNG chunks that hold text, a time, EXIF or another application's data; the critical chunks and those that
#: say how to show the picture (colour, gamma, transparency, physical size) stay.
_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf", b"dSIG", b"prVW", b"mkBF", b"mkTS", b"mkBS"}

#: WebP chunks of EXIF and XMP, and the flags of the extended header that announce them.
_WEBP_METADATA = {b"EXIF", b"XMP "}
_WEBP_EXIF_AND_XMP_FLAGS = 0x08 | 0x04


#: An EMF's header record, its comment records, and the comments that hold its EMF+ drawing.
_EMR_HEADER = struct.pack("<I", 1)
_EMR_COMMENT = 70
_EMF_PLUS = b"EMF+"


def kind(data: bytes) -> str | None:
    """The kind of picture the bytes are ("jpeg", "png", "gif", "webp", "tiff"), or None."""
    if data.startswith(_JPEG + b"\xff"):
        return "jpeg"
    if data.startswith(_PNG):
        return "png"
    if data.startswith(_GIFS):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(_TIFFS):
        return "tiff"
    if data[:4] == _EMR_HEADER and data[40:44] == b" EMF":
        return "emf"
    return None


def strip(data: bytes) -> bytes:
    """The picture without its metadata; Unclean for one too damaged to walk."""
    strippers = {
        "jpeg": strip_jpeg,
        "png": strip_png,
        "gif": strip_gif,
        "webp": strip_webp,
        "tiff": _tiff,
        "emf": strip_emf,
    }
    stripper = strippers.get(kind(data) or "")
    if stripper is None:
        return data
    try:
        return stripper(data)
    except Unclean:
        raise
    except Exception as error:  # the walks' index and struct errors, and Pillow's many kinds of error
        raise Unclean("a picture cannot be read") from error


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without EXIF, XMP, IPTC and comments, its compressed picture untouched, and nothing after its
    end (a phone's second picture, with its own EXIF); an orientation other than upright is kept in a new
    EXIF segment that holds nothing else."""
    output, position, orientation, exif_at = bytearray(_JPEG), 2, 1, None
    while True:
        if data[position] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill bytes before a marker
            position += 1
            continue
        if marker == 0xD9:  # the end of the image
            break
        if marker in _JPEG_STANDALONE:
            output += data[position : position + 2]
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if end > len(data) or length < 2:
            raise ValueError("a JPEG segment runs past the end")
        segment = data[position:end]
        if marker == 0xE1 and segment[4:10] == b"Exif\x00\x00" and exif_at is None:
            orientation, exif_at = _orientation(segment[4:]) or 1, len(output)
        if marker not in _JPEG_METADATA and not (marker == _APP2 and not segment[4:].startswith(_ICC)):
            output += segment
        if marker == _START_OF_SCAN:
            end = _after_scan(data, end)
            output += data[position + 2 + length : end]
        position = end
    if orientation != 1:
        output[exif_at:exif_at] = _orientation_segment(orientation)
    return bytes(output + b"\xff\xd9")


def _after_scan(data: bytes, position: int) -> int:
    """Where a scan's compressed data ends: at the next marker that is not a stuffed byte or a restart."""
    while True:
        position = data.index(b"\xff", position)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position


def _orientation(exif: bytes) -> int | None:
    """The orientation an EXIF segment records, if it can be read."""
    try:
        value = Image.Exif()
        value.load(exif)
        orientation = value.get(_ORIENTATION)
    except Exception:  # Pillow raises many kinds of error on damaged EXIF; the picture is shown as stored
        return None
    return orientation if orientation in range(2, 9) else None


def _orientation_segment(orientation: int) -> bytes:
    """An APP1 segment with an EXIF that holds only the orientation."""
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_png(data: bytes) -> bytes:
    """The PNG without its text, time, EXIF and other applications' chunks; the picture's chunks untouched."""
    output, position = bytearray(_PNG), len(_PNG)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunk_type = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise ValueError("a PNG chunk runs past the end")
        if chunk_type not in _PNG_METADATA:
            output += data[position:end]
        position = end
        if chunk_type == b"IEND":
            break
    return bytes(output)


def strip_gif(data: bytes) -> bytes:
    """The GIF without comments and applications' extensions (XMP among them), but the one that loops it."""
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    output = bytearray(data[:position])
    while True:
        introducer = data[position]
        if introducer == 0x3B:  # the trailer
            return bytes(output + b"\x3b")
        if introducer == 0x2C:  # an image: its descriptor, colour table, code size and data
            flags = data[position + 9]
            table = 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0
            end = _after_sub_blocks(data, position + 10 + table + 1)
            output += data[position:end]
        elif introducer == 0x21:
            label = data[position + 1]
            end = _after_sub_blocks(data, position + 2)
            looping = label == 0xFF and data[position + 3 : position + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
            if label not in (0xFE, 0xFF) or looping:
                output += data[position:end]
        else:
            raise ValueError("not a GIF block")
        position = end


def _after_sub_blocks(data: bytes, position: int) -> int:
    """Where a chain of GIF sub-blocks ends, after its terminator."""
    while data[position] != 0:
        position += data[position] + 1
    return position + 1


def strip_webp(data: bytes) -> bytes:
    """The WebP without its EXIF and XMP chunks, and its header no longer announcing them."""
    chunks, position = bytearray(), 12
    while position + 8 <= len(data):
        chunk_type = data[position : position + 4]
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        end = position + 8 + length + (length & 1)
        if end > len(data) + (length & 1):
            raise ValueError("a WebP chunk runs past the end")
        chunk = bytearray(data[position:end])
        if chunk_type == b"VP8X":
            chunk[8] &= ~_WEBP_EXIF_AND_XMP_FLAGS & 0xFF
        if chunk_type not in _WEBP_METADATA:
            chunks += chunk
        position = end
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)


def _tiff(data: bytes) -> bytes:
    """The TIFF re-encoded from its pixels (every page), without a tag that is not needed to show it."""
    with Image.open(io.BytesIO(data)) as image:
        pages = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            if image.width * image.height > MAX_PIXELS:  # from the header, before a pixel is decoded
                raise Unclean("a TIFF picture too large to decode")
            page = image.copy()  # a plain image: none of the file's tags, EXIF, XMP or IPTC comes with it
            page.info = {}
            pages.append(page)
    output = io.BytesIO()
    pages[0].save(output, format="TIFF", compression="tiff_deflate", save_all=True, append_images=pages[1:])
    return output.getvalue()


def strip_emf(data: bytes) -> bytes:
    """An EMF with its description zeroed and without its comment records (but EMF+ drawing); the header's
    size and count of records follow."""
    header_size, (length, count) = struct.unpack_from("<I", data, 4)[0], struct.unpack_from("<II", data, 48)
    if not 88 <= header_size <= len(data):
        raise Unclean("an EMF header overruns the file")
    header = bytearray(data[:header_size])
    characters, offset = struct.unpack_from("<II", data, 60)
    if characters and offset + 2 * characters <= header_size:
        header[offset : offset + 2 * characters] = bytes(2 * characters)
    records, position, dropped = [bytes(header)], header_size, 0
    while position < min(length, len(data)):
        kind_, size = struct.unpack_from("<II", data, position)
        if size < 8 or size % 4 or position + size > len(data):
            raise Unclean("an EMF record overruns the file")
        record = data[position : position + size]
        if kind_ == _EMR_COMMENT and record[12:16] != _EMF_PLUS:
            dropped += 1
        else:
            records.append(record)
        position += size
    output = bytearray(b"".join(records))
    struct.pack_into("<I", output, 48, len(output))
    struct.pack_into("<I", output, 52, count - dropped)
    return bytes(output)
