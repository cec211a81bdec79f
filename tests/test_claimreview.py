"""ClaimReview in and out: each accepted shape as flat rows, errors, the writer's round trip."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from claimtrack.errors import InvalidInput
from claimtrack.flatfile.claimreview import FlatRow, looks_like_claimreview, read_claimreview
from claimtrack.flatfile.claimreview_writer import claimreview_objects

FIXTURES = Path(__file__).parent / "fixtures" / "claimreview"
FLAT_KEYS = [
    "id",
    "uid",
    "responds_to",
    "responds_to_uid",
    "stance",
    "text",
    "by",
    "side",
    "on",
    "quote",
    "sources",
    "tags",
    "note",
    "verdict",
    "verdict_value",
    "verdict_best",
    "verdict_worst",
]


def read(fixture: str) -> list[FlatRow]:
    """The rows of a fixture file, read under its own name."""
    with open(FIXTURES / fixture, "rb") as stream:
        return list(read_claimreview(stream, fixture))


def read_bytes(data: bytes, name: str = "feed.json") -> list[FlatRow]:
    """The rows of `data` as a file called `name`."""
    return list(read_claimreview(io.BytesIO(data), name))


def read_json(document: object) -> list[FlatRow]:
    """The rows of a JSON document, written as UTF-8."""
    return read_bytes(json.dumps(document, ensure_ascii=False, indent=1).encode())


def problems_of(data: bytes, name: str = "feed.json") -> list[str]:
    """The lines of the InvalidInput raised when reading `data`."""
    with pytest.raises(InvalidInput) as raised:
        read_bytes(data, name)
    return str(raised.value).splitlines()


def source(url=None, title=None, outlet=None, published=None, archived_url=None) -> dict:
    """A source as the rows give it."""
    return {
        "url": url,
        "title": title,
        "outlet": outlet,
        "published": published,
        "archived_url": archived_url,
    }


def claim_row(label: str, text: str, by: str | None, on: str | None, sources=()) -> dict:
    """A reviewed claim's row."""
    return dict.fromkeys(FLAT_KEYS) | {
        "id": label,
        "text": text,
        "by": by,
        "on": on,
        "sources": list(sources),
        "tags": [],
    }


def review_row(label, answers, stance, text, by, on, url, verdict, *scale) -> dict:
    """A review's row, with its URL as its one source and its verdict's label and numbers."""
    value, best, worst = (*scale, None, None, None)[:3]
    return dict.fromkeys(FLAT_KEYS) | {
        "id": label,
        "responds_to": answers,
        "stance": stance,
        "text": text,
        "by": by,
        "on": on,
        "sources": [source(url)] if url else [],
        "tags": [],
        "verdict": verdict,
        "verdict_value": value,
        "verdict_best": best,
        "verdict_worst": worst,
    }


TROOPS = "Armenia is massing troops along the border."
MOD_AZ = "Azerbaijani Defense Ministry"
STATEMENT = "https://mod.example.az/news/2024-03-27-statement"
TROOPS_REVIEW = "https://factcheck.example.am/2024/04/troops-border"
NO_BUILD_UP = "No sign of an Armenian troop build-up on the border"


# -- reading each shape ----------------------------------------------------------------------


def test_a_single_claimreview_is_a_claim_row_and_a_review_row_answering_it() -> None:
    rows = read("single.json")
    assert [row.where for row in rows] == ["single.json: $", "single.json: $"]
    assert [row.values for row in rows] == [
        claim_row("c1", TROOPS, MOD_AZ, "2024-03-27", [source(STATEMENT)]),
        review_row(
            "r1", "c1", "refutes", NO_BUILD_UP, "Border Facts", "2024-04-05", TROOPS_REVIEW,
            "False", 1, 5, 1,
        ),
    ]  # fmt: skip


