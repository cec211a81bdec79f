"""Editing, deleting, linking, actors, sources and the change log."""


class CurationMixin:
    """Editing, deleting, linking, actors, sources and the change log. Mixed into ClaimStore."""
