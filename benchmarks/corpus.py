"""Build (once) a SQLite database of N generated multilingual articles for the search and web benchmarks.

`.venv/bin/python benchmarks/corpus.py [--articles 1000000]`, or `build_corpus(path, n)` from a benchmark.
The database is made by Store.open (so it has every migration), then filled with bulk inserts into the
articles table and the articles_fts index, in id order, with publication dates that follow the ids (as a
live aggregator's arrivals do) except for 2% backfilled older articles. Words come from our own lists: a
few news words per language with fixed, high document frequencies ("maroc" in ~35% of French articles),
a core of common words, and a long tail of generated words drawn with Zipf-like weights. Bodies are one
short paragraph (40-90 words): enough for ranking and snippets, and a 1,000,000-article build stays at
a few minutes. The result is cached under benchmarks/.cache/ and reused when present.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from akhbar.search.normalize import normalize
from akhbar.store import Store, fts

CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 20261129
END = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
BATCH = 5000
LANGUAGE_SHARE = {"fr": 0.4, "ar": 0.3, "en": 0.15, "es": 0.15}
CATEGORY_SLUGS = (
    "politique",
    "economie",
    "societe",
    "monde",
    "sport",
    "culture",
    "sante",
    "technologie",
    "regions",
)
# (word, share of the language's articles that contain it): the query mix's very common words.
TOPICS = {
    "fr": [
        ("maroc", 0.35),
        ("gouvernement", 0.25),
        ("économie", 0.12),
        ("élections", 0.05),
        ("sécheresse", 0.01),
    ],
    "ar": [("المغرب", 0.35), ("الحكومة", 0.25), ("الاقتصاد", 0.12), ("الانتخابات", 0.05), ("الجفاف", 0.01)],
    "en": [("morocco", 0.3), ("government", 0.25), ("economy", 0.1), ("elections", 0.05), ("drought", 0.01)],
    "es": [("marruecos", 0.3), ("gobierno", 0.25), ("economía", 0.1), ("elecciones", 0.05), ("sequía", 0.01)],
}
CORE = {
    "fr": (
        "le la les un une des du de et à dans pour avec sur par ce qui que ville conseil projet région "
        "marché habitants semaine année travaux école route port budget saison équipe match festival "
        "musée pluie entreprise emploi santé hôpital nouveau grand premier dernier annonce présente "
        "prévoit selon depuis encore ministre rabat casablanca tanger parlement réforme investissement "
        "jeunes agriculture tourisme eau énergie"
    ),
    "ar": (
        "في من على إلى عن مع هذا هذه الذي التي المدينة المجلس المشروع الجهة السوق السكان الأسبوع السنة "
        "الأشغال المدرسة الطريق الميناء الميزانية الموسم الفريق المباراة المهرجان الأمطار الشركة العمل "
        "الصحة المستشفى جديد كبير الأول الأخير أعلن قدم حسب منذ أيضا الوزير الرباط الدار البيضاء طنجة "
        "البرلمان الإصلاح الاستثمار الشباب الفلاحة السياحة الماء الطاقة"
    ),
    "en": (
        "the a of and in for with on by this that which town council project region market residents "
        "week year works school road harbour budget season team match festival museum rain company jobs "
        "health hospital new large first last announced presented plans according since still minister "
        "parliament reform investment youth farming tourism water energy"
    ),
    "es": (
        "el la los las un una de del y en para con sobre por este que ciudad consejo proyecto región "
        "mercado vecinos semana año obras escuela carretera puerto presupuesto temporada equipo partido "
        "festival museo lluvia empresa empleo salud hospital nuevo gran primero último anuncia presenta "
        "prevé según desde ministro parlamento reforma inversión jóvenes agricultura turismo agua "
        "energía"
    ),
}
SYLLABLES = {
    "fr": "ba be bi bo bou ca ce ci co da de di do fa fe fi la le li lo ma me mi mo na ne ni no pa pe "
    "pi po ra re ri ro sa se si so ta te ti to va ve vi ré té lé mé né ès ain ion eau our ent",
    "ar": "با بو بي تا تو تي دا دو دي را رو ري سا سو سي ما مو مي نا نو ني لا لو لي كا كو كي فا فو في "
    "ها هو هي عا عو عي قا قو قي جا جو جي",
    "en": "ba be bi bo ca ce co da de do fa fe fi la le li lo ma me mi mo na ne no pa pe po ra re ri "
    "ro sa se si so ta te ti to ing er ed ly th sh",
    "es": "ba be bi bo ca ce ci co da de di do fa fe fi la le li lo ma me mi mo na ne ni no pa pe pi po "
    "ra re ri ro sa se si so ta te ti to ción dad ía",
}
TAIL_WORDS = 8000


def _tail(rng: random.Random, language: str) -> list[str]:
    """Return generated words of 2-4 syllables, distinct, in a fixed order (rank = frequency order)."""
    syllables = SYLLABLES[language].split()
    found: dict[str, None] = {}
    while len(found) < TAIL_WORDS:
        found["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))] = None
    return list(found)


class Language:
    """A language's vocabulary with cumulative Zipf-like weights, original and normalised side by side."""

    def __init__(self, rng: random.Random, code: str) -> None:
        self.code = code
        self.words = CORE[code].split() + _tail(rng, code)
        self.normal = [normalize(word) for word in self.words]
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(self.words))))
        self.topics = [(word, normalize(word), share) for word, share in TOPICS[code]]

    def text(self, rng: random.Random, low: int, high: int) -> tuple[str, str]:
        """Return (original, normalised) text of low..high words with the topic words at their shares."""
        picks = rng.choices(range(len(self.words)), cum_weights=self.cum, k=rng.randint(low, high))
        original = [self.words[i] for i in picks]
        normal = [self.normal[i] for i in picks]
        for word, norm, share in self.topics:
            if rng.random() < share:
                at = rng.randrange(len(original) + 1)
                original.insert(at, word)
                normal.insert(at, norm)
        return " ".join(original), " ".join(normal)


