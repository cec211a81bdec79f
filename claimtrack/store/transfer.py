"""Bulk import and streaming export."""


class TransferMixin:
    """Bulk import and streaming export. Mixed into ClaimStore."""
