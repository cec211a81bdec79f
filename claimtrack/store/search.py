"""Full-text search and the timeline.

A search query is read here, not handed to FTS5 as typed: FTS5's own barewords cannot hold the
punctuation claims are full of (O'Brien, build-up, U.S.), and its errors say little. Every word
and phrase is folded (`claimtrack.fold.fold`, as the stored text was when indexed), split into
the tokens the index holds, and passed on as a quoted FTS5 phrase; `AND`, `OR`, `NOT`,
parentheses and a trailing `*` keep their FTS5 meaning. The same reading tells the renderer
which words of a claim to highlight."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from claimtrack.errors import InvalidInput
from claimtrack.fold import fold
from claimtrack.model import Claim, ClaimFilter

OPERATORS = ("AND", "OR", "NOT")

HELP = (
    "Words are combined with AND; write OR between alternatives, NOT before words to leave "
    'out, "..." around a phrase, word* for a prefix and ( ) to group, '
    'e.g. troops OR "military buildup".'
)

# A phrase (with an optional prefix star), a parenthesis, an unmatched quote, or a word: any
# run of characters that are not space, quotes or parentheses.
_QUERY_TOKEN = re.compile(
    r'"(?P<phrase>[^"]*)"(?P<star>\*?)|(?P<open>\()|(?P<close>\))|(?P<quote>")|(?P<word>[^\s"()]+)'
)
_KINDS = ("phrase", "open", "close", "quote", "word")


def _is_token_char(char: str) -> bool:
    """Whether the index's tokenizer (unicode61, categories L* N* Co M*) keeps `char` in words."""
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of the words of `text`, split where the index splits them."""
    start = None
    for index, char in enumerate(text):
        if _is_token_char(char):
            if start is None:
                start = index
        elif start is not None:
            yield start, index
            start = None
    if start is not None:
        yield start, len(text)


def tokens(text: str) -> list[str]:
    """The folded tokens of `text`, as the search index holds them."""
    folded = fold(text)
    return [folded[start:end] for start, end in word_spans(folded)]


@dataclass(frozen=True)
class Term:
    """A word or phrase of a query: its folded tokens; the last is a prefix if `prefix`."""

    tokens: tuple[str, ...]
    prefix: bool

    def fts(self) -> str:
        """The term as an FTS5 phrase."""
        return '"' + " ".join(self.tokens) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class SearchQuery:
    """A search query as typed, as the FTS5 expression it becomes, and the terms it looks for."""

    text: str
    fts: str
    terms: tuple[Term, ...]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) offsets of the words of `text` that a (non-negated) term matches."""
        exact = {
            token for term in self.terms for token in term.tokens[: -1 if term.prefix else None]
        }
        prefixes = tuple(term.tokens[-1] for term in self.terms if term.prefix)
        found = []
        for start, end in word_spans(text):
            if any(
                token in exact or token.startswith(prefixes) for token in tokens(text[start:end])
            ):
                found.append((start, end))
        return found


def _invalid(query: str, problem: str) -> InvalidInput:
    return InvalidInput(f"The search query {query!r} is not valid: {problem}. {HELP}")


def parse_query(query: str) -> SearchQuery:
    """Read a search query; InvalidInput saying what is wrong if it cannot be searched for."""
    parts: list[str] = []
    highlighted: list[Term] = []
    # Whether the last part was a term or ")"; if not, what it was ("(" or an operator).
    last_operand = False
    previous: str | None = None
    # For each open parenthesis, whether the group is negated (for highlighting only).
    groups: list[bool] = []
    negate_next = False
    for match in _QUERY_TOKEN.finditer(query):
        kind = next(name for name in _KINDS if match.group(name) is not None)
        value = match.group(kind)
        if kind == "quote":
            raise _invalid(query, 'a double quote (") has no closing quote')
        if kind == "word" and value in OPERATORS:
            if not last_operand:
                where = f"after {previous}" if previous else "at the start"
                raise _invalid(
                    query,
                    f"{value} cannot come {where}: write it between two words or phrases, "
                    f"as in troops {value} border",
                )
            parts.append(value)
            last_operand, previous = False, value
            negate_next = value == "NOT"
            continue
        if kind == "close":
            if not groups:
                raise _invalid(query, 'a ")" has no "(" before it')
            if not last_operand:
                problem = f"{previous} has nothing after it" if previous != "(" else "( ) is empty"
                raise _invalid(query, problem)
            groups.pop()
            parts.append(")")
            last_operand, previous = True, ")"
            continue
        if kind == "open":
            term = None
        elif kind == "phrase":
            term = Term(tuple(tokens(value)), bool(match.group("star")))
        else:
            term = Term(tuple(tokens(value.rstrip("*"))), value.endswith("*"))
        if term is not None and not term.tokens:
            continue  # punctuation alone ("-", "..."): nothing the index holds
        if last_operand:
            parts.append("AND")  # FTS5 takes juxtaposition only between phrases
        negated = negate_next or any(groups)
        negate_next = False
        if term is None:
            groups.append(negated)
            parts.append("(")
            last_operand, previous = False, "("
            continue
        parts.append(term.fts())
        if not negated:
            highlighted.append(term)
        last_operand, previous = True, None
    if groups:
        raise _invalid(query, 'a "(" has no ")" after it')
    if not parts:
        raise InvalidInput(
            f"The search query {query!r} has no words to search for: give one or more words."
        )
    if not last_operand:
        raise _invalid(query, f"{previous} at the end has nothing after it")
    return SearchQuery(query, " ".join(parts), tuple(highlighted))


