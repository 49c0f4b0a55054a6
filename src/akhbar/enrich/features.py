"""Text features for near-duplicates and stories: normalised tokens, stems, names, numbers and concepts."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

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


def normalize(text: str) -> str:
    """Return text lower-cased, without accents or Arabic vowel marks, Arabic letter variants folded."""
    return text.translate(_FOLD)


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
def _analyse(word: str, language: str) -> tuple[str, tuple[str, ...], str]:
    """Return (stem, concept keys, name skeleton key) of one normalised word; cached: news repeats words."""
    stem = arabic_stem(word) if is_arabic(word) else latin_stem(word)
    found = concepts().get(_lexicon_key(word), ())
    name = "" if found else skeleton(arabic_stem(word) if is_arabic(word) else word, language)
    return stem, found, f"e:{name}" if name else ""


def _names(raw: str) -> set[str]:
    """Return the normalised Latin words written with a capital (names); Arabic has no capitals."""
    return {normalize(w) for w in _WORD.findall(raw) if w[0].isupper()}


def extract(title: str, text: str, language: str) -> Features:
    """Return the features of an article (any script, any length, possibly empty)."""
    language = (language or "")[:2].lower()
    features = Features(language)
    body_words = _WORD.findall(text, 0, 20 * MAX_WORDS)[:MAX_WORDS]
    raw = f"{title} {' '.join(body_words)}"
    names = _names(raw)
    title_tokens = _WORD.findall(normalize(title))
    features.tokens = _WORD.findall(normalize(" ".join(body_words)))
    counts = Counter(features.tokens)
    for token in title_tokens:
        counts[token] += TITLE_WEIGHT
    for token, weight in counts.items():  # each distinct word analysed once, with its total weight
        _add(features, token, weight, token in names)
    return features


def _add(features: Features, token: str, weight: int, capitalised: bool) -> None:
    if token.isdigit():
        features.cross[f"n:{token.lstrip('0') or '0'}"] += weight
        return
    if token in STOPWORDS or len(token) < 2 or token.isdigit():
        return
    stem, found, name = _analyse(token, features.language)
    features.words[stem] += weight
    for concept in found:
        features.cross[concept] += weight
    if name and (capitalised or is_arabic(token)):
        features.cross[name] += weight


def weigh(counts: Counter[str], idf: dict[str, float], default_idf: float) -> dict[str, float]:
    """Return an L2-normalised tf-idf vector (sublinear tf)."""
    vector = {key: (1.0 + math.log(tf)) * idf.get(key, default_idf) for key, tf in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {key: v / norm for key, v in vector.items()} if norm else {}


# Stop words are compared after normalisation (Arabic hamza forms folded, accents gone).
STOPWORDS = frozenset(normalize(word) for word in STOPWORDS)