def _sources(conn: sqlite3.Connection, rng: random.Random) -> list[tuple[int, str, float]]:
    """Insert 200 sources and return (id, language, weight): a few big outlets, a long tail of small ones."""
    now = END.strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = []
    for index in range(200):
        language = rng.choices(list(LANGUAGE_SHARE), weights=list(LANGUAGE_SHARE.values()))[0]
        rows.append(
            (
                index + 1,
                f"source-{index + 1}",
                f"Source {index + 1}",
                f"https://s{index + 1}.example/",
                language,
            )
        )
    conn.executemany(
        "INSERT INTO sources(id, slug, name, url, language, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(*row, now) for row in rows],
    )
    return [(row[0], row[4], 1.0 / (i + 1) ** 1.1) for i, row in enumerate(rows)]


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows(n: int, rng: random.Random, sources: list[tuple[int, str, float]]) -> Iterator[tuple[tuple, tuple]]:
    """Yield (articles row, fts row) for n articles in id order."""
    languages = {code: Language(rng, code) for code in LANGUAGE_SHARE}
    cum = list(itertools.accumulate(weight for _, _, weight in sources))
    start = END - SPAN
    step = SPAN / max(n, 1)
    for index in range(n):
        source_id, code, _ = sources[rng.choices(range(len(sources)), cum_weights=cum)[0]]
        arrived = start + step * index
        published = (
            arrived - SPAN * rng.random() * 0.5
            if rng.random() < 0.02
            else arrived - timedelta(minutes=rng.randint(0, 90))
        )
        category = rng.choice(CATEGORY_SLUGS)
        title, title_n = languages[code].text(rng, 6, 12)
        body, body_n = languages[code].text(rng, 40, 90)
        url = f"https://s{source_id}.example/a/{index + 1}"
        yield (
            (
                index + 1,
                source_id,
                url,
                url,
                url,
                title.capitalize(),
                body,
                f"<p>{body}</p>",
                f"https://s{source_id}.example/i/{index + 1}.jpg",
                _stamp(published),
                _stamp(arrived),
                code,
                category,
            ),
            (index + 1, title_n, body_n, fts.tags(source_id, code, category, published)),
        )


_ARTICLE = (
    "INSERT INTO articles(id, source_id, guid, url, canonical_url, title, text, html, image, published_at, "
    "fetched_at, language, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _fill(path: Path, n: int) -> None:
    Store.open(f"sqlite:///{path}").close()  # every migration, exactly as the application has them
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    rng = random.Random(SEED)
    conn.execute("BEGIN")
    sources = _sources(conn, rng)
    started = time.perf_counter()
    rows = _rows(n, rng, sources)
    done = 0
    while batch := list(itertools.islice(rows, BATCH)):
        conn.executemany(_ARTICLE, [row for row, _ in batch])
        conn.executemany(
            "INSERT INTO articles_fts(rowid, title, body, tags) VALUES (?, ?, ?, ?)", [f for _, f in batch]
        )
        done += len(batch)
        if done % 100_000 == 0:
            print(f"corpus: {done:,} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("ANALYZE")
    conn.close()


def schema_digest() -> str:
    """Return a digest of the migrations and the index format: a corpus built under others is built again."""
    from akhbar.store import migrations

    versions = Path(migrations.__file__).parent / "versions"
    digest = hashlib.blake2b(digest_size=6)
    digest.update(f"fts-index-{fts.INDEX_VERSION}".encode())
    for path in sorted(versions.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def build_corpus(path: Path | None = None, n: int = 1_000_000) -> Path:
    """Return a database of n generated articles at path (default under .cache/), building it if absent."""
    path = path or CACHE / f"corpus-{n}-{schema_digest()}.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    _fill(partial, n)
    partial.rename(path)
    return path


def main() -> None:
    """Build the corpus from the command line and say where it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    path = build_corpus(n=args.articles)
    print(
        f"corpus: {path} ({path.stat().st_size / 1e6:.0f} MB) ready in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
