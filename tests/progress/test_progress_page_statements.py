"""The progress page's cost does not grow with what it counts: as many SQL statements for
a round with many volunteers, days and responses as for a small one (the counting is
grouped by the database; nothing is read per volunteer, per day or per unit)."""

import re
from datetime import timedelta

import pytest

from tests.query_count import statements_of_get

pytestmark = pytest.mark.db


def _log_in(client, user) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"username": user.username, "password": "pw",
                                         "csrf_token": token})
    assert answer.status_code == 302


def _statements(client, url: str) -> int:
    client.get(url)   # warm: the first view may load what later views find cached
    return statements_of_get(client, url)


def test_statements_do_not_grow_with_volunteers_days_or_responses(client, db, factory, world):
    _log_in(client, world.users["admin"])
    pages = [f"/admin/progress/?round={world.round.id}",
             f"/admin/progress/?round={world.round.id}&unit={world.units['A'].id}",
             f"/admin/progress/?round={world.round.id}&view=all",
             f"/admin/progress/export.csv?round={world.round.id}&table=volunteers"]
    before = [_statements(client, url) for url in pages]
    groups = [world.units[key] for key in ("A1", "A2", "A3", "B1", "B2")]
    for n in range(25):     # 25 more volunteers, each on other days and in other groups
        group = groups[n % len(groups)]
        volunteer = factory.user(f"tnv.them.{n}", "volunteer", units=[group])
        for day in range(n % 7 + 1):
            factory.response(world.round, group, volunteer, {"sex": "male"},
                             completed_at=world.round.opens_at + timedelta(days=day, hours=n % 20))
    db.session.flush()
    after = [_statements(client, url) for url in pages]
    assert after == before
    html = client.get(pages[0]).get_data(as_text=True)
    assert "tnv.them.24" in html or "tnv.them.0" in html     # the new volunteers are counted
