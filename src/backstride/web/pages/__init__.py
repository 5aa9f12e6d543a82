"""The pages: server-rendered HTML (Jinja2) with htmx, phone first, no front-end build."""
