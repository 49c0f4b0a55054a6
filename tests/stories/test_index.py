"""Placing articles: copies, stories across languages, distractors, the window, odd inputs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from akhbar.enrich.stories import Doc, Placement, StoryIndex

MakeDoc = Callable[..., Doc]

DISPATCH = (
    "Rabat, 27 nov. (DMP) – L'indice des prix à la consommation a augmenté de 1,8 % en glissement annuel "
    "au mois d'octobre, après 2,3 % en septembre, selon une note publiée vendredi par le Haut-Commissariat "
    "au Plan. Cette décélération s'explique par la baisse des prix des produits alimentaires, en recul de "
    "0,6 % sur un mois, notamment pour les légumes frais, les fruits et les huiles."
)


def test_a_copy_points_to_the_earliest_version_and_joins_its_story(make_doc: MakeDoc) -> None:
    index = StoryIndex()
    first = index.place(make_doc("L'inflation ralentit à 1,8 %", DISPATCH))
    copy = index.place(
        make_doc("Inflation : 1,8 % sur un an", DISPATCH.replace("Rabat, 27 nov. (DMP) – ", ""))
    )
    again = index.place(make_doc("L'inflation à 1,8 %", DISPATCH + " Avec DMP."))
    assert first == Placement(1, 1, None)
    assert copy == Placement(2, 1, 1)
    assert again == Placement(3, 1, 1)


def test_the_same_event_across_languages_joins_one_story(make_doc: MakeDoc) -> None:
    index = StoryIndex()
    fr = index.place(make_doc("L'inflation ralentit à 1,8 % en octobre au Maroc, selon le HCP", DISPATCH))
    ar = index.place(
        make_doc(
            "التضخم يتباطأ إلى 1.8 في المائة في أكتوبر بالمغرب",
            "أعلنت المندوبية السامية للتخطيط أن مؤشر أسعار الاستهلاك ارتفع بنسبة 1.8 في المائة في أكتوبر "
            "بعد 2.3 في المائة في شتنبر، بسبب تراجع أسعار المواد الغذائية بنسبة 0.6 في المائة.",
            "ar",
        )
    )
    en = index.place(
        make_doc(
            "Morocco's inflation slows to 1.8% in October",
            "Consumer prices rose 1.8% year on year in October after 2.3% in September, the HCP said on "
            "Friday, as food prices fell 0.6% over the month.",
            "en",
        )
    )
    assert fr.story_id == ar.story_id == en.story_id == 1
    assert ar.duplicate_of is None and en.duplicate_of is None


def test_a_distractor_in_the_same_place_starts_its_own_story(make_doc: MakeDoc) -> None:
    index = StoryIndex()
    index.place(
        make_doc(
            "Fortes pluies à Tanger : les écoles fermées jeudi",
            "Après une nuit de précipitations exceptionnelles, les autorités ont suspendu les cours dans les "
            "établissements scolaires de Tanger et de plusieurs communes voisines. La météo annonce encore "
            "des orages et des inondations localisées jusqu'à vendredi soir.",
        )
    )
    other = index.place(
        make_doc(
            "Tanger Med bat son record de conteneurs",
            "Le complexe portuaire a traité 9,1 millions de conteneurs entre janvier et octobre, une hausse "
            "de 11,4 % sur un an, selon l'autorité portuaire, qui publiera son bilan annuel en janvier. Le "
            "transbordement représente près de 70 % de l'activité du port.",
        )
    )
    assert other.story_id == other.article_id


def test_stories_close_after_the_window(make_doc: MakeDoc) -> None:
    index = StoryIndex(window=timedelta(hours=72))
    title, text = (
        "Fortes pluies à Tanger : les écoles fermées",
        "Les cours sont suspendus à Tanger et Tétouan.",
    )
    index.place(make_doc(title, text, hours=1))
    late = index.place(make_doc(title, text + " Encore.", hours=100))
    assert late.story_id == late.article_id
    assert len(index) == 1  # the first story was dropped


def test_an_article_older_than_the_window_stands_alone(make_doc: MakeDoc) -> None:
    index = StoryIndex(window=timedelta(hours=72))
    index.place(make_doc("Fortes pluies à Tanger", "Les écoles de Tanger fermées.", hours=200))
    old = index.place(make_doc("Fortes pluies à Tanger", "Les écoles de Tanger fermées.", hours=1))
    assert old == Placement(old.article_id, old.article_id)


def test_odd_inputs_are_placed_without_error(make_doc: MakeDoc) -> None:
    index = StoryIndex()
    docs = [
        make_doc("", ""),
        make_doc("Titre seul : le Raja bat le Wydad", ""),
        make_doc("Page géante", "mot différent " * 100_000),
        make_doc("这是一个标题", "这是一个测试文本，没有拉丁字母。", "zh"),
        make_doc("Заголовок", "Текст новости на русском языке.", ""),
    ]
    placements = [index.place(doc) for doc in docs]
    assert [p.article_id for p in placements] == [d.id for d in docs]
    assert placements[0] == Placement(docs[0].id, docs[0].id)


def test_placing_is_deterministic(make_doc: MakeDoc) -> None:
    docs = [make_doc(f"Sujet {i % 3} : Rabat Tanger Agadir", DISPATCH if i % 2 else "") for i in range(12)]
    first = [StoryIndex().place(d) for d in docs[:1]]
    one, two = StoryIndex(), StoryIndex()
    assert [one.place(d) for d in docs] == [two.place(d) for d in docs]
    assert first


def test_restore_rebuilds_an_index_that_places_the_next_article_alike(make_doc: MakeDoc) -> None:
    docs = [make_doc(f"Le port de Dakhla Atlantique, étape {i}", DISPATCH[: 80 + 10 * i]) for i in range(6)]
    live = StoryIndex()
    placements = [live.place(d) for d in docs[:5]]
    rebuilt = StoryIndex()
    for doc, placement in zip(docs[:5], placements, strict=True):
        rebuilt.restore(doc, placement)
    assert rebuilt.place(docs[5]) == live.place(docs[5])


def test_the_postings_name_exactly_the_open_stories_that_have_each_key(make_doc: MakeDoc) -> None:
    places = ["Rabat", "Tanger", "Agadir", "Dakhla", "Oujda"]
    topics = ["pluies et écoles fermées", "grève des transports", "record du port", "festival de musique"]
    index = StoryIndex(window=timedelta(hours=24))
    for i in range(120):  # an article every 2 hours: stories close as the window moves on
        place, topic = places[i % 5], topics[(i // 5) % 4]
        text = f"À {place}, {topic} depuis {i % 7} jours selon les autorités de la région."
        index.place(make_doc(f"{place} : {topic}", text, hours=2 * i + 1))
        expected: dict[str, set[int]] = {}
        for story in index.stories.values():
            for key in (*(k for words in story.words.values() for k in words), *story.cross):
                expected.setdefault(key, set()).add(story.id)
        held = {key: {p} if isinstance(p, int) else p for key, p in index.postings.items()}
        assert held == expected