def test_a_list_of_claimreviews_with_author_lists_and_no_item_reviewed() -> None:
    rows = read("list.json")
    assert [row.where for row in rows] == ["list.json: $[0]"] * 2 + ["list.json: $[1]"] * 2
    assert [row.values for row in rows] == [
        claim_row(
            "c1",
            "The trilateral meeting is “directed against Azerbaijan”.",
            "Ilham Aliyev",
            "2024-04-03",
            [
                source(
                    "https://www.azatutyun.am/a/32892927.html",
                    "Baku Again Blasts U.S.-EU-Armenia Talks",
                    "Azatutyun",
                    "2024-04-05",
                ),
                source("https://president.example.az/articles/call-2024-04-03"),
            ],
        ),
        review_row(
            "r1", "c1", "refutes", "La réunion de Bruxelles n’est pas dirigée contre l’Azerbaïdjan",
            "Vérif’ Caucase", "2024-04-05", "https://verif.example.fr/2024/04/05/reunion-bruxelles",
            "Faux",
        ),
        claim_row("c2", "The Armenian army again violated the ceasefire.", None, None),
        review_row(
            "r2", "c2", "disputes", "Ceasefire violation claim lacks evidence", "Border Facts",
            "2024-04-06", "https://factcheck.example.am/2024/04/ceasefire", "Unproven", 3, 5, 1,
        ),
    ]  # fmt: skip


def test_a_graph_keeps_its_claimreviews_with_image_and_video_appearances() -> None:
    rows = read("graph.json")
    assert [row.where for row in rows] == ["graph.json: $.@graph[2]"] * 2 + [
        "graph.json: $.@graph[3]"
    ] * 2
    video = source(
        "https://video.example.com/watch/abc123",
        "Срочно: мобилизация",
        "Новости 24",
        "2022-02-23",
        "https://archive.example.org/web/20220223/https://video.example.com/watch/abc123",
    )
    image = source(
        "https://img.example.com/mobilization.jpg",
        "Скриншот приказа",
        archived_url="https://archive.example.org/img/mobilization.jpg",
    )
    assert [row.values for row in rows] == [
        claim_row(
            "c1", "В стране объявлена всеобщая мобилизация.", "Анонимный канал «Новости 24»",
            "2022-02-23", [video, image],
        ),
        review_row(
            "r1", "c1", "refutes", "Сообщение о всеобщей мобилизации — фейк", "Проверка фактов",
            "2022-02-24", "https://proverka.example.ru/2022/02/24/mobilizatsiya", "Фейк", 0, 1, 0,
        ),
        claim_row("c2", "Хлеб подорожал вдвое за неделю.", "Блогер Иван", "2022-02"),
        review_row(
            "r2", "c2", "disputes", "Цены на хлеб выросли, но не вдвое", "Проверка фактов",
            "2022-02-25", "https://proverka.example.ru/2022/02/25/tseny", "Полуправда",
        ),
    ]  # fmt: skip


def test_a_fact_check_tools_api_response_gives_each_claim_once_with_its_reviews() -> None:
    rows = read("api_response.json")
    assert [row.where for row in rows] == [
        "api_response.json: $.claims[0].claimReview[0]",
        "api_response.json: $.claims[0].claimReview[0]",
        "api_response.json: $.claims[0].claimReview[1]",
        "api_response.json: $.claims[1].claimReview[0]",
        "api_response.json: $.claims[1].claimReview[0]",
    ]
    assert [row.values for row in rows] == [
        claim_row("c1", TROOPS, MOD_AZ, "2024-03-27"),
        review_row(
            "r1", "c1", "refutes", NO_BUILD_UP, "Border Facts", "2024-04-05", TROOPS_REVIEW, "False"
        ),
        review_row(
            "r2", "c1", "refutes", "Զորքերի կուտակման մասին պնդումը սուտ է", "stugum.example.am",
            "2024-04-06", "https://stugum.example.am/hy/2024/04/06/zorqer", "Սուտ",
        ),
        claim_row(
            "c2",
            "Azerbaijani forces opened fire at Armenian positions at two border sections.",
            "Armenian Defense Ministry",
            "2024-04-02",
        ),
        review_row(
            "r3", "c2", "disputes", "Yanıldıcı", "Faktyoxla", "2024-04-03",
            "https://faktyoxla.example.az/2024/04/atesh", "Yanıldıcı",
        ),
    ]  # fmt: skip


def test_a_datafeed_reads_items_given_as_a_list_or_as_one_review() -> None:
    rows = read("datafeed.json")
    assert [row.where for row in rows] == ["datafeed.json: $.dataFeedElement[0].item[0]"] * 2 + [
        "datafeed.json: $.dataFeedElement[1].item"
    ] * 2
    assert [row.values for row in rows] == [
        claim_row("c1", TROOPS, MOD_AZ, "2024-03-27", [source(STATEMENT)]),
        review_row(
            "r1", "c1", "refutes", "False", "Border Facts", "2024-04-05", TROOPS_REVIEW, "False",
            1, 5, 1,
        ),
        claim_row(
            "c2", "The EU monitoring mission saw no troop build-up on the Armenian side.",
            "EU Monitoring Mission in Armenia", "2024-03-28",
        ),
        review_row(
            "r2", "c2", "supports", "EU monitors did see a build-up", "Border Facts", "2024-04-06",
            "https://factcheck.example.am/2024/04/monitors", "Ճիշտ է", 5, 5, 1,
        ),
    ]  # fmt: skip


