"""claimtrack: track contested claims, their rebuttals and corroborations.

The Python API: `ClaimStore` (open with `ClaimStore.open(path)`) and the errors in
`claimtrack.errors`, every one a `ClaimtrackError`.
"""

__version__ = "0.1.0"
