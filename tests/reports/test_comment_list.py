"""How a report lists comments: identical ones grouped, a fair sample across child units,
and the truth about truncation in the PDF."""

from dataclasses import replace

from reports.comments import identity, report_comments
from reports.pdf import render_round_report
from reports.summary import Comment


def test_identical_comments_are_grouped_after_nfc_trim_and_case_fold():
    rows = [(1, "comment", "Đường hỏng."), (2, "comment", "  đường  HỎNG. "),
            (1, "comment", "Đu\u031bo\u031b\u0300ng hỏng."), (1, "comment", "Cần thêm ghế.")]
    comments, total = report_comments(rows, [1, 2], {1: "Tổ 1", 2: "Tổ 2"}, limit=10)
    assert total == 4
    assert [(c.text, c.count) for c in comments] == [("Đường hỏng.", 3), ("Cần thêm ghế.", 1)]
    assert comments[0].unit_name == ""            # from two groups: not attributed
    assert comments[1].unit_name == "Tổ 1"
    assert identity(" A  b ") == identity("a B")


def test_the_sample_takes_comments_in_turn_from_each_child_unit():
    # the first unit's comments are all older: the old query printed only them
    rows = [(1, "comment", f"Ý kiến tổ một số {i}") for i in range(6)]
    rows += [(2, "comment", f"Ý kiến tổ hai số {i}") for i in range(6)]
    rows += [(None, "comment", "Ý kiến của chính phường")]
    comments, total = report_comments(rows, [1, 2], {1: "Tổ 1", 2: "Tổ 2"}, limit=5)
    assert total == 13
    assert [c.unit_name for c in comments] == ["Tổ 1", "Tổ 2", "", "Tổ 1", "Tổ 2"]
    assert comments[0].text == "Ý kiến tổ một số 0" and comments[1].text == "Ý kiến tổ hai số 0"
    assert report_comments(rows, [1, 2], {}, limit=5) == report_comments(rows, [1, 2], {},
                                                                          limit=5)


def test_comments_are_masked_when_collected():
    comments, _ = report_comments([(1, "comment", "Chị Nguyễn Thị Lan, 0912 345 678")], [1],
                                  {}, limit=5)
    assert comments[0].text == "Chị [tên], **** *** ***"


def test_the_pdf_says_how_many_are_shown_of_how_many(commune_summary, extract):
    comments = tuple(Comment(text=f"Ý kiến số {i}", unit_name="Tổ 1") for i in range(299))
    summary = replace(commune_summary, comments=(*comments, Comment("Đường hỏng.", count=3)),
                      comment_total=2021)
    vi = extract(render_round_report(summary, "vi"))
    en = extract(render_round_report(summary, "en"))
    assert "Hiển thị 302 trên 2.021 ý kiến" in vi
    assert "Showing 302 of 2,021 comments" in en
    assert "Đường hỏng. × 3" in vi
    assert "300. " in vi and "301. " not in vi


def test_the_pdf_methodology_says_what_is_masked_and_how_comments_are_sampled(commune_text):
    vi, en = commune_text["vi"], commune_text["en"]
    squashed_vi, squashed_en = " ".join(vi.split()), " ".join(en.split())
    assert "[tên]" in squashed_vi and "[địa chỉ]" in squashed_vi and "CCCD" in squashed_vi
    assert "lần lượt" in squashed_vi
    assert "in turn from each child unit" in squashed_en
    assert "Phone and ID numbers in comments have been masked" not in squashed_en
