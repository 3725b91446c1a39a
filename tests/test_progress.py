"""Progress bars show on a terminal only, so that notebook outputs stay byte-stable."""

import sys

from ic2analysis import progress


class Tty:
    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_silent_off_a_terminal_and_under_ci(monkeypatch, capsys):
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert list(progress.progress(range(3), "x")) == [0, 1, 2]
    assert capsys.readouterr().err == ""  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys, "stderr", Tty())
    monkeypatch.setenv("CI", "true")
    assert not progress.enabled()


def test_silent_inside_a_notebook_kernel(monkeypatch):
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Tty())
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    assert progress.enabled()
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert not progress.enabled()


def test_visible_on_a_terminal_and_forced_by_the_environment(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setenv(progress.ENV, "1")
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert list(progress.progress(range(5), "k sweep")) == list(range(5))
    assert "k sweep" in tty.text and "/5 [" in tty.text
    monkeypatch.setenv(progress.ENV, "0")
    assert not progress.enabled()
