"""Everything people read in the terminal: tables, trees and safe text. This package is the only
place that imports rich, and the only one that writes to stdout and stderr: `text` (safe text,
notices, errors, JSON out), then one module per area of commands."""
