"""Activity names in scripts the PDF font cannot print right: found by probing as a user would.

DejaVu Sans has Hebrew and Arabic letters, but reportlab draws them left to right, unjoined: the words come out
backwards. So right-to-left text prints as '?' with a warning, as Chinese does, on every page that shows an
activity (the check-in chart, the clinic's progress table and answers page), never as empty boxes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from conftest import EXAMPLES
from planner.cli import cli
from planner.pdf.fonts import missing_glyphs, printable

ENV = {"SOURCE_DATE_EPOCH": "1767225600"}
WARN = ("the {what} has characters the PDF font cannot show ({chars}); they print as '?'. The font covers Latin, "
        "Greek and Cyrillic scripts.")


def text_of(path: Path) -> str:
    """The words of every page, one space apart (a cell may wrap anywhere)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages).split())


def test_right_to_left_letters_print_as_question_marks_with_a_warning():
    assert missing_glyphs("Walking שלום") == list("שלום")
    assert missing_glyphs("مرحبا") == list("مرحبا")
    assert missing_glyphs("Γράφω Привет Zoë") == []
    assert printable("Gardening ש", "activity name") == (
        "Gardening ?", [WARN.format(what="activity name", chars="ש")])


def test_a_checkin_block_prints_each_activity_the_font_lacks_as_question_marks(tmp_path):
    answers = json.loads((EXAMPLES / "office_worker.json").read_text())
    answers["activities"] = [{"activity": "散歩", "rating": 3}, {"activity": "Gardening", "rating": 4}]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.json").write_text(json.dumps(answers))
    runner = CliRunner()
    made = runner.invoke(cli, ["batch", str(tmp_path / "in" / "p.json"), "--format", "json", "--out-dir", str(tmp_path),
                               "-j", "1", "-q"], env=ENV)
    assert made.exit_code == 0, made.output
    checkin = json.loads((EXAMPLES / "checkins" / "office_worker_week2.json").read_text())
    checkin["activities"] = [{"activity": "散歩", "rating": 5}, {"activity": "שלום", "rating": 6}]
    (tmp_path / "c.json").write_text(json.dumps(checkin))
    result = runner.invoke(cli, ["checkin", str(tmp_path / "p.json"), str(tmp_path / "c.json"), "--format", "pdf",
                                 "--clinician-copy"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"warning: {WARN.format(what='activity name', chars=c)}"
                                          for c in ("散歩", "שלום")]
    text = text_of(tmp_path / "p-block1.pdf")
    assert "散" not in text and "ש" not in text
    assert "?? 3/10; Gardening 4/10" in text  # the clinic's answers page: the first questionnaire's words
    assert text.count("??") >= 3 and "????" in text  # the chart's legend and the progress table


def test_the_first_plans_clinicians_copy_prints_question_marks_not_boxes(tmp_path):
    answers = json.loads((EXAMPLES / "office_worker.json").read_text())
    answers["activities"] = [{"activity": "散歩", "rating": 3}]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.json").write_text(json.dumps(answers))
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "in" / "p.json"), "--clinician-copy", "--out-dir",
                                      str(tmp_path), "-j", "1", "-q"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "?? 3/10" in text_of(tmp_path / "p.pdf") and "散" not in text_of(tmp_path / "p.pdf")


def test_two_names_that_both_print_as_question_marks_keep_a_line_and_a_column_each():
    from planner.pdf.checkin_pages import progress_chart
    from planner.pdf.clinician import progress_rows

    history = [{"label": "Start", "week": 0, "pain": 4, "sessions_per_week": [],
                "activities": [{"activity": "散歩", "rating": 3}]},
               {"label": "Check-in 1", "week": 2, "pain": 3, "sessions_per_week": [5, 4],
                "activities": [{"activity": "散歩", "rating": 5}, {"activity": "歩く", "rating": 6}]}]
    chart = progress_chart(history, 400, 10)
    assert [list(line) for line in chart.contents[0].data] == [[4, 3], [3, 5], [None, 6]]
    assert [name for _, name in chart.contents[1].colorNamePairs] == ["Pain", "??", "??"]
    assert progress_rows(history, 5) == [["", "After week", "Pain", "??", "??", "Sessions a week (of 5)"],
                                         ["Start", "0", "4", "3", "-", "-"],
                                         ["Check-in 1", "2", "3", "5", "6", "5, 4 (9 of 10)"]]


def test_the_legend_stays_inside_the_chart_and_no_two_lines_share_a_colour_when_check_ins_add_activities():
    from planner.pdf.checkin_pages import progress_chart

    history = [{"label": f"Check-in {n}", "week": 2 * n, "pain": 3, "sessions_per_week": [5, 4],
                "activities": [{"activity": f"Activity {n}-{i} with a name long enough for one column", "rating": i}
                               for i in range(3)]} for n in range(3)]
    for size in (12, 14):
        chart = progress_chart(history, 450, size)
        legend = chart.contents[1]
        assert len(legend.colorNamePairs) == 10
        assert legend.getBounds()[1] >= 0, size  # its last row is above the drawing's bottom edge, not over the text
        colours = [c.hexval() for c, _ in legend.colorNamePairs]
        assert len(set(colours)) == len(colours)
