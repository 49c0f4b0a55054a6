"""Consonant skeletons: one key for a name written in Arabic or Latin script ("المهداوي" = "El Mahdaoui")."""

from __future__ import annotations

import re

# Arabic letters folded to a small set of consonant classes; long vowels, hamza and ain carry no class
# because Latin spellings of Maghrebi and Middle-Eastern names drop or vary them freely.
_ARABIC = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "h", "د": "d", "ذ": "d", "ر": "r",
    "ز": "s", "س": "s", "ش": "x", "ص": "s", "ض": "d", "ط": "t", "ظ": "d", "غ": "k", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "b", "ڤ": "f", "گ": "k",
}  # fmt: skip
# Latin digraphs first (longest match), then single letters; vowels and w/y have no class.
_DIGRAPHS = {
    "sch": "x", "tch": "x", "ch": "x", "sh": "x", "kh": "h", "gh": "k", "ph": "f", "th": "t",
    "dh": "d", "dj": "j", "qu": "k", "ck": "k",
}  # fmt: skip
_LATIN = {
    "b": "b", "p": "b", "t": "t", "d": "d", "k": "k", "q": "k", "g": "k", "c": "k", "j": "j",
    "f": "f", "v": "f", "s": "s", "z": "s", "x": "ks", "l": "l", "r": "r", "m": "m", "n": "n",
    "h": "h",
}  # fmt: skip
# Spanish writes the Arabic kha (and a soft g) with j: "Jalid" is "Khalid".
_SPANISH = {"j": "h"}
_LATIN_ARTICLE = re.compile(r"^(?:el|al|ul|ed|ad|es|as|et|at|en|an|er|ar|ez|az)[-']")
MIN_SKELETON = 3


def arabic_skeleton(word: str) -> str:
    """Return the consonant skeleton of a normalised Arabic word, its article stripped."""
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    if word.endswith("ه") and len(word) > 3:  # a normalised ta marbuta: Latin spellings end on a vowel
        word = word[:-1]
    return _collapse(word.translate(_ARABIC_TABLE))


# The same rules as one left-to-right scan in C: a digraph (longest first) or a soft c/g becomes a private-use
# marker, then one str.translate maps letters and markers to classes and drops everything else. A per-letter
# Python loop was the top of the stories benchmark's profile (issue 5).
_MARKS = {key: chr(0xE000 + i) for i, key in enumerate((*_DIGRAPHS, "c+", "g+"))}
_SCAN = re.compile("|".join((*_DIGRAPHS, "[cg](?=[eiy])")))


class _Classes(dict[int, str]):
    """A str.translate table: letters and markers to their class, every other character to nothing."""

    def __missing__(self, code: int) -> str:
        self[code] = ""
        return ""


def _classes(language: str) -> _Classes:
    table = _Classes({ord(ch): cls for ch, cls in _LATIN.items()})
    if language == "es":
        table.update({ord(ch): cls for ch, cls in _SPANISH.items()})
    table.update({ord(mark): _DIGRAPHS[key] for key, mark in _MARKS.items() if key in _DIGRAPHS})
    table[ord(_MARKS["c+"])] = "s"
    table[ord(_MARKS["g+"])] = "h" if language == "es" else "j"
    return table


_TABLES: dict[str, _Classes] = {"es": _classes("es"), "": _classes("")}
_ARABIC_TABLE = _Classes({ord(ch): cls for ch, cls in _ARABIC.items()})


def _mark(match: re.Match[str]) -> str:
    found = match.group()
    return _MARKS[found if len(found) > 1 else found + "+"]


def latin_skeleton(word: str, language: str = "") -> str:
    """Return the consonant skeleton of a lower-case, accent-free Latin word."""
    word = _LATIN_ARTICLE.sub("", word)
    table = _TABLES["es" if language == "es" else ""]
    return _collapse(_SCAN.sub(_mark, word).translate(table))


def _collapse(skeleton: str) -> str:
    """Drop doubled classes: "Hassan" and "Hasan" are one name."""
    out: list[str] = []
    for ch in skeleton:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def skeleton(word: str, language: str = "") -> str:
    """Return the skeleton of a normalised word in either script ("" when too short to mean anything)."""
    if not word:
        return ""
    first = word[0]
    key = arabic_skeleton(word) if "\u0600" <= first <= "\u06ff" else latin_skeleton(word, language)
    return key if len(key) >= MIN_SKELETON else ""
