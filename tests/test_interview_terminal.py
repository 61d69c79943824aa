"""How the interview's text fits a real terminal (the pexpect and piped tests cover the questions)."""

from __future__ import annotations

import os
import sys

from planner import cli_common

QUESTION = ("(any of 1) sitting, 2) standing, 3) walking, 4) bending forward, 5) bending backward, "
            "6) lifting, 7) lying down; separate several with commas, or type none) > ")


def test_a_terminal_gets_whole_words_within_its_width_and_the_prompt_keeps_its_space(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a, **k: os.terminal_size((50, 20)))
    fitted = cli_common.fit(QUESTION)
    lines = fitted.split("\n")
    assert len(lines) > 1 and all(len(line) <= 49 for line in lines)
    assert fitted.replace("\n", " ") == QUESTION  # broken only at spaces: no word is cut
    assert fitted.endswith("> ")
    assert cli_common.fit("  12. Name: Dana") == "  12. Name: Dana"


def test_a_pipe_gets_the_text_unchanged(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert cli_common.fit(QUESTION) == QUESTION