# How many matches a search ranks at most: the most recently recorded ones. Scoring every match
# of a common word would make a search of a million claims a hundred times slower than one of
# ten thousand; a search matching more than this is one to narrow anyway.
RANKED = 10_000


@dataclass
class Found:
    """A search's results: the best matches, whether more claims match than were returned, and,
    if so many matched that only the most recently recorded were ranked, how many were."""

    claims: list[Claim]
    more: bool
    ranked: int | None


class SearchMixin:
    """Full-text search and the timeline. Mixed into ClaimStore."""

    conn: sqlite3.Connection

    def search(self, query: SearchQuery, filters: ClaimFilter, limit: int) -> Found:
        """The `limit` claims matching `query` and every filter, best match (bm25) first."""
        where, params = self.filter_sql(filters)
        candidates = max(RANKED, limit)
        # FTS5 walks its matches by rowid cheaply but must score each one it ranks, so only
        # the newest `candidates` (plus one, to know if there were more) are scored.
        sql = f"""SELECT c.id, claims_fts.rank
                  FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
                  WHERE claims_fts MATCH ? AND {where}
                  ORDER BY claims_fts.rowid DESC LIMIT ?"""
        try:
            rows = self.conn.execute(sql, [query.fts, *params, candidates + 1]).fetchall()
        except sqlite3.OperationalError as err:
            # parse_query refuses what FTS5 would; this keeps any case it missed a message.
            if not str(err).startswith("fts5:"):
                raise
            raise _invalid(query.text, str(err).removeprefix("fts5: ")) from None
        # Best rank first; equal ranks (equal texts) by the most recently recorded claim.
        ranked = sorted(rows[:candidates], key=lambda row: (row[1], -row[0]))
        ids = [claim_id for claim_id, _ in ranked[:limit]]
        found = self.claims(ids)
        capped = len(rows) > candidates
        return Found([found[i] for i in ids], len(rows) > limit, candidates if capped else None)

    def timeline(self, filters: ClaimFilter, limit: int | None = None) -> tuple[list[Claim], bool]:
        """Claims matching every filter, oldest first; a partial date comes before the days it
        spans (2024-04 before 2024-04-01), ties by id; undated claims last. The flag says
        whether more than `limit` claims match."""
        where, params = self.filter_sql(filters)
        ids: list[int] = []
        # One more than asked, to know whether there were more.
        wanted = None if limit is None else limit + 1
        # Two queries so that the dated part walks the (said_on, id) index in order: NULLs
        # sort first in SQLite, and NULLS LAST would need a sort of every row.
        for dated in ("NOT NULL", "NULL"):
            sql = f"""SELECT c.id FROM claims c WHERE {where} AND c.said_on IS {dated}
                      ORDER BY c.said_on, c.id"""
            args = list(params)
            if wanted is not None:
                if len(ids) == wanted:
                    break
                sql += " LIMIT ?"
                args.append(wanted - len(ids))
            ids.extend(row[0] for row in self.conn.execute(sql, args))
        more = limit is not None and len(ids) > limit
        ids = ids[:limit] if more else ids
        found = self.claims(ids)
        return [found[i] for i in ids], more
