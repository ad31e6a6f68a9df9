"""Text helpers of ``eskg lint``: label normalisation, scripts, and numbers read from
Japanese and English quotes (``docs/lint.md``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: Katakana letters (ァ..ヶ) fold onto hiragana (ぁ..ゖ), 0x60 code points below.
_KATAKANA = range(0x30A1, 0x30F7)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006]")
#: Acronym-like: capitals, digits and joiners only, at least two capitals.
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9&./\-+ ]+$")


def normalise(text: str) -> str:
    """A label as the duplicate check compares it: NFKC (full and half width alike),
    case folded, katakana as hiragana, without punctuation, symbols or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for ch in folded:
        if ord(ch) in _KATAKANA:
            ch = chr(ord(ch) - 0x60)
        if unicodedata.category(ch)[0] in "PZSC":
            continue
        out.append(ch)
    return "".join(out)


def has_japanese(text: str) -> bool:
    """Whether the text has hiragana, katakana or kanji."""
    return bool(_JAPANESE.search(text))


def is_acronym(text: str) -> bool:
    """Whether a label is only an acronym (``NSS``, ``G7``, ``JASM``)."""
    return bool(_ACRONYM.match(unicodedata.normalize("NFKC", text).strip()))


def mention_keys(label: str) -> list[str]:
    """The normalised forms by which a quote may mention a label: the label, and the
    parts outside and inside its brackets (``経済安全保障推進法（経済安保推進法）``)."""
    keys = {normalise(label)}
    for part in re.split(r"[()（）「」『』\[\]【】、,/・]", unicodedata.normalize("NFKC", label)):
        key = normalise(part)
        if len(key) >= 2:
            keys.add(key)
    return [k for k in keys if len(k) >= 2]


_UNITS = {
    "兆": Decimal(10) ** 12,
    "億": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_MARKERS_BEFORE = (
    "約",
    "およそ",
    "概ね",
    "about",
    "approximately",
    "around",
    "over",
    "more than",
    "some",
)
_MARKERS_AFTER = ("以上", "超", "程度", "余り", "強", "弱", "前後", "近く", "余")
#: Words that make a figure approximate or a bound, as the lint looks for them.
APPROXIMATE_MARKERS = ("約", "以上", "超", "程度")


@dataclass(frozen=True)
class Reading:
    """A number read from a quote, and whether an approximation marker touches it."""

    value: Decimal
    marked: bool


def numbers(quote: str) -> list[Reading]:
    """Every number of a quote with the values it may stand for: as written, times the
    units that follow it (``9,500億`` is 9.5e11, ``1兆2,000億`` 1.2e12), and a percentage
    as a fraction."""
    text = unicodedata.normalize("NFKC", quote)
    out: list[Reading] = []
    matches = list(_NUMBER.finditer(text))
    for i, m in enumerate(matches):
        try:
            base = Decimal(m.group().replace(",", ""))
        except InvalidOperation:
            continue
        before = text[max(0, m.start() - 12) : m.start()].casefold()
        rest = text[m.end() :]
        marked = any(before.rstrip().endswith(w) for w in _MARKERS_BEFORE)
        value, j = base, 0
        while j < len(rest) and rest[j] in _UNITS:
            value *= _UNITS[rest[j]]
            j += 1
        # 1兆2,000億: the next number with a smaller unit adds to this one
        if j and i + 1 < len(matches) and matches[i + 1].start() == m.end() + j:
            nxt = matches[i + 1]
            tail = text[nxt.end() : nxt.end() + 1]
            if tail in _UNITS and _UNITS[tail] < _UNITS[rest[j - 1]]:
                value += Decimal(nxt.group().replace(",", "")) * _UNITS[tail]
        after = rest[j : j + 4]
        marked = marked or any(after.lstrip("円ドル人件社%").startswith(w) for w in _MARKERS_AFTER)
        out.append(Reading(value, marked))
        if rest[j : j + 1] in ("%", "％") or rest.startswith("割"):
            out.append(Reading(base / (100 if rest[j : j + 1] != "割" else 10), marked))
    return out


def same_number(a: Decimal, b: Decimal) -> bool:
    """Equal up to rounding in the last of twelve significant digits."""
    if a == b:
        return True
    scale = max(abs(a), abs(b))
    return bool(scale) and abs(a - b) / scale < Decimal("1e-9")
