"""The PDF's figures equal an independent computation from the exported CSV."""

import csv
import importlib.util
import io
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "survey_data_history", Path(__file__).parents[1] / "analytics" / "survey_data.py")
survey_data = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(survey_data)

GROUPS = {"access": ["access_location", "access_facilities"],
          "procedures": ["proc_public", "proc_fees"]}
LABELS = {"access_location": "Địa điểm tiếp nhận thuận tiện",
          "access_facilities": "Trang thiết bị phục vụ đầy đủ",
          "proc_public": "Thủ tục được niêm yết công khai",
          "proc_fees": "Phí, lệ phí đúng quy định",
          "listen": "Biết nghe dân nói", "apologise": "Biết xin lỗi"}


def percent(share, lang: str) -> str:
    """The one rounding rule, independently: exact fractions, half away from zero."""
    exact = Fraction(share) * 100
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{value}%"
    return text.replace(".", ",") if lang == "vi" else text


def coverage(count: int, target: int, lang: str) -> str:
    """Over 100% is flagged, never printed as a number."""
    return "> 100%" if count > target else percent(Fraction(count, target), lang)


def export_rows(client, headers, round_id, unit_ids):
    response = client.get(f"/api/v1/rounds/{round_id}/export.csv", headers=headers)
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    return [row for row in reader
            if int(row["unit_id"]) in unit_ids and row["status"] != "rejected"]


def item_figures(rows, name):
    valid = [row[name] for row in rows if row[name] not in ("", "na")]
    return sum(value in ("4", "5") for value in valid), len(valid)


def group_share(rows, names):
    shares = [Fraction(s, n) for s, n in (item_figures(rows, name) for name in names) if n]
    return sum(shares) / len(shares)


def overall_index(rows, groups=GROUPS):
    group_shares = [group_share(rows, names) for names in groups.values()]
    return sum(group_shares) / len(group_shares)


@pytest.fixture
def commune_report(client, dataset, factory, bearer):
    commune = dataset.communes["Phường Đông Hòa"]
    unit_ids = {g.id for g in dataset.groups.values() if g.parent_id == commune.id}
    admin = bearer(factory.user("quantri", "admin"))
    now = export_rows(client, admin, dataset.current.id, unit_ids)
    before = export_rows(client, admin, dataset.previous.id, unit_ids)
    official = bearer(dataset.official)
    url = f"/api/v1/rounds/{dataset.current.id}/units/{commune.id}/report.pdf"
    groups = [g for g in dataset.groups.values() if g.parent_id == commune.id]
    return {"now": now, "before": before, "commune": commune, "groups": groups,
            "vi": client.get(url, headers=official), "en": client.get(url + "?lang=en",
                                                                      headers=official)}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pdf_figures_equal_the_csv_computation(commune_report, pdf_text, lang):
    response = commune_report[lang]
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    now, before = commune_report["now"], commune_report["before"]
    # progress per residential group: responses, target, coverage
    for group in commune_report["groups"]:
        count = sum(int(row["unit_id"]) == group.id for row in now)
        assert f"{group.name} {count} 20 {coverage(count, 20, lang)}" in text, group.name
    total = len(now)
    assert f" {total} 60 {coverage(total, 60, lang)}" in text
    for name in LABELS:
        x_now, n_now = item_figures(now, name)
        x_before, n_before = item_figures(before, name)
        # the comparison table prints every item as "share (N=valid)" for both rounds
        assert f"{percent(Fraction(x_now, n_now), lang)} (N={n_now})" in text, name
        assert f"{percent(Fraction(x_before, n_before), lang)} (N={n_before})" in text, name
    assert percent(overall_index(now), lang) in text
    assert percent(overall_index(before), lang) in text
    incidents = [row for row in now if row["harassment"] in ("yes", "no")]
    harassed = sum(row["harassment"] == "yes" for row in incidents)
    assert f"{percent(Fraction(harassed, len(incidents)), lang)} (N={len(incidents)})" in text


