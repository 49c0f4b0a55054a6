"""Point 7 of the issue over real HTTP: distinct loopback source addresses stand for distinct networks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from akhbar.moderation.policy import Policy
from akhbar.web.report import THANKS

NETWORKS = ("127.0.0.1", "127.0.1.1", "127.0.2.1")
PLACEHOLDER = "/static/blocked.svg"


def test_one_client_reporting_1000_times_blocks_nothing(live, add_article, report):
    shown = add_article()
    with live.client() as client:
        answers = [report(client, shown.image.id)]  # the first report sets the reporter cookie
        with ThreadPoolExecutor(max_workers=8) as pool:  # the repeats race each other, as a script's would
            answers += pool.map(lambda _: report(client, shown.image.id), range(999))
    assert {a.status_code for a in answers} == {200}
    assert not any(a.json()["blocked"] for a in answers)
    assert live.store.image_by_id(shown.image.id).state == "ok"
    assert live.store.image_report_tally(shown.image.id).reporters == 1


def test_three_cookies_from_one_network_block_nothing(live, add_article, report):
    shown = add_article()
    for _ in range(3):
        with live.client(NETWORKS[0]) as client:
            assert report(client, shown.image.id).json() == {"message": THANKS, "blocked": False}
    tally = live.store.image_report_tally(shown.image.id)
    assert (tally.reporters, tally.networks) == (3, 1)
    assert live.store.image_by_id(shown.image.id).state == "ok"


def test_forwarded_headers_are_not_believed_by_default(live, add_article, report):
    shown = add_article()
    for n in range(3):
        with live.client(NETWORKS[0]) as client:
            client.headers["x-forwarded-for"] = f"198.51.{n}.7"
            report(client, shown.image.id)
    assert live.store.image_report_tally(shown.image.id).networks == 1
    assert live.store.image_by_id(shown.image.id).state == "ok"


def test_a_trusted_proxy_gives_the_client_network(make_live, add_article, report):
    live = make_live(trusted_proxies="127.0.0.0/24")
    shown = add_article()
    for n in range(3):
        with live.client(NETWORKS[0]) as client:
            client.headers["x-forwarded-for"] = f"198.51.{n}.7, 127.0.0.5"
            answer = report(client, shown.image.id)
    assert answer.json()["blocked"] is True
    assert live.store.image_report_tally(shown.image.id).networks == 3


def test_three_reporters_from_two_networks_block_within_the_crossing_request(live, add_article, report):
    shown = add_article()
    with live.client() as reader:
        page = reader.get(f"/article/{shown.article.id}")
        assert page.status_code == 200 and PLACEHOLDER not in page.text  # now cached
        addresses = [NETWORKS[0], NETWORKS[1], NETWORKS[0]]
        answers = []
        for address in addresses:
            with live.client(address) as client:
                answers.append(report(client, shown.image.id).json()["blocked"])
        assert answers == [False, False, True]
        assert live.store.image_by_id(shown.image.id).state == "blocked"
        assert PLACEHOLDER in reader.get(f"/article/{shown.article.id}").text


def test_without_javascript_the_form_page_posts_and_thanks(live, add_article):
    shown = add_article()
    with live.client() as client:
        form = client.get("/img/report", params={"image": shown.image.id, "edition": "fr", "back": "/"})
        assert form.status_code == 200 and "no-store" in form.headers["cache-control"]
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        done = client.post(
            "/img/report", data={"csrf_token": token, "image": shown.image.id, "edition": "fr"}
        )
    assert done.status_code == 200
    assert THANKS in done.text.replace("&#39;", "'")
    assert "akhbar_reporter" in done.headers["set-cookie"]


def test_fifty_concurrent_reports_are_all_counted(make_live, add_article, report):
    live = make_live(report_min_reporters=1000)  # keep counting: nothing blocks before the end
    shown = add_article()

    def one(n: int) -> int:
        with live.client(NETWORKS[n % 3]) as client:
            return report(client, shown.image.id).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(one, range(50)))
    assert codes == [200] * 50
    assert live.store.image_report_tally(shown.image.id).reporters == 50


def test_restore_makes_the_image_visible_again_and_protects_it(live, add_article, report):
    shown = add_article()
    for address in (NETWORKS[0], NETWORKS[1], NETWORKS[2]):
        with live.client(address) as client:
            report(client, shown.image.id)
    policy = Policy.from_settings(live.settings)
    with live.client() as reader:
        assert PLACEHOLDER in reader.get(f"/article/{shown.article.id}").text
        state = live.store.moderate_image(
            shown.image.id,
            "restore",
            actor="mona",
            reason="rien de choquant",
            now=datetime.now(UTC),
            policy=policy,
        )
        live.app.state.page_cache.invalidate()  # what the moderation page does after an action
        assert state == "ok"
        page = reader.get(f"/article/{shown.article.id}").text
        assert PLACEHOLDER not in page and "/img/" in page
    for address in (NETWORKS[0], NETWORKS[1], NETWORKS[2]):  # new readers: the image is protected
        with live.client(address) as client:
            assert report(client, shown.image.id).json()["blocked"] is False
    assert live.store.image_by_id(shown.image.id).state == "ok"


@pytest.mark.parametrize("same_cookie", [True, False])
def test_the_rate_limit_answers_429_with_a_message(make_live, add_article, report, same_cookie):
    live = make_live(report_rate_limit=3, report_min_reporters=1000)
    images = [add_article().image.id for _ in range(4)]
    codes = []
    client = live.client()
    for image_id in images:
        if not same_cookie:  # a new cookie each time: the network's limit still holds
            client.close()
            client = live.client()
        codes.append(report(client, image_id))
    client.close()
    assert [a.status_code for a in codes] == [200, 200, 200, 429]
    assert codes[-1].json()["message"] == "Trop de signalements en peu de temps : réessayez dans une heure."
    assert codes[-1].headers["retry-after"] == "3600"
    with live.client(NETWORKS[1]) as other:  # another network is not held back
        assert report(other, images[-1]).status_code == 200


def test_the_429_message_is_translated(make_live, add_article, report):
    live = make_live(report_rate_limit=1)
    first, second = add_article().image.id, add_article().image.id
    with live.client() as client:
        report(client, first, edition="en")
        answer = report(client, second, edition="en")
    assert answer.status_code == 429
    assert answer.json()["message"] == "Too many reports in a short time: try again in an hour."


def test_a_report_needs_a_csrf_token(live, add_article):
    shown = add_article()
    with live.client() as client:
        answer = client.post("/img/report", data={"image": shown.image.id})
    assert answer.status_code == 403
    assert live.store.image_report_tally(shown.image.id).reporters == 0


def test_a_forged_image_reference_is_a_404(live, report):
    with live.client() as client:
        answer = report(client, "/img/forged/aHR0cHM6Ly9ldmlsLmV4YW1wbGUveC5qcGc")
    assert answer.status_code == 404


def test_readers_never_see_who_reported(live, add_article, report):
    shown = add_article()
    seen: list[str] = []
    for address in NETWORKS[:2]:
        with live.client(address) as client:
            report(client, shown.image.id)
            seen.append(client.cookies["akhbar_reporter"].split(".")[0])
    with live.client(NETWORKS[2]) as reader:
        pages = [
            reader.get(f"/article/{shown.article.id}").text,
            reader.get("/img/report", params={"image": shown.image.id}).text,
            reader.get("/api/v1/articles").text,
            reader.get(f"/api/v1/articles/{shown.article.id}").text,
        ]
    for body in pages:
        for secret in [*seen, "127.0.0.0/24", "127.0.1.0/24"]:
            assert secret not in body


@pytest.mark.parametrize(("prefix", "label"), [("", "Signaler cette image"), ("/en", "Report this image")])
def test_the_cached_article_page_carries_the_control_but_no_token(live, add_article, prefix, label):
    shown = add_article()
    with live.client() as reader:
        page = reader.get(f"{prefix}/article/{shown.article.id}")
    assert label in page.text and 'action="/img/report"' in page.text and "report.js" in page.text
    assert "csrf_token" not in page.text and "no-store" not in page.headers.get("cache-control", "")


def test_images_inside_the_text_get_a_control_too(live, store, add_article):
    shown = add_article()
    inline = "https://wire.example/img/inside.jpg"
    article = shown.article
    article.html = f'<p>Avant.</p><p><img src="{inline}" alt="dedans"></p>'
    source = store.source_by_id(article.source_id)
    store.save_refresh(source, [article])
    with live.client() as reader:
        body = reader.get(f"/article/{article.id}").text.split('class="article-body"')[1]
    assert body.count('class="image-report"') == 1 and "Signaler cette image" in body