def test_a_claim_reviewed_by_several_fact_checkers_is_one_claim_row() -> None:
    rows = read("same_claim.json")
    assert [(row.values["id"], row.values["responds_to"]) for row in rows] == [
        ("c1", None),
        ("r1", "c1"),
        ("r2", "c1"),
        ("r3", "c1"),
    ]
    assert [row.values["by"] for row in rows] == [
        MOD_AZ,
        "Border Facts",
        "Ստուգում",
        "Vérif’ Caucase",
    ]
    assert [row.values["stance"] for row in rows[1:]] == ["refutes", "refutes", "disputes"]


def test_a_later_review_adding_appearances_repeats_the_claim_row_with_every_source() -> None:
    def review(url: str, appearance: str) -> dict:
        return {
            "@type": "ClaimReview",
            "url": url,
            "claimReviewed": TROOPS,
            "itemReviewed": {"author": MOD_AZ, "appearance": appearance},
            "reviewRating": {"alternateName": "False"},
        }

    rows = read_json([review("https://a.example/1", STATEMENT), review("https://b.example/2", "x")])
    assert [row.values["id"] for row in rows] == ["c1", "r1", "c1", "r2"]
    assert rows[2].values["sources"] == [source(STATEMENT), source("x")]


def test_twenty_reviews_of_mixed_shapes() -> None:
    rows = read("twenty.json")
    reviews = [row.values for row in rows if row.values["verdict"]]
    claims = {row.values["id"]: row.values for row in rows if not row.values["verdict"]}
    assert len(reviews) == 20
    assert len(claims) == 9
    given_before = set()
    for row in rows:
        if row.values["verdict"]:
            assert row.values["responds_to"] in given_before
        given_before.add(row.values["id"])
    assert [(review["verdict"], review["stance"]) for review in reviews] == [
        ("False", "refutes"),
        ("Ложь", "refutes"),
        ("Սուտ", "refutes"),
        ("Yalan", "refutes"),
        ("Faux", "refutes"),
        ("Misleading", "disputes"),
        ("Манипуляция", "disputes"),
        ("Մանիպուլյացիա", "disputes"),
        ("Yanıldıcı", "disputes"),
        ("Trompeur", "disputes"),
        ("Missing context", "qualifies"),
        ("Fehlender Kontext", "qualifies"),
        ("Sin contexto", "qualifies"),
        ("True", "supports"),
        ("Правда", "supports"),
        ("Ճիշտ է", "supports"),
        ("Doğru", "supports"),
        ("Two Pinocchios", "disputes"),  # 2 on a 0-4 scale
        ("Rating: 4/5", "supports"),  # 4 on a 1-5 scale
        ("Falso", "refutes"),
    ]
    assert {review["on"] for review in reviews} == {
        "2024-04-05",
        "2024-04-06",
        "2024-04-07",
        "2024-04-08",
    }
    assert claims["c8"]["by"] is None  # the review without itemReviewed


@pytest.mark.parametrize(
    "kind",
    [
        "ClaimReview",
        ["Review", "ClaimReview"],
        "schema:ClaimReview",
        "http://schema.org/ClaimReview",
    ],
)
def test_type_may_be_a_list_or_a_prefixed_name(kind: object) -> None:
    rows = read_json({"@type": kind, "claimReviewed": "x", "reviewRating": {"name": "True"}})
    assert [row.values["stance"] for row in rows] == [None, "supports"]


