"""The PDF's figures equal an independent computation from the exported CSV."""

import csv
import io
import unicodedata

import pytest

GROUPS = {"access": ["access_location", "access_facilities"],
          "procedures": ["proc_public", "proc_fees"]}
LABELS = {"access_location": "Địa điểm tiếp nhận thuận tiện",
          "access_facilities": "Trang thiết bị phục vụ đầy đủ",
          "proc_public": "Thủ tục được niêm yết công khai",
          "proc_fees": "Phí, lệ phí đúng quy định",
          "listen": "Biết nghe dân nói", "apologise": "Biết xin lỗi"}


def percent(share: float, lang: str) -> str:
    text = f"{share * 100:.1f}%"
    return text.replace(".", ",") if lang == "vi" else text


def export_rows(client, headers, round_id, unit_ids):
    response = client.get(f"/api/v1/rounds/{round_id}/export.csv", headers=headers)
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    return [row for row in reader
            if int(row["unit_id"]) in unit_ids and row["status"] != "rejected"]


def item_figures(rows, name):
    valid = [row[name] for row in rows if row[name] not in ("", "na")]
    return sum(value in ("4", "5") for value in valid), len(valid)


def overall_index(rows):
    group_shares = []
    for names in GROUPS.values():
        shares = [s / n for s, n in (item_figures(rows, name) for name in names) if n]
        group_shares.append(sum(shares) / len(shares))
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
        assert f"{group.name} {count} 20 {percent(count / 20, lang)}" in text, group.name
    total = len(now)
    assert f" {total} 60 {percent(total / 60, lang)}" in text
    for name in LABELS:
        x_now, n_now = item_figures(now, name)
        x_before, n_before = item_figures(before, name)
        # the comparison table prints every item as "share (N=valid)" for both rounds
        assert f"{percent(x_now / n_now, lang)} (N={n_now})" in text, name
        assert f"{percent(x_before / n_before, lang)} (N={n_before})" in text, name
    assert percent(overall_index(now), lang) in text
    assert percent(overall_index(before), lang) in text
    incidents = [row for row in now if row["harassment"] in ("yes", "no")]
    harassed = sum(row["harassment"] == "yes" for row in incidents)
    assert f"{percent(harassed / len(incidents), lang)} (N={len(incidents)})" in text


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
    assert small.count("ẩn") == 3 and "%" not in small


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
