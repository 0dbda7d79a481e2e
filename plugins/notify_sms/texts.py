"""SMS length: GSM 7-bit texts take 160 characters (153 a part when split); anything else,
Cyrillic included, is sent in UCS-2: 70 characters (67 a part)."""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
           "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€")


@dataclass(frozen=True)
class Length:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int
    parts: int
    per_part: int


def measure(text: str) -> Length:
    if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, multi, encoding = 70, 67, "UCS-2"
    parts = 1 if units <= single else math.ceil(units / multi)
    return Length(encoding, units, parts, single if parts == 1 else multi)
