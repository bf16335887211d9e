"""The web platform: server-rendered pages and the JSON API under ``/api/v1``.

``create_app`` (in :mod:`dehub.web.app`) builds the FastAPI application; ``dehub serve`` runs it.
Pages and API routes are thin: they call :mod:`dehub.services` through a cache keyed on the
facts store's state (:mod:`dehub.web.cache`) and render with Jinja2 templates, SVG charts
(:mod:`dehub.web.charts`) and SVG maps (:mod:`dehub.web.maps`) — no CDN, no JS library.
"""
