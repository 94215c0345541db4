"""The sentiment corpus: source files by register, and the train/dev/held-out split made from them."""

from collections import Counter

import pytest

from kizuna.settings import get_settings
from sentiment.corpus import SOURCES_FOLDER, SPLIT_FILES, CorpusError, load_csv, split_path
from sentiment.corpus_split import SourceRow, dedup_key, deduplicated, read_sources, split_csv_text, split_of, splits, write_splits
from sentiment.labels import LABELS

CORPUS_DIR = get_settings().sentiment_corpus_dir
TRAIN_PATH, DEV_PATH, HELDOUT_PATH = (split_path(CORPUS_DIR, name) for name in ("train", "dev", "heldout"))
SPLIT_PATHS = {name: split_path(CORPUS_DIR, name) for name in SPLIT_FILES}

MIN_MESSAGES = 15_000
MIN_REGISTERS = 5


@pytest.fixture(scope="module")
def corpus():
    rows, _dropped = deduplicated(read_sources(CORPUS_DIR / SOURCES_FOLDER))
    return rows


def test_the_corpus_is_large_varied_and_balanced(corpus):
    assert len(corpus) >= MIN_MESSAGES
    sources = Counter(row.source for row in corpus)
    assert len(sources) >= MIN_REGISTERS and min(sources.values()) >= 1000, sources
    shares = Counter(row.label for row in corpus)
    assert all(shares[label] / len(corpus) >= 0.25 for label in LABELS), shares
    words = [len(row.text.split()) for row in corpus]
    assert sum(words) / len(words) >= 8 and max(words) >= 40 and words.count(1) >= 100


def test_the_split_files_are_exactly_what_the_sources_give(corpus):
    for name, part in splits(corpus).items():
        assert SPLIT_PATHS[name].read_text(encoding="utf-8") == split_csv_text(part), (
            f"{SPLIT_PATHS[name].name} is out of date: run `kizuna sentiment split`")


def test_no_message_is_in_two_splits_and_each_split_has_every_class():
    keys = {path.name: {dedup_key(row.text) for row in load_csv(path)} for path in (TRAIN_PATH, DEV_PATH, HELDOUT_PATH)}
    assert not keys["train.csv"] & keys["dev.csv"] and not keys["train.csv"] & keys["heldout.csv"]
    assert not keys["dev.csv"] & keys["heldout.csv"]
    for path in (DEV_PATH, HELDOUT_PATH):
        rows = load_csv(path)
        assert len(rows) >= 1000 and set(Counter(row.label for row in rows)) == set(LABELS)


def test_a_message_keeps_its_split_when_the_corpus_grows():
    before = [SourceRow(f"message number {word}", "neutral", "", "a") for word in ("one", "two", "three", "four")]
    grown = before + [SourceRow(f"another {word}", "positive", "", "b") for word in ("alpha", "beta", "gamma")]
    placed = {row.text: name for name, part in splits(before).items() for row in part}
    assert all(placed[row.text] == name for name, part in splits(grown).items() for row in part if row.text in placed)
    assert split_of(dedup_key("Where is my order 10023?")) == split_of(dedup_key("where is my order 55120"))
    assert dedup_key("WHERE IS MY ORDER") != dedup_key("where is my order") == dedup_key("Where is my ORDER?")


def test_duplicates_collapse_and_conflicting_labels_are_refused():
    rows = [SourceRow("Great, thanks!", "positive", "", "a"), SourceRow("great thanks", "positive", "", "b"),
            SourceRow("👍", "positive", "", "a"), SourceRow("👎", "negative", "", "a")]
    kept, dropped = deduplicated(rows)
    assert dropped == 1 and [row.text for row in kept] == ["Great, thanks!", "👍", "👎"]
    with pytest.raises(CorpusError, match="different labels"):
        deduplicated(rows + [SourceRow("great... Thanks", "negative", "", "c")])


@pytest.mark.parametrize("content, message", [
    ("text,label\nhi,neutral\n", "header text,label,topic"),
    ("text,label,topic\nhi,angry,chat\n", "row 2: label 'angry'"),
    ("text,label,topic\n   ,neutral,chat\n", "row 2: the text is empty"),
    ('text,label,topic\n"two\nlines",neutral,chat\n', "one line"),
])
def test_a_malformed_source_names_its_file_and_row(tmp_path, content, message):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "posts.csv").write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        write_splits(tmp_path)
    assert not (tmp_path / "train.csv").exists()


def test_splits_are_written_from_the_sources(tmp_path):
    (tmp_path / "corpus").mkdir()
    lines = [f"message {chr(97 + i)}{chr(97 + j)},{LABELS[(i + j) % 3]},chat" for i in range(20) for j in range(20)]
    (tmp_path / "corpus" / "chat.csv").write_text("text,label,topic\n" + "\n".join(lines) + "\n", encoding="utf-8")
    counts = write_splits(tmp_path)
    assert counts["messages"] == 400 and sum(counts[name]["total"] for name in ("train", "dev", "heldout")) == 400
    assert 20 <= counts["heldout"]["total"] <= 60 and (tmp_path / "dev.csv").exists()
    assert SOURCES_FOLDER == "corpus" and set(SPLIT_FILES) == {"train", "dev", "heldout"}
