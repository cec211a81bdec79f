"""The commands, one module per group; `claimtrack.cli` registers them."""