def test_vietnamese_survives_exactly(commune_report, pdf_text, dataset):
    text = pdf_text(commune_report["vi"].data)
    for name in ("Phường Đông Hòa", "Tổ dân phố Đông Thịnh", "Tổ dân phố Bắc Sơn",
                 "Tỉnh Ninh Bình", *LABELS.values(), "Rất không hài lòng", "Thủ tục hành chính"):
        name = unicodedata.normalize("NFC", name)
        assert name in text, name
    assert "87.4%" not in text and "%" in text


def test_markup_in_answers_prints_as_text_and_phone_numbers_are_masked(commune_report,
                                                                       pdf_text):
    text = pdf_text(commune_report["vi"].data)
    assert "Thủ tục <b>vẫn</b> rườm rà & chậm; <font size=40>quá lâu</font>" in text
    assert "0912" not in text and "**** *** ***" in text


def test_small_groups_are_hidden_in_the_pdf(commune_report, pdf_text):
    text = pdf_text(commune_report["vi"].data)
    small = next(line for line in text.splitlines() if "Tổ dân phố Kỳ Lân" in line
                 and "ẩn" in line)
    # one cell per index group (access, procedures, "5 biết") and the overall index
    assert small.count("ẩn") == 4 and "%" not in small


def test_units_under_k_and_their_complement_are_hidden_the_rest_matches_the_csv(
        commune_report, pdf_text, client, dataset, bearer):
    """Independently from the CSV: the group under k gets a notice, not a report; in the
    commune's table it is hidden together with the next smallest group (else the commune's
    figures minus the others would give it away); the largest is printed and exact."""
    k = 5
    now = commune_report["now"]
    counts = {group.name: sum(int(row["unit_id"]) == group.id for row in now)
              for group in commune_report["groups"]}
    ordered = sorted(counts, key=counts.get)
    small, complement, largest = ordered
    assert counts[small] < k <= counts[complement]
    text = pdf_text(commune_report["vi"].data)
    table_rows = [line for line in text.splitlines()
                  if line.strip().startswith(tuple(counts)) and "ẩn" in line]
    hidden = {name for name in counts for line in table_rows if line.strip().startswith(name)}
    assert hidden == {small, complement}
    for line in table_rows:
        assert "%" not in line
    largest_rows = [row for row in now if counts[largest]
                    and int(row["unit_id"]) == next(g.id for g in commune_report["groups"]
                                                     if g.name == largest)]
    assert any(line.strip().startswith(largest) and percent(overall_index(largest_rows), "vi")
               in line for line in text.splitlines())
    group = next(g for g in commune_report["groups"] if g.name == small)
    notice = client.get(f"/api/v1/rounds/{dataset.current.id}/units/{group.id}/report.pdf",
                        headers=bearer(dataset.official))
    notice_text = " ".join(pdf_text(notice.data).split())
    assert "CHƯA ĐỦ PHIẾU ĐỂ LẬP BÁO CÁO" in notice_text and "%" not in notice_text
    assert f" {counts[small]} " not in f" {notice_text} "


# --- issue 10, honest figures: the truth test across rounds -------------------------------
HISTORY_GROUPS = {"access": ["access_location", "access_facilities"],
                  "procedures": ["proc_public", "proc_fees"]}


def change_pp(now, before, lang: str) -> str:
    exact = (Fraction(now) - Fraction(before)) * 100
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    number = f"{abs(value)}"
    return f"{sign}{number.replace('.', ',')} điểm %" if lang == "vi" else f"{sign}{number} pp"


@pytest.fixture
def history_report(client, db, factory, bearer, pdf_text):
    data = survey_data.build_history(db, factory)
    admin = bearer(factory.user("quantri_history", "admin"))
    first, _, current = data.rounds
    commune = data.communes["Xã An Hòa"]
    groups = {g.name: g for g in data.groups.values() if g.parent_id == commune.id}
    ids = {g.id for g in groups.values()}
    official = bearer(data.official)

    def report(unit, lang="vi"):
        response = client.get(f"/api/v1/rounds/{current.id}/units/{unit.id}/report.pdf"
                              + ("?lang=en" if lang == "en" else ""), headers=official)
        assert response.status_code == 200
        return pdf_text(response.data)

    return {"data": data, "groups": groups, "report": report,
            "now": export_rows(client, admin, current.id, ids),
            "before": export_rows(client, admin, first.id, ids),
            "text": report(commune)}


