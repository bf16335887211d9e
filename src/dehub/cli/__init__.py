"""The ``dehub`` command line (Typer + Rich): thin commands over :mod:`dehub.services`."""
