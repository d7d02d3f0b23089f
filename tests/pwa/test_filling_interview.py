"""A whole resident interview at 360×740 as a volunteer fills it at a doorstep: fewer than
12 screens, every Likert choice in view, a counter that only moves forward, a short review."""

import re

import pwa_driver as driver
import pytest
from filling_steps import answer_screen, next_screen, shoot, start_response
from pwa_branches import branch_plans

MAX_SCREENS = 12

# The band between the sticky status bar and the sticky back / next bar, and whether each
# choice of each Likert question lies inside it once the question is scrolled to its top.
LIKERT_FITS = """() => {
  const top = document.getElementById('status-bar').getBoundingClientRect().bottom;
  const nav = document.querySelector('.form-nav, .review-nav').getBoundingClientRect().top;
  const out = [];
  for (const question of document.querySelectorAll('.form-page .q-likert:not([hidden])')) {
    window.scrollBy(0, question.getBoundingClientRect().top - top);
    const choices = [...question.querySelectorAll('.choice')].map((c) => c.getBoundingClientRect());
    out.push({ name: question.dataset.name, count: choices.length,
      inView: choices.every((r) => r.top >= top - 1 && r.bottom <= nav + 1) });
  }
  window.scrollTo(0, 0);
  return out;
}"""

FIRST_LIKERT_IN_VIEW = """() => {
  const question = document.querySelector('.form-page .q-likert:not([hidden])');
  if (!question) return null;
  const top = document.getElementById('status-bar').getBoundingClientRect().bottom;
  const nav = document.querySelector('.form-nav').getBoundingClientRect().top;
  return [...question.querySelectorAll('.choice')].every((c) => {
    const r = c.getBoundingClientRect();
    return r.top >= top - 1 && r.bottom <= nav + 1;
  });
}"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_whole_interview_in_fewer_than_12_screens(fresh_site, launch, lang):
    site = fresh_site
    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    driver.open_app(page, site, lang=lang)
    driver.log_in(page, site)
    plan, _ = branch_plans(site)  # the long branch: every satisfaction block is asked
    start_response(page)
    assert page.locator("body.is-filling").count() == 1, "the chrome shrinks while filling"

    screens, counters, bars, given = 0, [], [], {}
    while page.locator("body[data-route=form]").count():
        screens += 1
        shoot(page, f"{lang}-form-{screens:02d}")
        counters.append(page.locator(".progress-text").inner_text())
        bars.append(page.eval_on_selector(".form-progress", "(el) => el.value / el.max"))
        fits = page.evaluate(LIKERT_FITS)
        assert all(f["inView"] for f in fits), (screens, fits)
        if fits:
            assert page.evaluate(FIRST_LIKERT_IN_VIEW), f"screen {screens}: the first scale is cut off"
        assert page.locator(".form-page .clear-answer").count() == 0, "no clear button on required questions"
        given |= answer_screen(page, plan)
        next_screen(page)
        assert screens < 30

    assert screens < MAX_SCREENS, f"{screens} screens"
    assert sum(len(f) for f in [given]) >= 25, "the long branch was filled"
    # "Câu 1–3/30": the first number only grows; the total (every question a branch may still
    # open, notes not counted) never grows, and ends at the questions asked.
    numbers = [tuple(int(n) for n in re.findall(r"\d+", text)) for text in counters]
    firsts = [n[0] for n in numbers]
    assert firsts == sorted(set(firsts)), counters
    totals = [n[-1] for n in numbers]
    assert totals == sorted(totals, reverse=True), counters
    assert bars == sorted(bars) and bars[-1] == 1, bars  # the bar never moves back
    assert numbers[-1][-1] == len(given), (counters, len(given))
    assert numbers[-1][-2] == len(given)

    # The review: one line per answer, folded by group, "Finish" in reach without scrolling.
    shoot(page, f"{lang}-review")
    sections = page.locator(".review-section")
    assert sections.count() >= 4
    assert page.locator(".review-section[open]").count() == 0, "folded by default"
    finish = page.locator("#finish").bounding_box()
    assert finish["y"] + finish["height"] <= 740, "Finish is reachable at once"
    sections.nth(1).locator("summary").click()
    shoot(page, f"{lang}-review-open")
    assert page.locator(".review-item").count() == len(given)
    line = page.locator(".review-section[open] .review-line").first
    name = line.locator("xpath=..").get_attribute("data-name")
    line_box = line.bounding_box()
    assert line_box["height"] < 60, "one line per answer"
    line.click()
    page.wait_for_selector(f"body[data-route=form] .q[data-name='{name}']")
    assert page.evaluate("() => document.activeElement.closest('.q')?.dataset.name") == name
    page.goto(page.url.split("#")[0] + "#/review/" + page.url.split("/form/")[1].split("?")[0])
    page.wait_for_selector("#finish:not([disabled])")
    driver.finish(page)
    assert [r["state"] != "draft" for r in driver.responses(page)] == [True], "finished, in the outbox or sent"


def test_jump_list_marks_and_goes_to_a_question(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    driver.log_in(page, site)
    plan, _ = branch_plans(site)
    start_response(page)
    answer_screen(page, plan)
    next_screen(page)
    page.click("#form-jump")
    dialog = page.locator("dialog.jump-list")
    dialog.wait_for()
    shoot(page, "vi-jump-list")
    assert dialog.locator(".jump-item.answered").count() == 3
    assert dialog.locator(".jump-item.required").count() >= 20
    assert "(bắt buộc, chưa trả lời)" in dialog.locator(".jump-item.required").first.inner_text()
    assert dialog.locator(".jump-group").count() >= 5
    target = dialog.locator(".jump-item[data-name='know_trust']")
    target.click()
    page.wait_for_selector("body[data-route=form] .q[data-name='know_trust']")
    assert page.locator("dialog.jump-list").count() == 0
    assert page.evaluate("() => document.activeElement.closest('.q')?.dataset.name") == "know_trust"


def test_a_tablet_shows_a_likert_block_as_a_grid(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    page.set_viewport_size({"width": 900, "height": 1000})
    driver.log_in(page, site)
    plan, _ = branch_plans(site)
    start_response(page)
    answer_screen(page, plan)
    next_screen(page)
    # A whole top-level group per screen: every satisfaction block, each one a grid.
    assert page.locator(".form-page .likert-block").count() == 5
    shoot(page, "tablet-grid")
    rows = page.eval_on_selector_all(".form-page .likert-block .q-likert", """(els) => els.map((q) => {
      const tops = [...q.querySelectorAll('.choice')].map((c) => Math.round(c.getBoundingClientRect().top));
      return new Set(tops).size;
    })""")
    assert rows and set(rows) == {1}, "each question's choices on one row"
    header = page.locator(".form-page .likert-block .likert-scale").first
    assert header.is_visible() and "Rất hài lòng" in header.inner_text()
