from __future__ import annotations

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participatie.extensions import db

SRID = 4326
# Polygons are for spatial SQL; loading a wijk or buurt as an object (a user's wijken, a
# melding's buurt) leaves them in the database (deferred=True).


class Gemeente(db.Model):
    __tablename__ = "gemeente"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # GM0164
    naam: Mapped[str] = mapped_column(String(120))
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), deferred=True
    )

    wijken: Mapped[list[Wijk]] = relationship(back_populates="gemeente", order_by="Wijk.code")


class Wijk(db.Model):
    __tablename__ = "wijk"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # WK016402
    naam: Mapped[str] = mapped_column(String(120))
    gemeente_code: Mapped[str] = mapped_column(ForeignKey("gemeente.code"), index=True)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), deferred=True
    )

    gemeente: Mapped[Gemeente] = relationship(back_populates="wijken")
    buurten: Mapped[list[Buurt]] = relationship(back_populates="wijk", order_by="Buurt.code")

    @property
    def korte_naam(self) -> str:
        """CBS calls it "Wijk 02 Noord"; people say "Noord"."""
        parts = self.naam.split(" ", 2)
        if len(parts) == 3 and parts[0] == "Wijk" and parts[1].isdigit():
            return parts[2]
        return self.naam


class Buurt(db.Model):
    __tablename__ = "buurt"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # BU01640202
    naam: Mapped[str] = mapped_column(String(120))
    wijk_code: Mapped[str] = mapped_column(ForeignKey("wijk.code"), index=True)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), deferred=True
    )

    wijk: Mapped[Wijk] = relationship(back_populates="buurten")
