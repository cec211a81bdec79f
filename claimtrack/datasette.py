"""The Datasette metadata file for a claimtrack database (`claimtrack datasette-metadata`):
full-text search on claims, facets by claimant, side, status and tag, and claim text as the
label of every link. Pure data: the command writes it."""

from __future__ import annotations

from pathlib import Path

from claimtrack.migrations import OVERVIEW_VIEW

# Datasette's search box is FTS5's own syntax (OR, "phrases", prefix*), on the folded index.
SEARCH = {"fts_table": "claims_fts", "fts_pk": "id", "searchmode": "raw"}


def metadata(database: Path) -> dict:
    """The metadata for `datasette FILE -m metadata.json`, FILE being `database`; Datasette
    names a database after its file's stem."""
    name = database.stem
    return {
        "title": f"claimtrack: {name}",
        "description": (
            "Contested claims recorded with claimtrack. Search claims in any script (type "
            "words without accents or capitals: the index is folded); facet claims_overview "
            "by claimant, side, status and tag."
        ),
        "databases": {
            name: {
                "tables": {
                    "claims": {
                        **SEARCH,
                        "label_column": "text",
                        "facets": ["actor_id"],
                        "sort_desc": "said_on",
                    },
                    OVERVIEW_VIEW: {
                        **SEARCH,
                        "label_column": "text",
                        "facets": ["claimant", "side", "status", {"array": "tags"}],
                        "sort_desc": "said_on",
                        "description": "One row per claim with its claimant, side, status "
                        "(from its direct answers) and tags.",
                    },
                    "actors": {"label_column": "name", "facets": ["side"]},
                    "sources": {"label_column": "url", "facets": ["outlet"]},
                    "responses": {"facets": ["stance"]},
                    "claim_tags": {"facets": ["tag"]},
                    "verdicts": {"label_column": "label", "facets": ["label"]},
                    "changes": {"facets": ["action"], "sort_desc": "id"},
                }
            }
        },
    }
