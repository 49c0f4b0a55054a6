"""Detect the language of a headline or an article text (ISO 639-1), with the source's language as a prior."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The closed set lingua decides between: our four languages and the neighbours they are most often confused
# with. A closed set labels every other language as one of its own, so py3langid (97 languages) is asked too.
_LINGUA_SET = (
    Language.FRENCH, Language.ARABIC, Language.ENGLISH, Language.SPANISH, Language.GERMAN,
    Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH, Language.TURKISH, Language.RUSSIAN,
)
_LINGUA_CODES = frozenset(lang.iso_code_639_1.name.lower() for lang in _LINGUA_SET)

# Tuned on the headline table in tests/enrich/test_language.py (5-12 word headlines): every correct answer
# there has lingua >= 0.66, and the runner-up never exceeds 0.25.
_CONFIDENT = 0.9  # lingua alone is trusted above this
_AGREE_MIN = 0.5  # lingua and py3langid agreeing above this are trusted together
_DECIDE = 0.6  # without a prior, the least lingua confidence still returned
_WEAK_AGREE = 0.2  # without a prior, py3langid naming lingua's pick with this much settles a short text
_PRIOR_FLOOR = 0.05  # the prior must be at least this plausible to be preferred
_OTHER_MIN = 0.95  # py3langid must be this sure to name a language outside lingua's set
_SAMPLE_CHARS = 1000  # long texts: the first characters are plenty and keep the cost bounded
# From this many characters the low-accuracy models (trigrams only) answer like the full ones: lingua's own
# guidance, checked on the demo articles' leads in tests/enrich/test_language.py. The full models weigh
# about 210 MB and py3langid's ~75 MB; lingua is sure (>= _CONFIDENT) of every lead of the demo and the
# benchmark wire, so an ingestion of article pages loads neither: headlines and doubtful texts do.
_LIGHT_MIN_CHARS = 120
_WARM_UP_TEXT = (
    "akhbar warms up its language models before the first article arrives, so that loading them never "
    "stalls the event loop that fetches the sources and serves the pages."
)

_ARABIC_ONLY = frozenset("ةيكى")  # letters Persian and Urdu spell differently (ی ک) or never use
_PERSIAN_MARKS = frozenset("پچژگکی")
_URDU_ONLY = frozenset("ٹڈڑںےۂھ")
_OTHER_ARABIC_SCRIPT = frozenset("ټډړږښګځڅېۍەێۆڵڕ")  # Pashto, Kurdish (Sorani)


_BUILDING = threading.Lock()


@lru_cache(maxsize=1)
def _lingua_full() -> LanguageDetector:
    """Build the high-accuracy lingua detector once, on the first short text (~210 MB of models)."""
    return LanguageDetectorBuilder.from_languages(*_LINGUA_SET).build()


@lru_cache(maxsize=1)
def _lingua_light() -> LanguageDetector:
    """Build the low-accuracy lingua detector once: trigram models only (~25 MB), enough for long texts."""
    return LanguageDetectorBuilder.from_languages(*_LINGUA_SET).with_low_accuracy_mode().build()


def _lingua(text: str) -> LanguageDetector:
    """Return the detector for a text: the light models for long texts, the full ones for headlines."""
    with _BUILDING:  # threads arriving together at the first text would each build the models
        return _lingua_light() if len(text) >= _LIGHT_MIN_CHARS else _lingua_full()


def all_models_loaded() -> bool:
    """Return True once lingua's full models and py3langid are in memory (loading takes seconds of CPU)."""
    return _lingua_full.cache_info().currsize > 0 and _langid_once.cache_info().currsize > 0


def warm_up() -> None:
    """Load what an article lead needs (lingua's light models) ahead of the first article."""
    detect_language(_WARM_UP_TEXT)


@lru_cache(maxsize=1)
def _langid_once() -> Any:
    """Build the py3langid identifier once, with normalised probabilities."""
    # Imported here: py3langid brings numpy (~75 ms) and only doubtful texts need it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _langid() -> Any:
    """Return the py3langid identifier, built by the first caller only."""
    with _BUILDING:
        return _langid_once()


_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_TIFINAGH_BLOCK = (0x2D30, 0x2D7F)


# Counting a script's letters with a compiled character class runs in C: a Python loop per letter cost
# about 1 ms per article text in the ingestion profile.
_ARABIC_RE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ARABIC_BLOCKS) + "]")
_TIFINAGH_RE = re.compile(f"[{chr(_TIFINAGH_BLOCK[0])}-{chr(_TIFINAGH_BLOCK[1])}]")


def _arabic_script_language(letters: str) -> str | None:
    """Tell Arabic from Persian, Urdu and other languages written in the Arabic script."""
    arabic = sum(ch in _ARABIC_ONLY for ch in letters)
    persian = sum(ch in _PERSIAN_MARKS for ch in letters)
    urdu = sum(ch in _URDU_ONLY for ch in letters)
    other = sum(ch in _OTHER_ARABIC_SCRIPT for ch in letters)
    if persian + urdu + other <= arabic:
        return "ar"
    lang, prob = _langid().classify(letters)
    if lang != "ar" and len(lang) == 2 and prob >= _AGREE_MIN:
        return str(lang)
    return "ur" if urdu else "fa"


def _by_script(letters: str) -> str | None:
    """Return the language when the script alone decides it (Arabic script, Tifinagh), else None."""
    if len(_TIFINAGH_RE.findall(letters)) * 2 > len(letters):
        return "zgh"  # Standard Moroccan Tamazight: no ISO 639-1 code exists
    if len(_ARABIC_RE.findall(letters)) * 2 > len(letters):
        return _arabic_script_language(letters)
    return None


def _other_language(text: str, minimum: float) -> str | None:
    """Ask py3langid for any language it knows; return it when sure enough and it has a two-letter code."""
    lang, prob = _langid().classify(text)
    return str(lang) if prob >= minimum and len(lang) == 2 else None


def _decide(text: str, prior: str | None) -> str | None:
    """Combine lingua (closed set), py3langid (open set) and the prior."""
    values = _lingua(text).compute_language_confidence_values(text)
    ranked = {cv.language.iso_code_639_1.name.lower(): cv.value for cv in values}
    top, conf = max(ranked.items(), key=lambda kv: kv[1])
    if conf == 0.0:  # a script none of lingua's languages uses
        return _other_language(text, _AGREE_MIN)
    if conf >= _CONFIDENT:  # nothing below can overrule it: py3langid (0.4 ms a text) is not asked
        return top
    other_lang, other_prob = _langid().classify(text)
    outside = other_lang not in _LINGUA_CODES and len(other_lang) == 2
    if outside and other_prob >= _OTHER_MIN:
        return str(other_lang)
    agree = other_lang == top and other_prob >= _AGREE_MIN
    if conf >= _AGREE_MIN and agree:
        return top
    if prior and ranked.get(prior, 0.0) >= _PRIOR_FLOOR:
        return prior
    weak_agree = other_lang == top and other_prob >= _WEAK_AGREE
    return top if conf >= _DECIDE or weak_agree else None


def detect_language(text: str, prior: str | None = None) -> str | None:
    """Return the ISO 639-1 code of text's language, the prior when the text is ambiguous, or None."""
    sample = unicodedata.normalize("NFC", " ".join(text.split())[:_SAMPLE_CHARS])
    letters = "".join(ch for ch in sample if ch.isalpha())
    if len(letters) < 2:
        return None
    prior = (prior or "").strip().lower()[:2] or None
    by_script = _by_script(letters)
    if by_script is not None:
        return by_script
    return _decide(sample, prior)
