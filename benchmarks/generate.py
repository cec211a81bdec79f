"""Generate a deterministic benchmark corpus in claimtrack's flat import format.

Usage:
    python benchmarks/generate.py --claims 10000 -o benchmarks/corpus/10k.csv [--seed 1]
    python benchmarks/generate.py --claims 1000000 -o benchmarks/corpus/1m.jsonl --format jsonl

The same seed and size always give a byte-identical file. Rows are streamed to the output, so
memory stays flat however many claims are asked for. Standard library only.

What a corpus holds:
- `--claims` claims with `id` labels 1..N in file order; `uid` and `responds_to_uid` are empty,
  unless `--uids` fills `uid` with a UUID derived from the seed and the label (so that two
  corpora of the same seed share them claim for claim, and corpora of other seeds do not).
- About half of the claims are answers: `responds_to` names an earlier row's label, `stance` is
  one of refutes, disputes, qualifies, supports, and no thread is deeper than 5 (a root claim is
  depth 0). About 3% of answers answer two claims and so appear on two rows (same label, same
  fields, another `responds_to` and `stance`), as the format requires. A few "hot" claims draw
  many answers, so some threads are large.
- 1,000 actors on 6 sides (Armenia, Azerbaijan, Russia, Turkey, EU, US); an actor always has the
  same side.
- Sources drawn from a pool of 20,000 URLs (https://outlet-N.example/path/M), 0-3 per claim;
  tags 0-3 of 52, comma separated; `on` between 2020-01-01 and 2025-12-31, mostly full dates,
  some YYYY-MM or YYYY, a few empty; an answer is dated on or after the claim it answers.
- Text of 80-300 characters mixing English, Armenian, Russian and Azerbaijani words; "ceasefire",
  "troops", "border" and their equivalents are frequent, so searches for them match many claims.
  Some rows have a `quote`, some a `note` (a few notes span two lines).

In CSV every value is a string and an empty cell means no value; in JSONL the same keys are
written in the same order, `id` and `responds_to` as integers, absent values as null, and
`sources` and `tags` as the same space- and comma-separated strings as in CSV.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

COLUMNS = (
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
)

MAX_DEPTH = 5
ANSWER_SHARE = 0.5
SECOND_PARENT_SHARE = 0.03
HOT_SHARE = 0.03
HOT_SLOTS = 20
RECENT_POOL = 4096
ACTORS = 1000
SOURCE_OUTLETS = 200
SOURCE_PATHS = 100  # 200 outlets x 100 paths = 20,000 distinct source URLs
FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

STANCES = ("refutes", "disputes", "qualifies", "supports")
STANCE_CUM_WEIGHTS = (35, 60, 80, 100)


def words(text: str) -> list[str]:
    """Return the whitespace-separated words of text."""
    return text.split()


# Core words appear twice in each list so that they are frequent in the texts.
WORDS: dict[str, list[str]] = {
    "en": words("""
        ceasefire ceasefire troops troops border border army ministry defense statement
        officials claims denied reported positions village shelling fire soldiers forces
        peace talks agreement negotiations delimitation monitoring mission observers civilians
        road corridor checkpoint artillery drone attack provocation military buildup frontier
        sections government president prime minister spokesperson alleged unfounded
        disinformation incident night morning heights outpost withdrawal deployment sanctions
        humanitarian refugees energy pipeline election parliament the the of of and and in on
        at near along said, says that was were have not no new two several Yerevan Baku
        Brussels Moscow Ankara Syunik Tavush Gazakh Lachin Nakhchivan "reliable" sources
    """),
    "hy": words("""
        հրադադար հրադադար զորքեր զորքեր սահման սահման բանակ նախարարություն պաշտպանության
        հայտարարություն պաշտոնյաներ դիրքեր գյուղ կրակոց զինվորներ ուժեր խաղաղություն
        բանակցություններ համաձայնագիր սահմանազատում դիտորդներ առաքելություն քաղաքացիներ
        ճանապարհ միջանցք հրետանի անօդաչու հարձակում սադրանք ռազմական կառավարություն նախագահ
        վարչապետ ապատեղեկատվություն միջադեպ գիշեր առավոտ բարձունք հենակետ և և որ է են չի
        նոր երկու Երևան Սյունիք Տավուշ Բրյուսել Բաքու հայտնել հերքել լրագրողներ «աղբյուրներ»
    """),
    "ru": words("""
        перемирие перемирие войска войска граница граница армия министерство обороны
        заявление официальные лица позиции село обстрел огонь солдаты силы мир переговоры
        соглашение делимитация наблюдатели миссия мирные жители дорога коридор артиллерия
        беспилотник атака провокация военный правительство президент премьер-министр
        дезинформация инцидент ночью утром высоты пост отвод и и в на у вдоль не что заявил,
        опроверг сообщили Ереван Баку Брюссель Москва Сюник Тавуш «источники»
    """),
    "az": words("""
        atəşkəs atəşkəs qoşunlar qoşunlar sərhəd sərhəd ordu nazirlik müdafiə bəyanat rəsmilər
        mövqelər kənd atəş əsgərlər qüvvələr sülh danışıqlar saziş delimitasiya müşahidəçilər
        missiya mülki şəxslər yol dəhliz artilleriya pilotsuz hücum təxribat hərbi hökumət
        prezident baş nazir dezinformasiya insident gecə səhər yüksəklik post geri çəkilmə və
        və ilə da də deyil bu iki yeni bildirib, təkzib Bakı İrəvan Brüssel Laçın Qazax Zəngilan
    """),
}
LANGUAGES = ("en", "hy", "ru", "az")
LANGUAGE_CUM_WEIGHTS = (40, 60, 80, 100)
MIX_SHARE = 0.15  # share of words in a text taken from the other languages

TAGS = words("""
    ceasefire troops border brussels-meeting peace-talks delimitation shelling drones artillery
    civilians refugees humanitarian corridor lachin syunik tavush gazakh nakhchivan karabakh
    sanctions energy elections diplomacy mediation eu-mission osce csto peacekeepers prisoners
    landmines disinformation propaganda military-buildup exercises arms-sales trade transit
    constitution referendum protests heritage water environment media cyber economy migration
    human-rights phone-call հրադադար перемирие atəşkəs
