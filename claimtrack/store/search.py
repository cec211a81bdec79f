"""Full-text search and the timeline."""


class SearchMixin:
    """Full-text search and the timeline. Mixed into ClaimStore."""
