"""A closed round's figures per unit, materialised once (server/analytics/aggregates.py) so
that a province or the country adds up its children's stored figures instead of re-reading
every answer of the round.

Every row of a unit is its SUBTREE's (the unit and everything below it): a report's bucket
is a child's subtree, its total the unit's own subtree, and a unit's own responses are its
subtree minus its children's. Counts only: means are sums over counts (a tally keeps the
count of each numeric answer), comments stay in the responses.
"""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db_types import JSONType, UTCDateTime, utcnow
from server.extensions import db

# None stored as SQL NULL (not JSON null): "keeps no tallies" is a column IS NULL
NullableJSON = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class RoundAggregate(db.Model):
    """One per materialised round: what its rows were built from. They are current while
    the round's data version, the counts, id sums and last ids of its responses per status,
    its form version and the unit tree are what they were (late uploads into a closed round
    do not raise the data version: the ids see them)."""

    __tablename__ = "round_aggregates"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    stamp: Mapped[dict] = mapped_column(JSONType)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoundUnitAggregate(db.Model):
    """Per round and unit with responses at or below it: the unit's OWN counts (the progress
    page adds them up its own way) and its SUBTREE's (report coverage, fingerprints); for a
    unit with child units, its subtree's tallies and measure margins too (one document each:
    a province reads a hundred of them, not a hundred thousand rows)."""

    __tablename__ = "round_unit_aggregates"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"),
                                         primary_key=True)
    # accepted or flagged, excluded or not: what a report fingerprint counts (count, id sum, last id)
    own_listed: Mapped[int] = mapped_column(Integer, default=0)
    own_listed_id_sum: Mapped[int] = mapped_column(BigInteger, default=0)
    own_listed_id_max: Mapped[int] = mapped_column(BigInteger, default=0)
    own_responses: Mapped[int] = mapped_column(Integer, default=0)     # counted (the report's)
    own_late: Mapped[int] = mapped_column(Integer, default=0)
    own_rejected: Mapped[int] = mapped_column(Integer, default=0)
    own_excluded: Mapped[int] = mapped_column(Integer, default=0)
    tree_listed: Mapped[int] = mapped_column(Integer, default=0)
    tree_listed_id_sum: Mapped[int] = mapped_column(BigInteger, default=0)
    tree_listed_id_max: Mapped[int] = mapped_column(BigInteger, default=0)
    tree_responses: Mapped[int] = mapped_column(Integer, default=0)
    # The subtree's answers: {"a": {question: answered}, "v": {question: {value: responses}}
    # (a select_multiple's chosen values too), "s": {question: skipped by logic}}. None: a
    # unit without children (a residential group) keeps none.
    tallies: Mapped[dict | None] = mapped_column(NullableJSON)
    # The subtree's measure counts (queries.Measure): [[dimension, answered, value, responses,
    # {measure key: [valid, counted]}], ...], dimension "" for the whole subtree, else per
    # answer of a breakdown question (answered false: not answered).
    margins: Mapped[list | None] = mapped_column(NullableJSON)