""")

NOTE_OPENINGS = (
    "Unverified; single source.",
    "Translated from Armenian.",
    "Translated from Russian.",
    "Translated from Azerbaijani.",
    "Date approximate.",
    "Seen on a Telegram channel first.",
    "Compare with the ministry's earlier statement.",
    "Paraphrased by the outlet; no transcript.",
)

# Actors: persons named from per-side name lists plus a few institutions; 6 sides.
NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "Armenia": (
        words("Արամ Անի Արմեն Գոհար Դավիթ Լիլիթ Հայկ Մարիամ Նարեկ Սոնա Տիգրան Նունե Վահե Աննա"),
        words(
            "Պետրոսյան Սարգսյան Հովհաննիսյան Գրիգորյան Մարտիրոսյան Ավետիսյան Խաչատրյան "
            "Կարապետյան Հակոբյան Վարդանյան Ղազարյան Մկրտչյան Աբրահամյան"
        ),
        [
            "Armenian Defense Ministry",
            "Armenian Foreign Ministry",
            "Armenian military",
            "Office of the Prime Minister of Armenia",
            "Armenian Human Rights Defender",
        ],
    ),
    "Azerbaijan": (
        words(
            "Əli Aygün Elvin Günel Həsən Leyla Murad Nərgiz Orxan Səbinə Tural Ülviyyə Rəşad Şəbnəm"
        ),
        words(
            "Məmmədov Əliyeva Həsənov Hüseynova Quliyev İsmayılova Rəhimov Abbasova Səfərov "
            "Cəfərova Mustafayev Nəsibova Əhmədov"
        ),
        [
            "Azerbaijani Defense Ministry",
            "Azerbaijani Foreign Ministry",
            "Azerbaijani authorities (Baku)",
            "Azerbaijani Presidential Administration",
            "Azerbaijani State Border Service",
        ],
    ),
    "Russia": (
        words(
            "Алексей Анна Дмитрий Екатерина Игорь Мария Михаил Наталья Олег Светлана Сергей "
            "Татьяна Юрий"
        ),
        words(
            "Иванов Смирнова Кузнецов Попова Васильев Соколова Морозов Волкова Лебедев Козлова "
            "Новиков Фёдорова Орлов"
        ),
        [
            "Russian Foreign Ministry",
            "Russian Defense Ministry",
            "Kremlin press service",
            "Russian peacekeeping contingent",
            "Russian Security Council",
        ],
    ),
    "Turkey": (
        words("Ahmet Ayşe Burak Elif Emre Fatma Hakan Zeynep Mehmet Selin Murat Gül Oğuz"),
        words(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç"
        ),
        [
            "Turkish Foreign Ministry",
            "Turkish Defense Ministry",
            "Turkish authorities (Ankara)",
            "Turkish Presidency Communications Directorate",
            "Turkish Parliament",
        ],
    ),
    "EU": (
        words("Jean Marie Klaus Ingrid Luca Chiara Piotr Agnieszka Jan Eva Sofía Pablo Ines"),
        words(
            "Dupont Müller Rossi Kowalski Novák Svensson Jansen García Lefèvre Schmidt Ferrari "
            "Nowak Virtanen"
        ),
        [
            "EU monitoring mission in Armenia",
            "European Commission",
            "European External Action Service",
            "European Parliament",
            "Council of the EU",
        ],
    ),
    "US": (
        words(
            "James Mary Robert Patricia Michael Jennifer David Linda William Susan Richard Karen "
            "Thomas"
        ),
        words(
            "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson "
            "O’Brien"
        ),
        [
            "U.S. State Department",
            "U.S. Department of Defense",
            "White House",
            "U.S. Embassy in Yerevan",
            "U.S. Embassy in Baku",
        ],
    ),
}
SIDES = tuple(NAMES)

Row = tuple[int, str, str, str, str, str, str, str, str, str, str, str, str]


def build_actors(rng: random.Random) -> list[tuple[str, int]]:
    """Return ACTORS distinct (name, side index) pairs, evenly split over the sides."""
    actors: list[tuple[str, int]] = []
    seen: set[str] = set()
    per_side, extra = divmod(ACTORS, len(SIDES))
    for side_index, side in enumerate(SIDES):
        firsts, lasts, institutions = NAMES[side]
        wanted = per_side + (1 if side_index < extra else 0)
        people = [f"{first} {last}" for first in firsts for last in lasts]
        rng.shuffle(people)
        names = institutions + people[: wanted - len(institutions)]
        if len(names) != wanted:
            raise ValueError(f"not enough names for side {side}")
        for name in names:
            key = name.casefold()
            if key in seen:
                raise ValueError(f"duplicate actor name {name!r}")
            seen.add(key)
            actors.append((name, side_index))
    rng.shuffle(actors)
    return actors


def build_dates() -> tuple[list[str], list[str], list[str]]:
    """Return every day, month start and year of the corpus period as ISO strings by day."""
    days, months, years = [], [], []
    day = FIRST_DAY
    while day <= LAST_DAY:
        iso = day.isoformat()
        days.append(iso)
        months.append(iso[:7])
        years.append(iso[:4])
        day += dt.timedelta(days=1)
    return days, months, years


def make_words(rng: random.Random, language: str, count: int) -> list[str]:
    """Return count words mostly from language, some from the others."""
    picked = rng.choices(WORDS[language], k=count)
    for _ in range(int(count * MIX_SHARE)):
        other = WORDS[LANGUAGES[rng.randrange(len(LANGUAGES))]]
        picked[rng.randrange(count)] = other[rng.randrange(len(other))]
    return picked


def make_text(rng: random.Random, language: str, low: int, high: int) -> str:
    """Return a sentence of low..high characters cut at a word boundary."""
    target = rng.randint(low + 24, high - 1)
    text = " ".join(make_words(rng, language, target // 4 + 4))
    while len(text) < target:
        text += " " + " ".join(make_words(rng, language, 8))
    text = text[:target].rsplit(" ", 1)[0].rstrip(",")
    return text[0].upper() + text[1:] + "."


class Generator:
    """Produce the rows of one corpus from a seed, one claim at a time."""

    def __init__(self, seed: int) -> None:
        """Prepare the actor, date and source pools for seed."""
        self.rng = random.Random(seed)
        self.actors = build_actors(self.rng)
        self.by_side: list[list[int]] = [[] for _ in SIDES]
        for index, (_, side_index) in enumerate(self.actors):
            self.by_side[side_index].append(index)
        self.days, self.months, self.years = build_dates()
        self.sources = [
            f"https://outlet-{outlet}.example/path/{path}"
            for outlet in range(1, SOURCE_OUTLETS + 1)
            for path in range(1, SOURCE_PATHS + 1)
        ]
        # Recent claims that may still be answered: (label, depth, day index, side index).
        self.recent: list[tuple[int, int, int, int]] = []
        self.hot: list[tuple[int, int, int, int]] = []

    def pick_actor(self, side_index: int | None) -> tuple[str, int]:
        """Return an actor's name and side index, from side_index if given; a few dominate."""
        rng = self.rng
        if side_index is None:
            return self.actors[int(len(self.actors) * rng.random() ** 2)]
        members = self.by_side[side_index]
        return self.actors[members[int(len(members) * rng.random() ** 2)]]

    def pick_date(self, after: int | None) -> tuple[str, int]:
        """Return an `on` value and its day index, on or after day index after when given."""
        rng = self.rng
        last = len(self.days) - 1
        day = (
            rng.randint(0, last)
            if after is None
            else min(after + int(rng.random() ** 3 * 60), last)
        )
        roll = rng.random()
        if roll < 0.85:
            return self.days[day], day
        if roll < 0.95:
            return self.months[day], day
        if roll < 0.98:
            return self.years[day], day
        return "", day

    def pick_parents(self) -> list[tuple[int, int, int, int]]:
        """Return the one or two earlier claims a new answer responds to."""
        rng = self.rng
        recent = self.recent
        if self.hot and rng.random() < HOT_SHARE:
            first = self.hot[rng.randrange(len(self.hot))]
        else:
            first = recent[rng.randrange(len(recent))]
        parents = [first]
        if rng.random() < SECOND_PARENT_SHARE:
            second = recent[rng.randrange(len(recent))]
            if second[0] != first[0]:
                parents.append(second)
        return parents

    def remember(self, entry: tuple[int, int, int, int]) -> None:
        """Keep entry answerable: in the bounded pool of recent claims, maybe among hot ones."""
        label, depth = entry[0], entry[1]
        if depth >= MAX_DEPTH:
            return
        if len(self.recent) < RECENT_POOL:
            self.recent.append(entry)
        else:
            self.recent[label % RECENT_POOL] = entry
        if depth == 0:
            if len(self.hot) < HOT_SLOTS:
                self.hot.append(entry)
            elif self.rng.random() < 0.0005:
                self.hot[self.rng.randrange(HOT_SLOTS)] = entry

    def rows(self, claims: int) -> Iterator[Row]:
        """Yield the rows for claims claims, one or two rows per claim."""
        rng = self.rng
        sources, source_count = self.sources, len(self.sources)
        for label in range(1, claims + 1):
            answer = label > 1 and rng.random() < ANSWER_SHARE
            parents = self.pick_parents() if answer else []
            stances = [rng.choices(STANCES, cum_weights=STANCE_CUM_WEIGHTS)[0] for _ in parents]
            if parents:
                parent_side = parents[0][3]
                same_side = rng.random() < (0.7 if stances[0] == "supports" else 0.2)
                side_index = parent_side if same_side else rng.randrange(len(SIDES))
                by, side_index = self.pick_actor(side_index)
                on, day = self.pick_date(max(parent[2] for parent in parents))
                depth = max(parent[1] for parent in parents) + 1
            else:
                by, side_index = self.pick_actor(None)
                on, day = self.pick_date(None)
                depth = 0
            language = rng.choices(LANGUAGES, cum_weights=LANGUAGE_CUM_WEIGHTS)[0]
            text = make_text(rng, language, 80, 300)
            quote = make_text(rng, language, 20, 90) if rng.random() < 0.2 else ""
            note = ""
            if rng.random() < 0.1:
                note = NOTE_OPENINGS[rng.randrange(len(NOTE_OPENINGS))]
                if rng.random() < 0.1:
                    note += "\n" + make_text(rng, "en", 20, 60)
            picked = [sources[rng.randrange(source_count)] for _ in range(rng.randint(0, 3))]
            source_field = " ".join(dict.fromkeys(picked))
            tags = ",".join(dict.fromkeys(rng.choices(TAGS, k=rng.randint(0, 3))))
            side = SIDES[side_index]
            self.remember((label, depth, day, side_index))
            if not parents:
                yield (label, "", "", "", "", text, by, side, on, quote, source_field, tags, note)
            for parent, stance in zip(parents, stances, strict=True):
                yield (
                    label,
                    "",
                    str(parent[0]),
                    "",
                    stance,
                    text,
                    by,
                    side,
                    on,
                    quote,
                    source_field,
                    tags,
                    note,
                )


