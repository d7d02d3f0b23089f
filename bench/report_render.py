"""Time to render the round report PDF (reports/ only, no database).

    .venv/bin/python bench/report_render.py [--reports 8]

Prints, for a commune (1,000 responses, 7 residential groups) and a province (100
communes, 100,000 responses), the best wall time of a few runs in Vietnamese; then the CPU
seconds a report takes when one process draws a run of them, as a pre-generation worker
does (communes of ~200 responses, a national round's average, and provinces of 100
communes, in Vietnamese and English): what a process keeps from one report to the next
(fonts, parsed cell texts, their lines) counts there.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # run from anywhere

from reports.pdf import render_round_report  # noqa: E402
from reports.sample import sample_summary  # noqa: E402


def best_of(runs: int, summary) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        pdf = render_round_report(summary, "vi")
        times.append(time.perf_counter() - start)
        size = len(pdf)
    return min(times), size


def cpu_a_report(summaries, lang: str) -> float:
    cpu = time.process_time()
    for summary in summaries:
        render_round_report(summary, lang)
    return (time.process_time() - cpu) / len(summaries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=8, help="communes in the run")
    args = parser.parse_args()
    render_round_report(sample_summary(responses=50), "vi")   # font loading, once per process
    cases = [("commune, 1,000 responses", sample_summary(responses=1000)),
             ("province, 100 communes, 100,000 responses",
              sample_summary(children=100, responses=100_000))]
    for name, summary in cases:
        seconds, size = best_of(3, summary)
        print(f"{name}: {seconds:.3f} s  ({size / 1024:.0f} KiB)")
    runs = [("communes of ~200 responses",
             [sample_summary(responses=200 + 7 * index) for index in range(args.reports)]),
            ("provinces of 100 communes",
             [sample_summary(children=100, responses=20_000 + 100 * index)
              for index in range(max(1, args.reports // 4))])]
    for name, summaries in runs:
        for lang in ("vi", "en"):
            print(f"{name}, {lang}: {cpu_a_report(summaries, lang):.3f} CPU s a report "
                  f"({len(summaries)} in a row)")
    print(f"load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
