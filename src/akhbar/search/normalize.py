"""Text normalisation shared by the index and the queries: accents, case and Arabic letter variants folded."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD leaves whole but readers treat as variants of a plain letter.
_FOLD = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla -> alef (أ إ آ decompose to alef + a mark under NFKD)
        "\u0649": "\u064a",  # alef maksura -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0621": "",  # a lone hamza carries no letter of its own for matching
        "\u0640": "",  # tatweel only stretches a word
        "\u06cc": "\u064a",  # Persian ya, common in pasted Arabic text
        "\u06a9": "\u0643",  # Persian keheh -> kaf
        "\u0153": "oe",  # œ: "cœur" and "coeur" are the same word
        "\u00e6": "ae",
        "\u00f8": "o",
        "\u0142": "l",
        "\u0111": "d",
        "\u00f0": "d",
        "\u00fe": "th",
        "\u2019": "'",  # typographic apostrophe, as in "l’économie"
        "\x00": " ",
    }
)
# Arabic-Indic and extended digits read as ASCII digits.
_DIGITS = str.maketrans(
    {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
)
_WORD = re.compile(r"[^\W_]+")
# Every nonspacing mark of the Basic Multilingual Plane (Latin accents, Arabic harakat, the hamza and madda
# that NFKD splits off alef, waw and ya); one regex pass is ~10x faster than testing each character.
_MARKS = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) == "Mn")
    + "]"
)


def normalize(text: str) -> str:
    """Return text with accents and Arabic diacritics removed, letter variants folded and case folded."""
    if text.isascii():  # most Latin text: skip the Unicode work
        return text.replace("\x00", " ").lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    # Removing the marks turns أ إ آ into ا, ؤ into و and ئ into ي.
    bare = _MARKS.sub("", decomposed)
    return bare.translate(_FOLD).translate(_DIGITS).casefold()


def words(normalized: str) -> list[str]:
    """Return the words of normalised text, split the way the FTS5 unicode61 tokenizer splits them."""
    return _WORD.findall(normalized)