def write_csv(out: TextIO, rows: Iterator[Row]) -> int:
    """Write rows as CSV with a header; return the number of rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_jsonl(out: TextIO, rows: Iterator[Row]) -> int:
    """Write rows as JSON Lines, absent values as null; return the number of rows written."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count = 0
    for row in rows:
        record: dict[str, object] = {
            key: (value if value != "" else None) for key, value in zip(COLUMNS, row, strict=True)
        }
        if record["responds_to"] is not None:
            record["responds_to"] = int(row[2])
        out.write(encode(record))
        out.write("\n")
        count += 1
    return count


# The namespace of the UUIDs `--uids` derives (uuid5 of "SEED:LABEL" in it).
UID_NAMESPACE = uuid.UUID("6d1f4a52-3c1e-4b8e-9a57-0c2b8f1e7d43")


def with_uids(rows: Iterator[Row], seed: int) -> Iterator[Row]:
    """The rows with `uid` filled from the seed and the label; the same claim, the same uid."""
    for row in rows:
        uid = str(uuid.uuid5(UID_NAMESPACE, f"{seed}:{row[0]}"))
        yield (row[0], uid, *row[2:])


WRITERS: dict[str, Callable[[TextIO, Iterator[Row]], int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
}


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """Open path for writing as UTF-8 (creating its folder), or stdout for '-'."""
    if path == "-":
        sys.stdout.reconfigure(encoding="utf-8", newline="")  # type: ignore[union-attr]
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="", buffering=1 << 20) as out:
        yield out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write a deterministic benchmark corpus in claimtrack's import format.",
        epilog="example:\n  python benchmarks/generate.py --claims 10000 "
        "-o benchmarks/corpus/10k.csv --seed 1",
    )
    parser.add_argument("--claims", type=int, default=10_000, help="number of claims (10000)")
    parser.add_argument("-o", "--output", default="-", help="output file, '-' for stdout")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--uids",
        action="store_true",
        help="fill `uid` with a UUID derived from the seed and the label",
    )
    parser.add_argument(
        "--format",
        choices=sorted(WRITERS),
        help="csv or jsonl (default: from the output file's extension, else csv)",
    )
    args = parser.parse_args(argv)
    if args.claims < 1:
        parser.error("--claims must be at least 1")
    if args.format is None:
        args.format = "jsonl" if args.output.endswith(".jsonl") else "csv"
    return args


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus the command line asks for and report on stderr."""
    args = parse_args(argv)
    started = time.perf_counter()
    generator = Generator(args.seed)
    with open_output(args.output) as out:
        rows = generator.rows(args.claims)
        if args.uids:
            rows = with_uids(rows, args.seed)
        count = WRITERS[args.format](out, rows)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.claims} claims ({count} rows, {args.format}) to {args.output} "
        f"in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
