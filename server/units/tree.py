"""Reading the unit tree for the console: the tree itself (bounded, so a national tree still
makes a page), search by name or code (accents optional), and the units a unit may be put
under. One query of plain rows each; the ordering is by name, numbers in numeric order."""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from server.extensions import db
from server.units.models import Unit, matchable, path_ids
from server.units.services import fold

TREE_LIMIT = 3000        # units on one tree page; deeper levels are opened one subtree at a time
SEARCH_LIMIT = 200
CHOICES_LIMIT = 3000     # above this, a parent is given by its code instead of a list


@dataclass
class TreeNode:
    id: int
    code: str
    name: str
    kind: str
    is_active: bool
    path: str
    parent_id: int | None
    children: list["TreeNode"] = field(default_factory=list)
    hidden: int = 0      # units below this one left off the page

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


def natural_key(name: str) -> list:
    """'Tổ 2' before 'Tổ 10'; accents and case do not decide the order."""
    return _natural_parts(fold(name))


def _natural_parts(folded: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", folded)]


_DEPTH = func.length(Unit.path) - func.length(func.replace(Unit.path, "/", "")) - 1


def _nodes(root: Unit | None = None, max_depth: int | None = None,
           ids: list[int] | None = None) -> list[TreeNode]:
    query = select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.is_active, Unit.path,
                   Unit.parent_id)
    if ids is not None:
        query = query.where(Unit.id.in_(ids))
    if root is not None:
        query = query.where(Unit.path.startswith(root.path, autoescape=True))
    if max_depth is not None:
        query = query.where(_DEPTH <= max_depth)
    return [TreeNode(*row) for row in db.session.execute(query)]


def _per_depth(root: Unit | None) -> dict[int, int]:
    """How many units at each depth (of the tree or below root), counted by the database."""
    query = select(_DEPTH, func.count()).group_by(_DEPTH)
    if root is not None:
        query = query.where(Unit.path.startswith(root.path, autoescape=True))
    return {int(depth): int(count) for depth, count in db.session.execute(query)}


def _too_many_for_a_list() -> bool:
    return (db.session.scalar(select(func.count()).select_from(Unit)) or 0) > CHOICES_LIMIT


def _link(nodes: list[TreeNode]) -> list[TreeNode]:
    """The top nodes, each with its children in name order."""
    by_id = {node.id: node for node in nodes}
    tops = []
    for node in nodes:
        parent = by_id.get(node.parent_id)
        (parent.children if parent is not None else tops).append(node)
    for node in nodes:
        node.children.sort(key=lambda child: natural_key(child.name))
    tops.sort(key=lambda child: natural_key(child.name))
    return tops


def walk(tops: list[TreeNode]):
    """Depth first, in name order."""
    for node in tops:
        yield node
        yield from walk(node.children)


@dataclass(frozen=True)
class Tree:
    tops: list[TreeNode]
    total: int
    shown: int


def build_tree(root: Unit | None = None, limit: int = TREE_LIMIT) -> Tree:
    """The tree (or a subtree), as deep as fits in `limit` units: the nodes of the last level
    shown say how many units lie below them."""
    per_depth = _per_depth(root)
    levels = sorted(per_depth)
    deepest, shown = (levels[0] if levels else 0), 0
    for depth in levels:
        if shown + per_depth[depth] > limit and depth > levels[0] + 1:
            break
        deepest, shown = depth, shown + per_depth[depth]
    # only the levels shown are read; the units below are counted per edge node
    kept = _nodes(root, max_depth=deepest)
    by_id = {node.id: node for node in kept}
    if any(depth > deepest for depth in levels):
        below = select(Unit.path).where(_DEPTH > deepest)
        if root is not None:
            below = below.where(Unit.path.startswith(root.path, autoescape=True))
        for path in db.session.scalars(below):
            edge_id = path_ids(path)[deepest - 1]
            if edge_id in by_id:
                by_id[edge_id].hidden += 1
    return Tree(_link(kept), sum(per_depth.values()), len(kept))


@dataclass(frozen=True)
class Found:
    node: TreeNode
    trail: list[str]     # the names of the units above it, from the top


def search_units(query: str, limit: int = SEARCH_LIMIT) -> list[Found]:
    """Units whose name or code holds the query, accents and case ignored; an exact code
    first. The database matches the stored folded names; only the hits are read."""
    wanted = fold(query or "")
    if not wanted or not matchable(wanted):
        return []
    # only the three columns the order needs are read for every hit ("a" holds nearly all)
    hits = db.session.execute(
        select(Unit.id, Unit.code, Unit.name_folded)
        .where(Unit.name_folded.contains(wanted, autoescape=True)
               | Unit.code.contains(wanted, autoescape=True))
        .order_by(Unit.id)).all()
    # name_folded is fold(name): the natural order without folding every name again
    hits.sort(key=lambda row: (row.code != wanted, _natural_parts(row.name_folded)))
    shown = [row.id for row in hits[:limit]]
    by_id = {node.id: node for node in _nodes(ids=shown)} if shown else {}
    nodes = [by_id[unit_id] for unit_id in shown]
    above = {unit_id for node in nodes for unit_id in path_ids(node.path)[:-1]}
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(above))).all()) \
        if above else {}
    return [Found(node, [names[unit_id] for unit_id in path_ids(node.path)[:-1]
                         if unit_id in names])
            for node in nodes]


def parent_choices(moving: Unit | None = None) -> list[TreeNode] | None:
    """Active units in tree order that `moving` may be put under (not itself nor anything
    inside it); None when there are too many for a list."""
    if _too_many_for_a_list():   # not worth reading a national tree to find out
        return None
    nodes = [node for node in walk(_link(_nodes()))
             if node.is_active and not (moving is not None and node.path.startswith(moving.path))]
    return nodes if len(nodes) <= CHOICES_LIMIT else None


def unit_options(active_only: bool = True) -> list[TreeNode] | None:
    """Units in tree order for a picker (filters, assignments); None when there are too many
    for a list (then a code is typed instead)."""
    if _too_many_for_a_list():
        return None
    nodes = [node for node in walk(_link(_nodes())) if node.is_active or not active_only]
    return nodes if len(nodes) <= CHOICES_LIMIT else None
