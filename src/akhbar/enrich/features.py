"""Text features for near-duplicates and stories: normalised tokens, stems, names, numbers and concepts."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from akhbar.enrich.lexicon import LEXICON
from akhbar.enrich.translit import skeleton

# Features are read from the first words only: a 200,000-word page costs what a long article costs, and the
# lead of a news text names the event.
MAX_WORDS = 400
TITLE_WEIGHT = 2  # the headline is repeated: it names the event more densely than the body
STEM_CHARS = 6  # Latin prefix stem: "inflation"/"inflationniste" meet; tuned on the demo and eval sets
_WORD = re.compile(r"\w+", re.UNICODE)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ـ": None}
)
_AR_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_AR_SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي")

STOPWORDS = frozenset(
    """
    le la les un une des du de d l au aux et ou en dans sur sous pour par avec sans ce cet cette ces
    son sa ses leur leurs qui que quoi dont est sont a ont ete etre fait plus moins tres aussi mais
    ne pas se s il elle ils elles on nous vous je y lui comme selon apres avant entre depuis pendant
    lors tout tous toute toutes deux the of and or in on at to for by with from as is are was were
    be been has have had this that these those it its an not but their they he she his her will
    would can could into over after before about than which who what also more most said says new el
    los las unos unas del al y o con sin por para sobre entre desde hasta es son fue han ha ser como
    mas pero que se su sus lo le les tras segun este esta estos estas ese esa muy tambien ya في من
    على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين ما لا لم لن قد كان كانت ان أن إن او أو ثم كما
    بين بعد قبل عند حتى هو هي هم وقد وفي ومن وعلى الا إلا كل اي أي منذ خلال حول ضد لدى اليوم امس أمس
    """.split()  # noqa: SIM905
)


@dataclass
class Features:
    """What an article gives the story index: words of its language, cross-language keys, shingles."""

    language: str
    words: Counter[str] = field(default_factory=Counter)  # stems of this language, title counted twice
    cross: Counter[str] = field(default_factory=Counter)  # "c:" concepts, "e:" name skeletons, "n:" numbers
    tokens: list[str] = field(default_factory=list)  # the normalised body tokens, for shingles

    @property
    def empty(self) -> bool:
        """Return True when the text gave nothing to compare."""
        return not self.words and not self.cross


class _Fold(dict[int, str]):
    """Per-character folding, computed once per character seen (str.translate then runs in C)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code).translate(_DIGITS)
        folded = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        folded = folded.lower().translate(_ARABIC_FOLD)
        self[code] = folded
        return folded


_FOLD = _Fold()
# Characters that fold to themselves (lower-case ASCII, most Arabic letters, spaces, punctuation) are left
# alone; only the runs of the others go through the per-character table. str.translate over a whole text
# looked up every character in Python's dict protocol and was the largest cost of extract() (issue 5).
_KEPT = "".join(ch for ch in map(chr, range(0x700)) if _FOLD[ord(ch)] == ch)
_CHANGED = re.compile(f"[^{re.escape(_KEPT)}]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


def normalize(text: str) -> str:
    """Return text lower-cased, without accents or Arabic vowel marks, Arabic letter variants folded."""
    return _CHANGED.sub(_fold_run, text)


def is_arabic(word: str) -> bool:
    """Return True for a word in Arabic script."""
    return "\u0600" <= word[0] <= "\u06ff"


def arabic_stem(word: str) -> str:
    """Strip one Arabic clitic prefix and inflection suffixes, keeping at least three letters."""
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
    return word


def latin_stem(word: str) -> str:
    """Return a short prefix stem: plural and gender endings fall off, derived words meet."""
    return word[:STEM_CHARS]


def _lexicon_key(word: str) -> str:
    if is_arabic(word):
        return arabic_stem(word)
    if len(word) > 4 and word.endswith(("s", "x")):
        word = word[:-1]
    return word


@lru_cache(maxsize=1)
def concepts() -> dict[str, tuple[str, ...]]:
    """Return the lexicon as lookup key -> concept keys (a word may name two concepts: "prix")."""
    table: dict[str, set[str]] = {}
    for line in LEXICON.strip().splitlines():
        concept, *languages = (part.strip() for part in line.split("|"))
        for words in languages:
            for word in (normalize(w.strip()) for w in words.split(",")):
                if word and " " not in word and _WORD.fullmatch(word):
                    table.setdefault(_lexicon_key(word), set()).add(f"c:{concept}")
    return {key: tuple(sorted(value)) for key, value in table.items()}


@lru_cache(maxsize=200_000)
def _analyse(word: str) -> tuple[str, tuple[str, ...], int]:
    """Return (stem, cross keys, name rule) of one normalised word; cached: news repeats words.

    The name rule says when the word's skeleton is a key: never (0), when written with a capital (1),
    always (2: Arabic has no capitals). The skeleton itself is computed only then, since most words of a
    text are lower-case and their skeleton was the largest cost of an unseen word.
    """
    if word.isdigit():
        return "", (f"n:{word.lstrip('0') or '0'}",), 0
    if word in STOPWORDS or len(word) < 2:
        return "", (), 0
    arabic = is_arabic(word)
    found = concepts().get(_lexicon_key(word), ())
    return arabic_stem(word) if arabic else latin_stem(word), found, 0 if found else 2 if arabic else 1


@lru_cache(maxsize=50_000)
def _name(word: str, language: str) -> str:
    """Return the name skeleton key of a normalised word ("" when it has none)."""
    name = skeleton(arabic_stem(word) if is_arabic(word) else word, language)
    return f"e:{name}" if name else ""


def _split(words: str) -> list[str]:
    """Return the word tokens of normalised words joined by spaces: what _WORD.findall returns."""
    tokens = words.split(" ")
    # A word character is isalnum() or "_": when every character is alphanumeric and no word folded to
    # nothing, the spaces are the only boundaries, and splitting on them (in C) costs a tenth of the regex.
    if "" in tokens or not words.replace(" ", "").isalnum():
        return _WORD.findall(words)
    return tokens


def extract(title: str, text: str, language: str) -> Features:
    """Return the features of an article (any script, any length, possibly empty)."""
    language = (language or "")[:2].lower()
    features = Features(language)
    body_words = _WORD.findall(text, 0, 20 * MAX_WORDS)[:MAX_WORDS]
    # Names are the words written with a capital (Arabic has none), normalised in one call: no character
    # folds to NUL, so splitting on it gives each word back.
    capitals = [w for w in chain(_WORD.findall(title), body_words) if w[0].isupper()]
    names = set(normalize("\0".join(capitals)).split("\0")) if capitals else set()
    features.tokens = _split(normalize(" ".join(body_words)))
    counts = Counter(features.tokens)
    for token in _WORD.findall(normalize(title)):
        counts[token] = counts.get(token, 0) + TITLE_WEIGHT  # get: Counter's __missing__ runs in Python
    words, cross = features.words, features.cross
    for token, weight in counts.items():  # each distinct word analysed once, with its total weight
        stem, keys, rule = _analyse(token)
        if stem:
            words[stem] = words.get(stem, 0) + weight
        for key in keys:
            cross[key] = cross.get(key, 0) + weight
        if rule == 2 or (rule == 1 and token in names):
            name = _name(token, language)
            if name:
                cross[name] = cross.get(name, 0) + weight
    return features


# Stop words are compared after normalisation (Arabic hamza forms folded, accents gone).
STOPWORDS = frozenset(normalize(word) for word in STOPWORDS)
