"""The unit tree's sums (each unit passes its numbers to its parent, deepest first) against
the plain rule (every unit's numbers added to itself and each unit above it), and the
orders of the tables."""

import random
from datetime import timedelta

from sqlalchemy import insert

from server.progress.rollup import subtree_sums
from server.progress.rows import VolunteerRow
from server.progress.services import round_progress
from server.progress.sorting import VOLUNTEER_SORTS, sorted_rows
from server.rounds.models import round_units
from server.units.models import path_ids


def _plain_sums(own, paths, targets):
    numbers, totals = {}, {}
    for unit_id, unit_numbers in own.items():
        for above in path_ids(paths[unit_id]):
            sums = numbers.setdefault(above, [0, 0, 0, 0])
            for i in range(4):
                sums[i] += unit_numbers[i]
    for _, path, target in targets:
        for above in path_ids(path):
            totals[above] = totals.get(above, 0) + target
    return numbers, totals


def _random_tree(rng):
    """Two tops, three levels below; numbers and round units at every level
    (a commune and some of its groups both), and units with numbers outside the round."""
    paths, next_id = {}, [1]

    def add(parent_path):
        unit_id = next_id[0]
        next_id[0] += 1
        paths[unit_id] = f"{parent_path}{unit_id}/"
        return paths[unit_id]

    for _ in range(2):
        top = add("/")
        for _ in range(rng.randint(1, 4)):
            commune = add(top)
            for _ in range(rng.randint(0, 5)):
                group = add(commune)
                for _ in range(rng.randint(0, 2)):
                    add(group)
    own = {unit_id: [rng.randint(0, 9) for _ in range(4)]
           for unit_id in paths if rng.random() < 0.6}
    targets = [(unit_id, path, rng.randint(1, 20)) for unit_id, path in paths.items()
               if rng.random() < 0.5]
    return own, {unit_id: paths[unit_id] for unit_id in own}, paths, targets


def test_the_sums_passed_up_the_tree_are_the_plain_sums():
    rng = random.Random(7)
    for _ in range(200):
        own, count_paths, all_paths, targets = _random_tree(rng)
        untouched = {unit_id: list(numbers) for unit_id, numbers in own.items()}
        sums = subtree_sums(own, count_paths, targets)
        numbers, totals = _plain_sums(own, count_paths, targets)
        for unit_id in all_paths:
            assert list(sums.numbers(unit_id)) == numbers.get(unit_id, [0, 0, 0, 0])
            assert sums.targets.get(unit_id) == totals.get(unit_id)
        assert own == untouched            # the units' own numbers are left as they were


def _volunteer(unit_id, name, responses):
    from server.progress.rows import Counts
    return VolunteerRow(unit_id, name, f"u{unit_id}", True, None, None, None,
                        Counts(responses))


def test_sorting_by_name_either_way_keeps_equal_names_in_order():
    rows = [_volunteer(n, name, n) for n, name in enumerate(
        ["Tổ 10", "Bình", "Tổ 2", "An", "Bình", "an"])]

    def two_sorts(descending):     # the rule: by name, then by the column
        by_name = VOLUNTEER_SORTS["name"]
        return sorted(sorted(rows, key=by_name), key=by_name, reverse=descending)

    for descending in (False, True):
        assert sorted_rows(rows, VOLUNTEER_SORTS, "name", descending) == two_sorts(descending)
    ascending = [row.display_name for row in sorted_rows(rows, VOLUNTEER_SORTS, "name", False)]
    assert ascending.index("Tổ 2") < ascending.index("Tổ 10")
    most = sorted_rows(rows, VOLUNTEER_SORTS, "responses", True)
    assert [row.id for row in most] == [5, 4, 3, 2, 1, 0]


def test_names_and_versions_starting_with_a_digit_sort_with_the_others():
    """A name "2 Bis" gave a key starting with a number, others with text: comparing them
    failed (the page answered 500). The units' natural order sorts them all."""
    rows = [_volunteer(n, name, n) for n, name in enumerate(["Tổ 10", "2 Bis", "An", "", "Tổ 2"])]
    for n, version in enumerate(["1.0.10", "beta", None, "1.0.3", "1.0.3"]):
        rows[n].app_version = version
    names = [row.display_name for row in sorted_rows(rows, VOLUNTEER_SORTS, "name", False)]
    assert names == ["", "2 Bis", "An", "Tổ 2", "Tổ 10"]
    versions = [row.app_version for row in
                sorted_rows(rows, VOLUNTEER_SORTS, "app_version", False)]
    assert versions == [None, "1.0.3", "1.0.3", "1.0.10", "beta"]


def test_a_round_unit_inside_another_and_responses_at_the_commune_itself(db, factory, world):
    """Commune A is a round unit too (target 6) and has a response of its own: its row adds
    its own numbers and target to its groups', and it counts once in the total."""
    a = world.units["A"]
    db.session.execute(insert(round_units).values(round_id=world.round.id, unit_id=a.id,
                                                  target=6))
    factory.response(world.round, a, world.users["vA"], {"sex": "male"},
                     completed_at=world.round.opens_at + timedelta(days=3))
    db.session.flush()
    admin = world.users["admin"]
    province = round_progress(world.round, admin, None, now=world.now)
    rows = {row.name: row for row in province.rows}
    assert (rows["Phường Hoa Lư"].responses, rows["Phường Hoa Lư"].target) == (8, 30)
    assert (province.total.responses, province.total.target) == (11, 50)
    commune = round_progress(world.round, admin, a, now=world.now)
    own = [row for row in commune.rows if row.own]
    assert len(own) == 1 and own[0].responses == 1
    assert commune.total.responses == 8 and commune.total.target == 30


def test_a_closed_rounds_stored_counts_give_the_numbers_counted_live(db, world):
    from server.analytics.aggregates import materialise_round_aggregates
    from server.progress.counting import stored_unit_counts

    world.round.status = "closed"
    db.session.flush()
    admin = world.users["admin"]

    def numbers():
        pages = [round_progress(world.round, admin, None, now=world.now),
                 round_progress(world.round, admin, world.units["A"], now=world.now),
                 round_progress(world.round, admin, None, view="all", now=world.now)]
        return [([(row.id, row.own, row.target, row.expected, row.counts) for row in page.rows],
                 (page.total.counts, page.total.target), page.behind_units,
                 sorted((row.id, row.counts) for row in page.volunteers)) for page in pages]

    live = numbers()
    assert stored_unit_counts(world.round) is None
    assert materialise_round_aggregates(world.round.id) > 0
    assert stored_unit_counts(world.round) is not None
    assert numbers() == live
    assert live[0][1][0].responses == 10


def test_the_units_holding_round_units_are_every_round_unit_and_each_unit_above():
    from server.progress.scope import RoundUnits

    rng = random.Random(11)
    for _ in range(50):
        _, _, all_paths, targets = _random_tree(rng)
        targets += [(unit_id, path, 1) for unit_id, path in all_paths.items()
                    if path.count("/") == 2 and rng.random() < 0.5]     # a top in the round
        units = RoundUnits({unit_id: (path, target) for unit_id, path, target in targets})
        assert units.holding == {above for _, path, _ in targets for above in path_ids(path)}
