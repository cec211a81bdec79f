"""The store: the only package with SQL. `ClaimStore` joins one class per area of the store,
each built on `StoreBase` (the connection, the one write path, claims as read)."""

from claimtrack.store.actors import ActorsArea
from claimtrack.store.as_of import AsOfArea
from claimtrack.store.base import StoreBase, Transaction
from claimtrack.store.claims import ClaimsArea
from claimtrack.store.curation import CurationArea
from claimtrack.store.exporter import ExportArea
from claimtrack.store.history import HistoryArea
from claimtrack.store.merging import MergeArea
from claimtrack.store.overview import OverviewArea
from claimtrack.store.search import SearchArea
from claimtrack.store.sources import SourcesArea


class ClaimStore(
    ClaimsArea,
    CurationArea,
    ActorsArea,
    SourcesArea,
    HistoryArea,
    SearchArea,
    OverviewArea,
    AsOfArea,
    MergeArea,  # and, under it, ImportArea
    ExportArea,
):
    """Claims, actors, sources and response links in one SQLite file."""


__all__ = ["ClaimStore", "StoreBase", "Transaction"]
