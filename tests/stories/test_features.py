"""Features that survive translation: skeletons, lexicon concepts, numbers; normalisation."""

from __future__ import annotations

import pytest

from akhbar.enrich.features import _FOLD, _WORD, _split, extract, normalize
from akhbar.enrich.translit import latin_skeleton, skeleton


@pytest.mark.parametrize(
    ("arabic", "latin", "language"),
    [
        ("المهداوي", "mahdaoui", "fr"),
        ("المهداوي", "mahdawi", "en"),
        ("محمد", "mohammed", "fr"),
        ("أخنوش", "akhannouch", "fr"),
        ("الداخلة", "dakhla", "fr"),
        ("حسن", "hassan", "en"),
        ("خالد", "jalid", "es"),
        ("الرباط", "rabat", "es"),
    ],
)
def test_a_name_has_one_skeleton_in_both_scripts(arabic: str, latin: str, language: str) -> None:
    assert skeleton(normalize(arabic)) == skeleton(latin, language) != ""


@pytest.mark.parametrize(("word", "other"), [("mahdaoui", "benkirane"), ("rabat", "tanger")])
def test_different_names_have_different_skeletons(word: str, other: str) -> None:
    assert skeleton(word) != skeleton(other)


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("schneider", "", "xndr"),
        ("tchoukha", "fr", "xh"),
        ("cecile", "fr", "sl"),
        ("cyrille", "fr", "srl"),
        ("gilles", "fr", "jls"),
        ("gilberto", "es", "hlbrt"),
        ("jalil", "es", "hl"),
        ("jalil", "fr", "jl"),
        ("djamel", "es", "jml"),
        ("quique", "es", "k"),
        ("mackenzie", "en", "mkns"),
        ("xavier", "fr", "ksfr"),
        ("el-khattabi", "fr", "htb"),
        ("phosphate", "fr", "fsft"),
        ("ghali", "fr", "kl"),
        ("bouazza", "fr", "bs"),
        ("2026abc_z", "fr", "bks"),
    ],
)
def test_latin_skeletons_read_digraphs_soft_letters_and_spanish_j(
    word: str, language: str, expected: str
) -> None:
    assert latin_skeleton(word, language) == expected


def test_normalize_agrees_with_the_per_character_fold_on_every_character() -> None:
    text = "".join(chr(code) for code in range(1, 0x30000) if not 0xD800 <= code <= 0xDFFF)
    assert normalize(text) == text.translate(_FOLD)
    assert "\0" not in normalize(text)  # extract() splits normalised names on NUL


@pytest.mark.parametrize(
    "words",
    ["", "un deux", "snake_case mot", "ﷺ ligature", "½ moitié", "ـ كـتب", "Ǆemal ǅ", "x²", "mot  mot", "é"],
)
def test_splitting_normalised_words_finds_the_same_tokens_as_the_regex(words: str) -> None:
    folded = normalize(words)
    assert _split(folded) == _WORD.findall(folded)


def test_normalize_folds_accents_arabic_variants_and_digits() -> None:
    assert normalize("Été À Fès") == "ete a fes"
    assert normalize("أحمد إلى ٢٠٢٦ مدرسة") == "احمد الي 2026 مدرسه"


def test_the_same_event_in_four_languages_shares_concepts_and_numbers() -> None:
    fr = extract("L'inflation ralentit à 1,8 % au Maroc", "Selon le HCP, en octobre.", "fr").cross
    en = extract("Inflation slows to 1.8% in Morocco", "The HCP said in October.", "en").cross
    es = extract("La inflación baja al 1,8 % en Marruecos", "Según el HCP, en octubre.", "es").cross
    ar = extract("تباطؤ التضخم إلى 1.8 في المائة بالمغرب", "حسب المندوبية في أكتوبر", "ar").cross
    for keys in (fr, en, es, ar):
        assert {"c:inflation", "c:morocco", "c:october", "n:1", "n:8"} <= set(keys)


@pytest.mark.parametrize(
    ("title", "text"),
    [("", ""), ("   ", "\n\n"), ("!!!", "... ---"), ("", "的 这是 一个 测试"), ("Только заголовок", "")],
)
def test_odd_inputs_give_features_without_error(title: str, text: str) -> None:
    features = extract(title, text, "xx")
    assert features.language == "xx"
    assert not features.cross or all(":" in key for key in features.cross)


def test_a_huge_page_is_read_only_from_its_lead() -> None:
    features = extract("Titre", "mot " * 200_000, "fr")
    assert len(features.tokens) <= 400
