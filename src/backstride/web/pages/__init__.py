"""The pages: server-rendered HTML (Jinja2), phone first, no front-end build; htmx only where a
page follows a running job."""
