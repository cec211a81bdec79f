"""Reading a search query (pure: the store turns it into SQL).

A search query is read here, not handed to the engine as typed: FTS5's own barewords cannot hold
the punctuation claims are full of (O'Brien, build-up, U.S.), and its errors say little. Every
word and phrase is folded (`claimtrack.fold.fold`, as the stored text was when indexed), split
into the tokens the index holds, and passed on as a quoted FTS5 phrase; `AND`, `OR`, `NOT`,
parentheses and a trailing `*` keep their FTS5 meaning. The same reading tells the renderer
which words of a claim to highlight."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from claimtrack.errors import InvalidInput
from claimtrack.fold import fold

OPERATORS = ("AND", "OR", "NOT")
TS_OPERATORS = {"AND": "&", "OR": "|", "NOT": "& !"}

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


class _WordChars(dict[int, str]):
    """For `str.translate`: each character the index keeps in words as `kept` makes it (None:
    itself), any other as a space; worked out once per character."""

    def __init__(self, kept: str | None):
        super().__init__()
        self.kept = kept

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mark = self[code] = (self.kept or char) if _is_token_char(char) else " "
        return mark


_WORD_MASK = _WordChars("w")
_WORD_RUN = re.compile("w+")
_WORDS_ONLY = _WordChars(None)


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of the words of `text`, split where the index splits them."""
    for run in _WORD_RUN.finditer(text.translate(_WORD_MASK)):
        yield run.span()


def words(text: str) -> list[str]:
    """The words of `text`, split where the index splits them (no character the index keeps
    in words is a space)."""
    return text.translate(_WORDS_ONLY).split()


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

    def tsquery(self) -> str:
        """The term as a PostgreSQL `tsquery` phrase."""
        return " <-> ".join(lexeme(token) for token in self.tokens) + (":*" if self.prefix else "")


def lexeme(word: str) -> str:
    """A word quoted as a lexeme of a PostgreSQL `tsvector` or `tsquery`."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class SearchQuery:
    """A search query as typed, as the FTS5 expression and the PostgreSQL `tsquery` it
    becomes, and the terms it looks for."""

    text: str
    fts: str
    tsquery: str
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


def invalid_query(query: str, problem: str) -> InvalidInput:
    """The error for a query that cannot be searched for: what is wrong, then how to write one."""
    return InvalidInput(f"The search query {query!r} is not valid: {problem}. {HELP}")


def parse_query(query: str) -> SearchQuery:
    """Read a search query; InvalidInput saying what is wrong if it cannot be searched for."""
    parts: list[str] = []
    # The same query as a tsquery: its operators are symbols, and NOT is "and not".
    ts_parts: list[str] = []
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
            raise invalid_query(query, 'a double quote (") has no closing quote')
        if kind == "word" and value in OPERATORS:
            if not last_operand:
                where = f"after {previous}" if previous else "at the start"
                raise invalid_query(
                    query,
                    f"{value} cannot come {where}: write it between two words or phrases, "
                    f"as in troops {value} border",
                )
            parts.append(value)
            ts_parts.append(TS_OPERATORS[value])
            last_operand, previous = False, value
            negate_next = value == "NOT"
            continue
        if kind == "close":
            if not groups:
                raise invalid_query(query, 'a ")" has no "(" before it')
            if not last_operand:
                problem = f"{previous} has nothing after it" if previous != "(" else "( ) is empty"
                raise invalid_query(query, problem)
            groups.pop()
            parts.append(")")
            ts_parts.append(")")
            last_operand, previous = True, ")"
            continue
        term = _term(kind, value, match)
        if term is not None and not term.tokens:
            continue  # punctuation alone ("-", "..."): nothing the index holds
        if last_operand:
            parts.append("AND")  # FTS5 takes juxtaposition only between phrases
            ts_parts.append("&")
        negated = negate_next or any(groups)
        negate_next = False
        if term is None:
            groups.append(negated)
            parts.append("(")
            ts_parts.append("(")
            last_operand, previous = False, "("
            continue
        parts.append(term.fts())
        ts_parts.append(term.tsquery())
        if not negated:
            highlighted.append(term)
        last_operand, previous = True, None
    _check_end(query, parts, groups, last_operand, previous)
    return SearchQuery(query, " ".join(parts), " ".join(ts_parts), tuple(highlighted))


def _term(kind: str, value: str, match: re.Match[str]) -> Term | None:
    """The term a phrase or word token stands for (None for an opening parenthesis)."""
    if kind == "open":
        return None
    if kind == "phrase":
        return Term(tuple(tokens(value)), bool(match.group("star")))
    return Term(tuple(tokens(value.rstrip("*"))), value.endswith("*"))


def _check_end(
    query: str, parts: list[str], groups: list[bool], last_operand: bool, previous: str | None
) -> None:
    """InvalidInput if the query ends inside a group, on an operator, or holds no words."""
    if groups:
        raise invalid_query(query, 'a "(" has no ")" after it')
    if not parts:
        raise InvalidInput(
            f"The search query {query!r} has no words to search for: give one or more words."
        )
    if not last_operand:
        raise invalid_query(query, f"{previous} at the end has nothing after it")
