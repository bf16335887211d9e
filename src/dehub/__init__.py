"""dehub: Districts as Export Hubs."""

__version__ = "0.1.0"
