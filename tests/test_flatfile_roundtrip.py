"""Property: any threads, exported and imported into an empty database, export the same again."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.flatfile.readers import read_rows
from claimtrack.flatfile.rows import import_options
from claimtrack.flatfile.writer import RowWriter, thread_rows
from claimtrack.fold import name_key
from claimtrack.model import NewClaim, Stance
from claimtrack.store import ClaimStore

FORMULA_STARTS = ["", "=", "+", "-", "@", "\t", "\r", "\n", "'", "''", "'=", '"', ",", "\r\n"]

# Any text but lone surrogates, which are not text.
letters = st.characters(blacklist_categories=("Cs",))
texts = st.builds(
    lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), st.text(letters)
)
claim_texts = texts.filter(lambda text: text.strip())
names = st.text(letters, min_size=1, max_size=20).filter(lambda name: name.strip())
tags = st.text(letters.filter(lambda c: c not in ",\x00"), min_size=1, max_size=10).filter(
    lambda tag: tag.strip()
)
sources = st.lists(
    st.sampled_from(
        [
            "https://www.azatutyun.am/a/32892927.html",
            "https://example.org/=x?q=a,b",
            "HTTP://Example.ORG/Path#frag",
            "Radio Azatutyun broadcast",
        ]
    ),
    max_size=3,
)
claims = st.lists(
    st.fixed_dictionaries(
        {
            "text": claim_texts,
            "by": names,
            "on": st.sampled_from([None, "2024", "2024-04", "2024-04-05"]),
            "quote": texts,
            "note": texts,
            "tags": st.lists(tags, max_size=3),
            "sources": sources,
            "answers": st.lists(
                st.tuples(st.integers(min_value=0), st.sampled_from(list(Stance))), max_size=2
            ),
        }
    ),
    min_size=1,
    max_size=8,
)

# The flat formats (ClaimReview has its own tests).
FLAT_FORMATS = ("csv", "json", "jsonl")


def build(store: ClaimStore, drafts: list[dict]) -> None:
    """Record the drafted claims; each answers earlier ones (so there are no cycles)."""
    for index, draft in enumerate(drafts):
        targets = {}
        if index:
            for pick, stance in draft["answers"]:
                targets.setdefault(pick % index + 1, stance)
        # One side per actor, so that no draft contradicts another.
        side = "S" + str(len(name_key(draft["by"])) % 3)
        new = NewClaim(
            draft["text"],
            draft["by"],
            side,
            draft["on"],
            draft["quote"],
            draft["note"],
            draft["sources"],
            draft["tags"],
        )
        store.add_claim(new, list(targets.items()))


def export(store: ClaimStore, fmt: str) -> str:
    stream = io.StringIO(newline="")
    writer = RowWriter(stream, fmt)
    for batch in store.export_threads(lossless=fmt != "csv"):
        for root, edges in batch.threads:
            writer.write_rows(batch.claims, thread_rows(root, edges))
    writer.close()
    return stream.getvalue()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(claims, st.sampled_from(FLAT_FORMATS))
def test_export_import_export_gives_the_same_rows(drafts, fmt):
    with tempfile.TemporaryDirectory() as folder:
        with ClaimStore.open(Path(folder) / "one.db") as one:
            build(one, drafts)
            exported = export(one, fmt)
        data = exported.encode("utf-8")
        with ClaimStore.open(Path(folder) / "two.db") as two:
            rows = read_rows(io.BytesIO(data), "f", fmt, import_options([], []))
            two.import_rows(rows, "f")
            assert export(two, fmt) == exported
            rows = read_rows(io.BytesIO(data), "f", fmt, import_options([], []))
            assert not two.import_rows(rows, "f").changed_anything
