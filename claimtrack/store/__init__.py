"""The store: the only package with SQL. `ClaimStore` joins the core with one mixin per area."""

from claimtrack.store.core import CoreStore, Recorded, Transaction
from claimtrack.store.curation import CurationMixin
from claimtrack.store.search import SearchMixin
from claimtrack.store.transfer import TransferMixin


class ClaimStore(CurationMixin, TransferMixin, SearchMixin, CoreStore):
    """Claims, actors, sources and response links in one SQLite file."""


__all__ = ["ClaimStore", "Recorded", "Transaction"]
