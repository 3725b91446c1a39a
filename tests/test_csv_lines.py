"""Reading CSV text line by line gives the lines a StringIO would, without copying the text."""

from __future__ import annotations

import io
import random

import pytest

from ic2analysis.cleaning import csvtext

ALPHABETS = {
    "any line ends": ["a", ",", '"', "\r", "\n", "\r\n", "\u2028", "\x0c", " ", "中"],
    "newlines only": ["a", ",", '"', "\n", " ", "中"],
}


@pytest.mark.parametrize("alphabet", ALPHABETS.values(), ids=list(ALPHABETS))
def test_lines_as_stringio_gives_them(alphabet: list[str]) -> None:
    rng = random.Random(0)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        whole = list(io.StringIO(text, newline=""))
        assert list(csvtext.lines(text)) == whole, repr(text)
        for chunk in (1, 2, 5):  # pieces cut after a line feed, never inside "\r\n"
            assert list(csvtext.lines(text, chunk)) == whole, (repr(text), chunk)


def test_parse_keeps_a_quoted_line_break_in_its_row() -> None:
    text = 'id,title\r\n1,"two\r\nlines"\r\n2,x'
    assert csvtext.parse(text, ",", "f.csv") == [
        (1, ["id", "title"]), (2, ["1", "two\r\nlines"]), (3, ["2", "x"])
    ]  # fmt: skip
