import unicodedata
from functools import lru_cache

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from server.extensions import db

# Kinds of unit. A country at the top (the national report, seen by admins and central
# MTTQ staff); commune level since 1 July 2025: commune, ward, special_zone; older
# three-tier data keeps district; below a commune are the residential groups.
UNIT_KINDS = (
    "country", "province", "district", "commune", "ward", "special_zone",
    "village", "hamlet", "residential_group",
)
UNIT_KIND_LABELS = {
    "country": {"vi": "Cả nước", "en": "Country"},
    "province": {"vi": "Tỉnh/Thành phố", "en": "Province"},
    "district": {"vi": "Quận/Huyện", "en": "District"},
    "commune": {"vi": "Xã", "en": "Commune"},
    "ward": {"vi": "Phường", "en": "Ward"},
    "special_zone": {"vi": "Đặc khu", "en": "Special zone"},
    "village": {"vi": "Thôn", "en": "Village"},
    "hamlet": {"vi": "Ấp/Bản", "en": "Hamlet"},
    "residential_group": {"vi": "Tổ dân phố", "en": "Residential group"},
}


def fold(text: str) -> str:
    """Lower case without accents, for matching: 'Phường Bến Nghé' -> 'phuong ben nghe'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def matchable(folded: str) -> bool:
    """Whether a folded query could be found in a stored name: none holds NUL or a lone
    surrogate (PostgreSQL cannot even compare text holding them)."""
    return not any(ch == "\x00" or "\ud800" <= ch <= "\udfff" for ch in folded)


@lru_cache(maxsize=100_000)
def path_ids(path: str) -> tuple[int, ...]:
    """The unit ids along a materialised path ("/1/5/9/" -> (1, 5, 9)); cached: a national
    page splits 36,000 paths several times."""
    return tuple(int(part) for part in path.strip("/").split("/") if part)


def _folded_name(context) -> str:
    """The folded name of a row inserted without the ORM (the importer's and loaders' bulk
    inserts); the ORM sets it through Unit.name's validator."""
    return fold(context.get_current_parameters()["name"])


class Unit(db.Model):
    __tablename__ = "units"
    # `path LIKE '/1/5/%'` can use a btree index under PostgreSQL only with the pattern
    # operator class when the database collation is not C (ix_units_path serves ORDER BY
    # path); elsewhere this is a plain second index on the path.
    # The folded name is searched with LIKE '%term%' (a scan of short strings, fast enough at
    # national scale); its index serves prefix searches.
    __table_args__ = (Index("ix_units_path_pattern", "path",
                            postgresql_ops={"path": "varchar_pattern_ops"}),
                      Index("ix_units_name_folded", "name_folded",
                            postgresql_ops={"name_folded": "varchar_pattern_ops"}))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # fold(name), kept by the database so a search is one query: set with every name.
    name_folded: Mapped[str] = mapped_column(String(200), default=_folded_name)
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Materialised path of ids ("/1/5/23/"): all descendants in one LIKE query.
    path: Mapped[str] = mapped_column(String(512), index=True, default="")
    # Deactivated units stay (their responses and reports do) but get no new rounds.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.name_folded = fold(name)
        return name

    @property
    def ancestor_ids(self) -> list[int]:
        return list(path_ids(self.path)[:-1])

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is `other` or lies below it."""
        return self.path.startswith(other.path)

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.kind} {self.name!r}>"
