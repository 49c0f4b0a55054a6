"""Generate many synthetic outlets with realistic-length articles for benchmarks (deterministic)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from akhbar.demo.content import CATEGORIES, FEED_FORMATS, LANGUAGES, DemoArticle, Outlet

SYNTHETIC_NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

# Our own word lists, only meant to look like each language to a reader or a language detector.
_TEXTS = {
    "fr": (
        "le la les un une des du de et dans pour avec sur par ce cette qui que ville conseil projet région "
        "gouvernement marché habitants semaine année travaux école route port budget saison équipe match "
        "festival musée récolte pluie entreprise emploi santé hôpital nouveau nouvelle grand petite premier "
        "dernier important annonce présente prévoit réunit accueille lance confirme selon depuis encore "
        "aussi plus moins très déjà bientôt ensemble entre après avant pendant contre vers"
    ),
    "ar": (
        "في من على إلى عن مع هذا هذه الذي التي المدينة المجلس المشروع الجهة الحكومة السوق السكان الأسبوع "
        "السنة الأشغال المدرسة الطريق الميناء الميزانية الموسم الفريق المباراة المهرجان المتحف المحصول "
        "الأمطار الشركة العمل الصحة المستشفى جديد جديدة كبير صغيرة الأول الأخير مهم أعلن قدم يتوقع استقبل "
        "أطلق أكد حسب منذ أيضا أكثر أقل جدا قريبا بين بعد قبل خلال ضد نحو"
    ),
    "en": (
        "the a an of and in for with on by this that which town council project region government market "
        "residents week year works school road harbour budget season team match festival museum harvest "
        "rain company jobs health hospital new large small first last important announced presented plans "
        "gathers welcomes launches confirms according since still also more less very already soon together "
        "between after before during against towards"
    ),
    "es": (
        "el la los las un una de del y en para con sobre por este esta que ciudad consejo proyecto región "
        "gobierno mercado vecinos semana año obras escuela carretera puerto presupuesto temporada equipo "
        "partido festival museo cosecha lluvia empresa empleo salud hospital nuevo nueva gran pequeña primer "
        "último importante anunció presentó prevé reúne acoge lanza confirma según desde todavía también más "
        "menos muy ya pronto juntos entre después antes durante contra hacia"
    ),
}
_WORDS = {language: text.split() for language, text in _TEXTS.items()}
_NAMES = {"fr": "La Gazette de test {n}", "ar": "صحيفة الاختبار {n}", "en": "The Test Courier {n}",
          "es": "El Diario de prueba {n}"}
_PALETTE = ("#1d4e89", "#8c2f39", "#2d6a4f", "#6a4c93", "#b5651d", "#30475e", "#7d1935", "#14746f")


def _sentence(rng: random.Random, words: list[str], low: int, high: int) -> str:
    text = " ".join(rng.choices(words, k=rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str], size: int) -> tuple[str, int]:
    sentences, count = [], 0
    while count < size:
        sentence = _sentence(rng, words, 8, min(20, max(8, size - count)))
        sentences.append(sentence)
        count += sentence.count(" ") + 1
    return " ".join(sentences), count


def _body(rng: random.Random, words: list[str]) -> str:
    total = rng.randint(400, 770)  # each paragraph may overshoot its size by a few words: stay within 400-800
    paragraphs, count = [], 0
    while count < total:
        text, size = _paragraph(rng, words, min(rng.randint(60, 130), max(total - count, 30)))
        paragraphs.append(text)
        count += size
    return "\n\n".join(paragraphs)


def _article(rng: random.Random, language: str, outlet_slug: str, index: int, now: datetime) -> DemoArticle:
    words = _WORDS[language]
    title = _sentence(rng, words, 6, 11).rstrip(".")
    return DemoArticle(
        slug=f"{outlet_slug}-article-{index:04d}",
        title=title,
        author=" ".join(w.capitalize() for w in rng.choices(words, k=2)),
        published=now - timedelta(minutes=rng.randint(0, 7 * 24 * 60)),
        category=rng.choice(CATEGORIES),
        tags=[w.capitalize() for w in rng.sample(words, 2)],
        summary=_sentence(rng, words, 18, 32),
        image_caption=_sentence(rng, words, 4, 8),
        story=f"story-{rng.randint(0, 49)}" if rng.random() < 0.3 else "",
        body=_body(rng, words),
    )


def synthetic_outlets(n_sources: int, items: int, seed: int = 0, now: datetime | None = None) -> list[Outlet]:
    """Return n_sources outlets of `items` articles each, cycling languages and feed formats."""
    rng = random.Random(seed)
    now = now or SYNTHETIC_NOW
    outlets = []
    for i in range(n_sources):
        language = LANGUAGES[i % len(LANGUAGES)]
        slug = f"synthetic-{i:04d}"
        outlet = Outlet(
            slug=slug,
            name=_NAMES[language].format(n=i + 1),
            language=language,
            tagline=_sentence(rng, _WORDS[language], 5, 9),
            feed_format=FEED_FORMATS[(i + i // 4) % len(FEED_FORMATS)],  # shifted: all language/format pairs
            feed_link=True,
            broken=False,
            color=_PALETTE[i % len(_PALETTE)],
            full_content_in_feed=i % 2 == 1,
        )
        outlet.articles = [_article(rng, language, slug, j, now) for j in range(items)]
        outlets.append(outlet)
    return outlets
