"""A realistic sample RoundSummary, for tests, benchmarks and looking at the pages.

``sample_summary()`` is a commune (Phường Hòa Khánh) with residential groups and a previous
round; ``sample_summary(children=100, responses=100_000)`` is a province of 100 communes.
Figures are generated from a seeded random source but are internally consistent: shares,
intervals and tests are computed from the counts with reports.stats.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from statistics import fmean

from reports.comments import report_comments
from reports.stats import (
    compare_indices,
    compare_proportions,
    index_interval,
    index_standard_error,
    wilson_interval,
    wilson_standard_error,
)
from reports.summary import (
    BreakdownCell,
    BreakdownColumn,
    BreakdownRow,
    BreakdownTable,
    ChildRank,
    ChoiceCount,
    ComparisonCoverage,
    Coverage,
    CoverageRow,
    GroupIndex,
    IncidentRate,
    ItemSatisfaction,
    LocalText,
    Methodology,
    QuestionSummary,
    RoundInfo,
    RoundSummary,
    UnitInfo,
)

L = LocalText
LEVELS = (L("Rất không hài lòng", "Very dissatisfied"), L("Không hài lòng", "Dissatisfied"),
          L("Bình thường", "Neutral"), L("Hài lòng", "Satisfied"),
          L("Rất hài lòng", "Very satisfied"))
NA = L("Không áp dụng", "Not applicable")

GROUPS: tuple[tuple[str, LocalText, tuple[LocalText, ...]], ...] = (
    ("access", L("Tiếp cận dịch vụ", "Access to services"), (
        L("Nơi ngồi chờ có đủ chỗ ngồi", "There are enough seats while waiting"),
        L("Trang thiết bị phục vụ người dân đầy đủ, dễ sử dụng",
          "Equipment for residents is adequate and easy to use"),
        L("Thông tin hướng dẫn được niêm yết rõ ràng, dễ hiểu",
          "Guidance is posted clearly and is easy to understand"))),
    ("procedures", L("Thủ tục hành chính", "Administrative procedures"), (
        L("Thủ tục hành chính được niêm yết công khai, đầy đủ",
          "Procedures are posted publicly and in full"),
        L("Thành phần hồ sơ phải nộp đúng quy định", "Documents required are as prescribed"),
        L("Phí, lệ phí phải nộp đúng quy định", "Fees charged are as prescribed"),
        L("Thời hạn giải quyết đúng quy định", "Processing time is as prescribed"))),
    ("staff", L("Công chức giải quyết công việc", "Civil servants"), (
        L("Công chức có thái độ giao tiếp lịch sự, tôn trọng người dân",
          "Civil servants are polite and respectful"),
        L("Công chức chú ý lắng nghe ý kiến của người dân",
          "Civil servants listen to residents"),
        L("Công chức trả lời, giải thích đầy đủ, rõ ràng",
          "Civil servants answer and explain fully and clearly"),
        L("Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo",
          "Civil servants help fill in forms attentively"))),
    ("results", L("Kết quả giải quyết công việc", "Results"), (
        L("Kết quả nhận được đúng quy định", "The result received is as prescribed"),
        L("Kết quả có thông tin đầy đủ, chính xác", "The result is complete and accurate"))),
    ("feedback", L("Tiếp nhận, xử lý phản ánh, kiến nghị", "Handling of feedback"), (
        L("Có hình thức tiếp nhận góp ý, phản ánh, kiến nghị",
          "There is a way to give feedback"),
        L("Cơ quan xử lý phản ánh, kiến nghị tích cực, kịp thời",
          "Feedback is handled actively and promptly"))),
)
CONDUCT = ("five_knows", L("Thực hiện “5 biết”", "The “5 knows”"), (
    L("Biết nghe dân nói", "Knows how to listen to residents"),
    L("Biết nói dân hiểu", "Knows how to speak so residents understand"),
    L("Biết làm dân tin", "Knows how to earn residents' trust"),
    L("Biết xin lỗi", "Knows how to apologise"),
    L("Biết cảm ơn", "Knows how to say thank you")))
INCIDENTS = (
    ("harassed", L("Gặp phiền hà, sách nhiễu", "Was troubled or harassed")),
    ("evaded", L("Cán bộ né tránh trách nhiệm", "An official evaded responsibility")),
    ("late", L("Bị trễ hẹn trả kết quả", "The result was late")),
)
RESIDENTIAL_GROUPS = ("Tổ dân phố Hòa Khánh Bắc 1", "Tổ dân phố Hòa Khánh Bắc 2",
                      "Tổ dân phố Đà Sơn", "Tổ dân phố Thanh Vinh", "Khu phố Hòa Mỹ",
                      "Tổ dân phố Xuân Thiều", "Thôn Nam Yên")
COMMUNE_STEMS = ("Hòa", "Thanh", "Tân", "An", "Phước", "Bình", "Đông", "Mỹ", "Quảng", "Điện")
COMMUNE_ENDS = ("Khánh", "Minh", "Sơn", "Xuân", "Phú", "Lộc", "Hải", "Thọ", "Tiến", "Châu")
COMMENTS = (
    "Đề nghị bố trí thêm ghế ngồi chờ ở bộ phận một cửa, buổi sáng rất đông người.",
    "Cán bộ tiếp dân nhiệt tình, hướng dẫn rõ ràng. Cảm ơn UBND phường!",
    "Hồ sơ đất đai của tôi bị trễ hẹn 2 tuần mà không được báo lý do.",
    "Cần niêm yết lệ phí rõ hơn; tôi phải hỏi lại 3 lần mới biết phí & lệ phí bao nhiêu.",
    "Đường vào tổ dân phố ngập nước mỗi khi mưa to, đề nghị xử lý sớm.",
    "Có cán bộ hẹn nhiều lần, liên hệ tôi qua số 0912 345 678 nếu cần.",
    "Trang dịch vụ công trực tuyến khó dùng với người lớn tuổi.",
    "Mong phường tổ chức đối thoại với người dân mỗi quý một lần.",
)
AGE_BANDS = (("18_29", L("18–29 tuổi", "18–29")), ("30_44", L("30–44 tuổi", "30–44")),
             ("45_59", L("45–59 tuổi", "45–59")), ("60", L("60 tuổi trở lên", "60 and over")))
SEXES = (("f", L("Nữ", "Female")), ("m", L("Nam", "Male")), ("x", L("Khác", "Other")))


def _levels(rng: random.Random, n: int, mood: float) -> list[int]:
    """Counts for the five levels; ``mood`` in [0, 1] shifts answers toward satisfied."""
    weights = [max(0.02, 0.12 - 0.1 * mood), 0.1 + 0.08 * (1 - mood), 0.18, 0.35 + 0.1 * mood,
               0.15 + 0.3 * mood]
    counts = [0] * 5
    for level in rng.choices(range(5), weights=weights, k=n):
        counts[level] += 1
    return counts


def _mean_score(counts: list[int]) -> float | None:
    valid = sum(counts)
    return sum(level * n for level, n in enumerate(counts, start=1)) / valid if valid else None


def _threshold_cell(share: float | None, n: int, threshold: int) -> BreakdownCell:
    if n < threshold:
        return BreakdownCell(n=n, share=None, suppressed=True)
    return BreakdownCell(n=n, share=share)


def _commune_names(count: int) -> list[str]:
    names = [f"{'Phường' if i % 3 else 'Xã'} {COMMUNE_STEMS[i % 10]} {COMMUNE_ENDS[i // 10 % 10]}"
             for i in range(count)]
    return [f"{name} {i // 100 + 1}" if i >= 100 else name for i, name in enumerate(names)]


def sample_summary(*, children: int = 0, responses: int = 412, seed: int = 7,
                   threshold: int = 5) -> RoundSummary:
    """A commune report, or with ``children`` a province report of that many communes."""
    rng = random.Random(seed)
    previous_responses = round(responses * 0.9)
    questions: list[QuestionSummary] = []
    items: list[ItemSatisfaction] = []
    indices: list[GroupIndex] = []
    errors: list[tuple[float, float]] = []
    for key, label, item_labels in (*GROUPS, CONDUCT):
        group_mood = rng.uniform(0.3, 0.9)
        shares, previous_shares = [], []
        item_errors, previous_errors, means = [], [], []
        names = []
        for number, item_label in enumerate(item_labels, start=1):
            name = f"{key}_{number}"
            names.append(name)
            na = rng.randint(0, responses // 20)
            missing = rng.randint(0, 3)
            valid = responses - na - missing
            counts = _levels(rng, valid, min(1.0, group_mood + rng.uniform(-0.2, 0.2)))
            prev_valid = previous_responses - rng.randint(0, previous_responses // 20)
            prev_counts = _levels(rng, prev_valid, rng.uniform(0.2, 0.9))
            satisfied, prev_satisfied = counts[3] + counts[4], prev_counts[3] + prev_counts[4]
            low, high = wilson_interval(satisfied, valid)
            share = satisfied / valid
            previous = compare_proportions(satisfied, valid, prev_satisfied, prev_valid)
            shares.append(share)
            previous_shares.append(previous.share)
            item_errors.append(wilson_standard_error(satisfied, valid))
            previous_errors.append(wilson_standard_error(prev_satisfied, prev_valid))
            means.append(_mean_score(counts))
            distribution = (*[ChoiceCount(str(level + 1), LEVELS[level], counts[level])
                              for level in range(5)], ChoiceCount("na", NA, na))
            questions.append(QuestionSummary(name=name, label=item_label, type="likert",
                                             distribution=distribution, valid=valid,
                                             missing=missing, not_applicable=na))
            items.append(ItemSatisfaction(question=name, label=item_label, group_key=key,
                                          satisfied=satisfied, valid=valid, share=share,
                                          ci_low=low, ci_high=high, previous=previous,
                                          mean_score=_mean_score(counts)))
        mean, previous_mean = fmean(shares), fmean(previous_shares)
        error, previous_error = (index_standard_error(item_errors),
                                 index_standard_error(previous_errors))
        errors.append((error, previous_error))
        low, high = index_interval(mean, error)
        indices.append(GroupIndex(
            key=key, label=label, share=mean, items=tuple(names),
            previous=compare_indices(mean, error, previous_mean, previous_error, responses,
                                     previous_responses),
            ci_low=low, ci_high=high, mean_score=fmean(means), valid=responses))
    groups, conduct = indices[:-1], indices[-1]
    overall = fmean(group.share for group in groups)
    previous_overall = fmean(group.previous.share for group in groups)
    overall_error = fmean(error for error, _ in errors[:-1])
    previous_overall_error = fmean(error for _, error in errors[:-1])
    overall_low, overall_high = index_interval(overall, overall_error)

    direct_counts = _levels(rng, responses - 4, 0.7)
    direct_satisfied = direct_counts[3] + direct_counts[4]
    direct_before = _levels(rng, previous_responses - 3, 0.6)
    direct_low, direct_high = wilson_interval(direct_satisfied, responses - 4)
    direct_label = L("Nhìn chung, ông/bà hài lòng ở mức nào đối với chính quyền xã, phường nơi "
                     "mình sinh sống?", "Overall, how satisfied are you with the government "
                     "of the commune where you live?")
    direct = ItemSatisfaction(
        question="overall_satisfaction", label=direct_label, group_key="overall_question",
        satisfied=direct_satisfied, valid=responses - 4,
        share=direct_satisfied / (responses - 4), ci_low=direct_low, ci_high=direct_high,
        previous=compare_proportions(direct_satisfied, responses - 4,
                                     direct_before[3] + direct_before[4],
                                     previous_responses - 3),
        mean_score=_mean_score(direct_counts))
    questions.append(QuestionSummary(
        name=direct.question, label=direct_label, type="likert",
        distribution=tuple(ChoiceCount(str(level + 1), LEVELS[level], direct_counts[level])
                           for level in range(5)), valid=responses - 4, missing=4))

    incidents = []
    for name, label in INCIDENTS:
        count, prev_count = rng.randint(responses // 40, responses // 8), rng.randint(
            previous_responses // 30, previous_responses // 6)
        incidents.append(IncidentRate(
            question=name, label=label, count=count, valid=responses, share=count / responses,
            previous=compare_proportions(count, responses, prev_count, previous_responses)))

    if children:
        unit = UnitInfo(id=1, name="Thành phố Đà Nẵng", kind="province")
        sub_names = _commune_names(children)
        issuer = L("Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Đà Nẵng",
                   "Standing Committee of the Viet Nam Fatherland Front of Da Nang city")
    else:
        unit = UnitInfo(id=12, name="Phường Hòa Khánh", kind="commune",
                        parent_names=("Thành phố Đà Nẵng",))
        sub_names = list(RESIDENTIAL_GROUPS)
        issuer = L("Ủy ban MTTQ Việt Nam phường Hòa Khánh",
                   "Viet Nam Fatherland Front Committee of Hòa Khánh ward")

    # split the responses across sub-units; the last one is deliberately tiny
    weights = [rng.uniform(0.6, 1.4) for _ in sub_names]
    per_unit = [max(1, int(responses * w / sum(weights))) for w in weights]
    per_unit[-1] = min(3, per_unit[-1])
    per_unit[0] += responses - sum(per_unit)
    coverage_rows = tuple(CoverageRow(unit_id=100 + i, name=name, responses=n,
                                      target=max(n, round(n * rng.uniform(1.0, 1.3))))
                          for i, (name, n) in enumerate(zip(sub_names, per_unit, strict=True)))

    # every index group, the conduct block included, then the overall index
    columns = (*[BreakdownColumn(g.key, g.label) for g in (*groups, conduct)],
               BreakdownColumn("overall", L("Chỉ số chung", "Overall")))

    def breakdown_row(key: str, label: LocalText, n: int) -> BreakdownRow:
        cells = [_threshold_cell(min(1.0, max(0.0, g.share + rng.uniform(-0.12, 0.12))), n,
                                 threshold) for g in groups]
        shares = [cell.share for cell in cells if cell.share is not None]
        cells.append(_threshold_cell(conduct.share, n, threshold))
        cells.append(_threshold_cell(fmean(shares) if shares else None, n, threshold))
        return BreakdownRow(key=key, label=label, n=n, cells=tuple(cells))

    def by_score(rows) -> tuple[BreakdownRow, ...]:
        """As the analytics sort them: best overall index first, hidden rows last."""
        return tuple(sorted(rows, key=lambda row: (row.cells[-1].share is None,
                                                   -(row.cells[-1].share or 0.0))))

    def split(options, total):
        raw = [rng.uniform(0.5, 1.5) for _ in options]
        sizes = [int(total * r / sum(raw)) for r in raw]
        sizes[-1] = min(2, sizes[-1])
        sizes[0] += total - sum(sizes)
        return [breakdown_row(k, lab, n) for (k, lab), n in zip(options, sizes, strict=True)]

    area_title = L("Theo xã, phường", "By commune") if children else L(
        "Theo tổ dân phố, thôn", "By residential group")
    breakdowns = (
        BreakdownTable("residential_group", area_title, columns, by_score(
            breakdown_row(str(row.unit_id), L(row.name), row.responses)
            for row in coverage_rows)),
        BreakdownTable("age_band", L("Theo độ tuổi", "By age"), columns,
                       by_score(split(AGE_BANDS, responses))),
        BreakdownTable("sex", L("Theo giới tính", "By sex"), columns,
                       by_score(split(SEXES, responses))),
    )
    suppressed_cells = sum(cell.suppressed for table in breakdowns for row in table.rows
                           for cell in row.cells)

    child_ranks: tuple[ChildRank, ...] = ()
    if children:
        scored = []
        for row in coverage_rows:
            suppressed = row.responses < threshold
            index = None if suppressed else min(1.0, max(0.0, overall + rng.uniform(-0.15,
                                                                                    0.15)))
            scored.append((row, index, suppressed))
        ranked = sorted((s for s in scored if s[1] is not None), key=lambda s: -s[1])
        ranks = {s[0].unit_id: position for position, s in enumerate(ranked, start=1)}
        child_ranks = tuple(ChildRank(
            unit_id=row.unit_id, name=row.name, responses=row.responses, index=index,
            rank=ranks.get(row.unit_id), suppressed=suppressed, target=row.target,
            previous_index=None if index is None else min(1.0, max(0.0, index + rng.uniform(
                -0.08, 0.08)))) for row, index, suppressed in scored)
        suppressed_cells += sum(child.suppressed for child in child_ranks)

    comment_count = max(len(COMMENTS), responses // 40)
    # collected as the analytics collect them: masked, identical ones grouped, in turn by group
    comments, comment_total = report_comments(
        ((i % len(sub_names), "comment", COMMENTS[i % len(COMMENTS)])
         for i in range(comment_count)),
        list(range(len(sub_names))), dict(enumerate(sub_names)), limit=300)
    trend = QuestionSummary(
        name="trend", label=L("So với 6 tháng trước, chính quyền phục vụ người dân thế nào?",
                              "Compared with six months ago, how does the government serve you?"),
        type="select_one", distribution=(
            ChoiceCount("better", L("Tốt hơn", "Better"), round(responses * 0.46)),
            ChoiceCount("same", L("Như cũ", "The same"), round(responses * 0.41)),
            ChoiceCount("worse", L("Kém hơn", "Worse"), responses - round(responses * 0.46)
                        - round(responses * 0.41) - 9)),
        valid=responses - 9, missing=9)
    return RoundSummary(
        unit=unit,
        round=RoundInfo(id=3, name="Đợt 1 năm 2025", starts_on=date(2025, 5, 5),
                        ends_on=date(2025, 6, 15),
                        form_title=L("Phiếu khảo sát sự hài lòng của người dân",
                                     "Resident satisfaction survey"),
                        form_version=2, status="closed"),
        issuer=issuer,
        generated_at=datetime(2025, 6, 16, 2, 30, tzinfo=UTC),
        coverage=Coverage(responses=responses, target=sum(r.target for r in coverage_rows),
                          rows=coverage_rows),
        questions=(*questions, trend),
        items=tuple(items),
        groups=tuple(groups),
        conduct=conduct,
        overall_index=overall,
        overall_previous=compare_indices(overall, overall_error, previous_overall,
                                         previous_overall_error, responses, previous_responses),
        overall_question=direct, trend_question="trend",
        overall_ci_low=overall_low, overall_ci_high=overall_high,
        comparison_coverage=ComparisonCoverage(previous_responses=previous_responses,
                                               only_now=(sub_names[-1],)),
        incidents=tuple(incidents),
        breakdowns=breakdowns,
        children=child_ranks,
        previous_round=RoundInfo(id=2, name="Đợt 2 năm 2024", starts_on=date(2024, 10, 1),
                                 ends_on=date(2024, 11, 15), status="closed"),
        comments=comments, comment_total=comment_total,
        methodology=Methodology(suppression_threshold=threshold,
                                suppressed_cells=suppressed_cells,
                                index_groups=tuple(group.label for group in groups),
                                overall_question=direct_label),
    )