def test_a_commune_is_compared_with_its_own_previous_round(history_report):
    """An Hòa sent nothing in round 2: it is compared with round 1, and the report says who
    answered in one round and not in the other."""
    text = " ".join(history_report["text"].split())
    before = history_report["before"]
    assert "So sánh với Đợt 1 (" in text and "So sánh với Đợt 2" not in text
    assert f"Đợt so sánh (Đợt 1) có {len(before)} phiếu." in text
    assert "Có phiếu ở đợt so sánh nhưng không có ở đợt này: Thôn Cũ." in text
    assert "Có phiếu ở đợt này nhưng không có ở đợt so sánh: Thôn Mới." in text


def test_an_item_all_not_applicable_in_one_round_drops_out_of_both(history_report):
    now, before = history_report["now"], history_report["before"]
    text = " ".join(history_report["text"].split())
    assert item_figures(before, "proc_fees")[1] == 0
    printed = group_share(now, HISTORY_GROUPS["procedures"])
    like_now, like_before = (group_share(now, ["proc_public"]),
                             group_share(before, ["proc_public"]))
    assert f"{percent(printed, 'vi')} ({percent(like_now, 'vi')}*)" in text
    assert percent(like_before, "vi") in text
    assert f"▲ {change_pp(like_now, like_before, 'vi')}*" in text or \
           f"▼ {change_pp(like_now, like_before, 'vi')}*" in text
    assert "không tính: Phí, lệ phí đúng quy định" in text
    # the overall index: procedures enters both rounds on proc_public only
    overall_now = (group_share(now, HISTORY_GROUPS["access"]) + like_now) / 2
    overall_before = (group_share(before, HISTORY_GROUPS["access"]) + like_before) / 2
    printed_overall = overall_index(now, HISTORY_GROUPS)
    assert f"{percent(printed_overall, 'vi')} ({percent(overall_now, 'vi')}*)" in text
    assert change_pp(overall_now, overall_before, "vi") in text


def test_the_direct_question_and_the_index_are_two_named_figures(history_report):
    now, before = history_report["now"], history_report["before"]
    text = " ".join(history_report["text"].split())
    x_now, n_now = item_figures(now, "overall")
    x_before, n_before = item_figures(before, "overall")
    assert "Hài lòng chung (câu hỏi trực tiếp)" in text
    assert "Chỉ số hài lòng theo SIPAS (2 nhóm)" in text
    assert (f"{percent(Fraction(x_before, n_before), 'vi')} (N={n_before}) "
            f"{percent(Fraction(x_now, n_now), 'vi')} (N={n_now})") in text
    scores = [int(row["overall"]) for row in now if row["overall"] not in ("", "na")]
    mean = (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.01"),
                                                                  rounding=ROUND_HALF_UP)
    assert f"Điểm trung bình: {str(mean).replace('.', ',')}/5" in text
    assert "“Không áp dụng” không được tính vào N" in text


def test_a_unit_under_k_not_surveyed_and_over_target(history_report):
    report, groups = history_report["report"], history_report["groups"]
    lines = history_report["text"].splitlines()
    now = history_report["now"]
    assert sum(int(row["unit_id"]) == groups["Thôn Mới"].id for row in now) == 3
    notice = " ".join(report(groups["Thôn Mới"]).split())
    assert "CHƯA ĐỦ PHIẾU ĐỂ LẬP BÁO CÁO" in notice and "%" not in notice
    assert any(line.strip().startswith("Thôn Mới") and "ẩn" in line and "%" not in line
               for line in lines)
    assert any(line.strip().startswith("Thôn Cũ") and "chưa khảo sát" in line
               and "ẩn" not in line for line in lines)
    upper = sum(int(row["unit_id"]) == groups["Thôn Thượng"].id for row in now)
    assert upper == 42
    assert any(line.strip().startswith("Thôn Thượng 42 30 > 100%") for line in lines)
    assert "420,0%" not in history_report["text"] and "140,0%" not in history_report["text"]