def test_a_review_without_claimant_or_reviewer_is_given_with_by_empty() -> None:
    rows = read_json({"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"name": "?"}})
    assert [(row.values["by"], row.values["stance"], row.values["text"]) for row in rows] == [
        (None, None, "x"),
        (None, None, "?"),
    ]


def test_a_textual_rating_given_as_the_rating_value_is_the_label() -> None:
    rows = read_json(
        {"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"ratingValue": "Faux"}}
    )
    assert (rows[1].values["verdict"], rows[1].values["verdict_value"]) == ("Faux", None)


@pytest.mark.parametrize(
    ("given", "day"),
    [
        ("2022-02-23", "2022-02-23"),
        ("2022-02-23 16:15", "2022-02-23"),
        ("2022-02-23T16:15:00Z", "2022-02-23"),
        ("2022-02-23T23:15:00+02:00", "2022-02-23"),
        ("2022-02-23T00:15:00.123-05:00", "2022-02-23"),
        ("2022-02", "2022-02"),
        ("2022", "2022"),
        ("2022-02-23T16:15", "2022-02-23"),
    ],
)
def test_dates_keep_their_calendar_day(given: str, day: str) -> None:
    rows = read_json(
        {
            "@type": "ClaimReview",
            "claimReviewed": "x",
            "datePublished": given,
            "reviewRating": {"name": "True"},
        }
    )
    assert rows[1].values["on"] == day


def test_utf8_with_a_bom_and_crlf_line_ends_is_read() -> None:
    data = (FIXTURES / "single.json").read_bytes().replace(b"\n", b"\r\n")
    rows = read_bytes(b"\xef\xbb\xbf" + data)
    assert [row.values for row in rows] == [row.values for row in read("single.json")]


@pytest.mark.parametrize("document", [{}, [], {"claims": [], "nextPageToken": "x"}])
def test_an_empty_result_gives_no_rows(document: object) -> None:
    assert read_json(document) == []


# -- errors ----------------------------------------------------------------------------------


def test_every_bad_review_is_reported_by_its_json_path_after_the_good_rows() -> None:
    with open(FIXTURES / "bad_reviews.json", "rb") as stream:
        rows = read_claimreview(stream, "bad_reviews.json")
        assert [next(rows).values["id"], next(rows).values["id"]] == ["c1", "r1"]
        with pytest.raises(InvalidInput) as raised:
            next(rows)
    path = "bad_reviews.json: $.dataFeedElement"
    assert str(raised.value).splitlines() == [
        f"{path}[1].item.reviewRating: no rating label (alternateName or name).",
        f"{path}[2].item.reviewRating: no rating label (alternateName or name).",
        f"{path}[3].item.claimReviewed: the reviewed claim's text is missing.",
        f"{path}[3].item.reviewRating.bestRating: 'five' is not a number.",
        f"{path}[3].item.datePublished: '5 April 2024' is not a date: use ISO 8601, such as "
        "2024-04-05.",
    ]


@pytest.mark.parametrize("given", ["23 February 2022", "2022 16:15", "2022-02-30", "20220223"])
def test_a_date_that_is_not_one_is_reported(given: str) -> None:
    document = {"@type": "ClaimReview", "claimReviewed": "x", "datePublished": given}
    document["reviewRating"] = {"name": "True"}
    assert problems_of(json.dumps(document).encode()) == [
        f"feed.json: $.datePublished: {given!r} is not a date: use ISO 8601, such as 2024-04-05."
    ]


def test_an_api_review_without_rating_is_reported() -> None:
    data = json.dumps({"claims": [{"claimReview": [{"url": "https://a.example"}]}]}).encode()
    assert problems_of(data) == [
        "feed.json: $.claims[0].claimReview[0]: the claim's text is missing.",
        "feed.json: $.claims[0].claimReview[0].textualRating: no rating label.",
    ]


@pytest.mark.parametrize(
    ("fixture", "problem"),
    [
        ("bad_comments.json", "bad_comments.json:3: not JSON (comments are not allowed in JSON)."),
        ("bad_utf8.json", "bad_utf8.json:5: not UTF-8 text (byte 0xff): save the file as UTF-8."),
        (
            "bad_truncated.json",
            "bad_truncated.json:18: the JSON ends before it is complete: is the file cut short?",
        ),
    ],
)
def test_a_file_that_is_not_json_is_reported_with_its_line(fixture: str, problem: str) -> None:
    assert problems_of((FIXTURES / fixture).read_bytes(), fixture) == [problem]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "feed.json:1: the file is empty: it holds no JSON."),
        (b" \n\r\n", "feed.json:1: the file is empty: it holds no JSON."),
        (
            b'\n\n"ClaimReview"\n',
            "feed.json:3: the top level is a string, not an object or a list.",
        ),
        (b"[1,\n2,\n]", "feed.json:3: not JSON: ']' cannot be there."),
        (
            b'{"a": 1}\n{"b": 2}',
            "feed.json: there is more text after the end of the JSON document.",
        ),
        (
            b'{"@type": "WebPage"}',
            "feed.json: no ClaimReview in it: expected a ClaimReview, a list of them, a document "
            "with @graph, a DataFeed or a Fact Check Tools claims:search response.",
        ),
    ],
)
def test_a_file_of_the_wrong_shape_is_reported(data: bytes, problem: str) -> None:
    assert problems_of(data) == [problem]


