"""Draws the app icons (PNG) with nothing but zlib and struct.

A red square with a white ear-like "listening" mark: three concentric arcs and a dot.
The maskable icon keeps the mark inside the central safe zone (80 % circle).
Run: python pwa/icons/make_icons.py  (writes next to this file).
"""

import math
import struct
import zlib
from pathlib import Path

RED = (166, 27, 27)
WHITE = (255, 255, 255)
GOLD = (255, 205, 64)


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pixel(x: float, y: float, size: int, scale: float) -> tuple[int, int, int]:
    c = size / 2
    # The mark spans -0.07..0.42 horizontally: shift it so it sits in the middle.
    dx, dy = (x - c) / (size * scale) + 0.17, (y - c) / (size * scale)
    r = math.hypot(dx, dy)
    if r < 0.07:
        return GOLD
    angle = math.degrees(math.atan2(dy, dx))
    # Sound waves opening to the right: arcs between -55 and 55 degrees.
    if -55 <= angle <= 55:
        for radius in (0.18, 0.28, 0.38):
            if abs(r - radius) < 0.035:
                return WHITE
    return RED


def icon(size: int, scale: float) -> bytes:
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            row.extend(pixel(x + 0.5, y + 0.5, size, scale))
        rows.append(bytes(row))
    return png(size, size, rows)


def main() -> None:
    here = Path(__file__).parent
    (here / "icon-192.png").write_bytes(icon(192, 1.0))
    (here / "icon-512.png").write_bytes(icon(512, 1.0))
    (here / "icon-maskable-512.png").write_bytes(icon(512, 0.8))


if __name__ == "__main__":
    main()
