"""The web app: a JSON API under /api/v1 and server-rendered pages, on a phone first.

``create_app()`` builds the FastAPI app (``backstride serve`` runs it with uvicorn). Routes call
the same library functions as the commands (``backstride.recovery``, ``backstride.explain``,
``backstride.plan``); no medical decision is made in a route or a template. See docs/web.md.
"""