def test_a_syntax_error_on_a_pipe_is_reported_without_a_line() -> None:
    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    with pytest.raises(InvalidInput) as raised:
        list(read_claimreview(Pipe(b"[1,\n// no\n]"), "-"))
    assert str(raised.value) == "-: not JSON (comments are not allowed in JSON)."


def test_a_long_list_is_read_one_review_at_a_time(tmp_path: Path) -> None:
    review = {
        "@type": "ClaimReview",
        "url": "https://a.example/r",
        "name": "x" * 3000,
        "claimReviewed": TROOPS,
        "reviewRating": {"alternateName": "False"},
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"@graph": [review] * 4000}))
    tracemalloc.start()
    with open(path, "rb") as stream:
        count = sum(1 for _row in read_claimreview(stream, "big.json"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 4001
    assert peak < path.stat().st_size / 5


def test_claimreview_content_is_recognised_from_the_start_of_a_file() -> None:
    for fixture in ("single.json", "list.json", "graph.json", "api_response.json", "datafeed.json"):
        assert looks_like_claimreview((FIXTURES / fixture).read_bytes())
    flat = [{"id": 1, "text": 'a "ClaimReview" of mine', "by": "x", "verdict": None}]
    assert not looks_like_claimreview(json.dumps(flat).encode())
    assert not looks_like_claimreview(b'[{"id": 1, "text": "about dataFeedElement"}]')


# -- writing ---------------------------------------------------------------------------------


def claim(text: str, by: str, on: str | None, sources=(), **more: object) -> dict:
    """A claim in the JSON shape of `show --json`."""
    return {
        "id": 1,
        "uid": None,
        "text": text,
        "by": by,
        "side": None,
        "on": on,
        "quote": None,
        "sources": list(sources),
        "tags": [],
        "note": None,
        "status": "unanswered",
        "responds_to": [],
        "created": "2024-04-05T10:00:00Z",
        "updated": "2024-04-05T10:00:00Z",
        "verdict": None,
    } | more


REVIEWED = claim(
    TROOPS,
    MOD_AZ,
    "2024-03",
    [
        source(STATEMENT),
        source(
            "https://www.azatutyun.am/a/32892927.html",
            "Baku Again Blasts U.S.-EU-Armenia Talks",
            "Azatutyun",
            "2024-04-05",
            "https://archive.example.org/32892927",
        ),
        source(title="Briefing on state TV"),
    ],
    uid="0b5e3a8c-2f4d-4e1a-9c6b-7d8e9f0a1b2c",
    tags=["border", "troops"],
    side="Azerbaijan",
    quote="massing troops",
)
REVIEW = claim(
    NO_BUILD_UP,
    "Border Facts",
    "2024-04-05",
    [source(TROOPS_REVIEW)],
    verdict={"label": "False", "value": 1, "best": 5, "worst": 1},
    responds_to=[{"id": 1, "stance": "refutes"}],
)


def test_the_writer_fills_every_claimreview_field_from_the_record() -> None:
    [written] = claimreview_objects([(REVIEW, REVIEWED)])
    assert written == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": TROOPS_REVIEW,
        "name": NO_BUILD_UP,
        "datePublished": "2024-04-05",
        "author": {"@type": "Organization", "name": "Border Facts"},
        "claimReviewed": TROOPS,
        "itemReviewed": {
            "@type": "Claim",
            "identifier": "urn:uuid:0b5e3a8c-2f4d-4e1a-9c6b-7d8e9f0a1b2c",
            "author": {"@type": "Organization", "name": MOD_AZ},
            "datePublished": "2024-03",
            "appearance": [
                {"@type": "CreativeWork", "url": STATEMENT},
                {
                    "@type": "CreativeWork",
                    "url": "https://www.azatutyun.am/a/32892927.html",
                    "headline": "Baku Again Blasts U.S.-EU-Armenia Talks",
                    "datePublished": "2024-04-05",
                    "archivedAt": "https://archive.example.org/32892927",
                    "publisher": {"@type": "Organization", "name": "Azatutyun"},
                },
                {"@type": "CreativeWork", "headline": "Briefing on state TV"},
            ],
            "keywords": ["border", "troops"],
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
    }


def pairs_of(rows: list[FlatRow]) -> list[tuple[dict, dict]]:
    """(review, reviewed claim) pairs in the JSON claim shape, rebuilt from read rows."""
    claims: dict[str, dict] = {}
    pairs = []
    for row in rows:
        values = row.values
        as_claim = claim(values["text"], values["by"], values["on"], values["sources"])
        as_claim |= {"uid": values["uid"], "tags": values["tags"]}
        if values["verdict"] is None:
            claims[values["id"]] = as_claim
            continue
        as_claim["verdict"] = {
            "label": values["verdict"],
            "value": values["verdict_value"],
            "best": values["verdict_best"],
            "worst": values["verdict_worst"],
        }
        pairs.append((as_claim, claims[values["responds_to"]]))
    return pairs


def write_and_read(pairs: list[tuple[dict, dict]]) -> tuple[list[dict], list[FlatRow]]:
    """The objects written for `pairs`, and the rows read back from them as a file."""
    written = list(claimreview_objects(pairs))
    return written, read_bytes(json.dumps(written, ensure_ascii=False).encode(), "export.json")


CARRIED = ("text", "by", "on", "sources", "tags", "uid")


def test_writing_then_reading_gives_the_same_claims_sources_and_verdicts() -> None:
    other_review = claim(
        "Կեղծ լուր",
        "Ստուգում",
        "2024-04-06",
        [
            source("https://stugum.example.am/1", "Ստուգում", "Ստուգում"),
            source("https://b.example"),
        ],
        verdict={"label": "Կեղծ", "value": None, "best": None, "worst": None},
        tags=["hy"],
        uid="1c2d3e4f-0000-4000-8000-000000000001",
    )
    written, rows = write_and_read([(REVIEW, REVIEWED), (other_review, REVIEWED)])
    [(review, reviewed), (second, reviewed_again)] = pairs_of(rows)
    assert [row.values["id"] for row in rows] == ["c1", "r1", "r2"]
    assert reviewed_again is reviewed
    for field in CARRIED:
        assert reviewed[field] == REVIEWED[field]
        assert review[field] == REVIEW[field]
        assert second[field] == other_review[field]
    assert (review["verdict"], second["verdict"]) == (REVIEW["verdict"], other_review["verdict"])
    assert list(claimreview_objects(pairs_of(rows))) == written


def test_every_written_object_expands_as_json_ld() -> None:
    def schema_org(url: str, options: object = None) -> dict:
        assert url.rstrip("/") in ("https://schema.org", "http://schema.org")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}},
        }

    for written in claimreview_objects([(REVIEW, REVIEWED), (REVIEW, claim('ա"\x00', "Б", None))]):
        [expanded] = jsonld.expand(written, {"documentLoader": schema_org})
        assert expanded["@type"] == ["https://schema.org/ClaimReview"]
        assert expanded["https://schema.org/claimReviewed"] == [
            {"@value": written["claimReviewed"]}
        ]
        [rating] = expanded["https://schema.org/reviewRating"]
        assert rating["https://schema.org/alternateName"] == [{"@value": "False"}]


# Any text: quotes, backslashes, control characters, Armenian, Cyrillic; not lone surrogates,
# which UTF-8 cannot carry, and not blank, which a claim cannot be.
ANY_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from('"\\\x00\x1b\u202e\u2028ԱաՍսուտЖжЁё'),
    ),
    min_size=1,
).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT, by=ANY_TEXT, review_text=ANY_TEXT, reviewer=ANY_TEXT, label=ANY_TEXT)
def test_any_text_survives_writing_and_reading(
    text: str, by: str, review_text: str, reviewer: str, label: str
) -> None:
    reviewed = claim(text, by, "2024-04-05", [source("https://a.example/x", title=review_text)])
    review = claim(review_text, reviewer, None, [], verdict={"label": label})
    _written, rows = write_and_read([(review, reviewed)])
    [(review_back, reviewed_back)] = pairs_of(rows)
    assert (reviewed_back["text"], reviewed_back["by"]) == (text, by)
    assert (review_back["text"], review_back["by"]) == (review_text, reviewer)
    assert reviewed_back["sources"] == reviewed["sources"]
    assert review_back["verdict"]["label"] == label
