"""Copy the web app's browser libraries from node_modules (`npm ci`, package.json) into
src/backstride/web/static/vendor, each with its licence, so the app serves them itself: nothing
is fetched from a CDN at run time, and `pip install` alone gives a working app.

Run after changing a version in package.json; tests/web/test_assets.py checks that the copies
equal node_modules' files wherever node_modules is present.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "backstride" / "web" / "static" / "vendor"
# (file in node_modules, name in vendor/)
FILES = (
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("htmx.org/LICENSE", "htmx.LICENSE"),
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-bundle.js"),
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui.css"),
    ("swagger-ui-dist/LICENSE", "swagger-ui.LICENSE"),
    ("swagger-ui-dist/NOTICE", "swagger-ui.NOTICE"),
)


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, name in FILES:
        shutil.copyfile(MODULES / source, VENDOR / name)
        print(f"{source} -> {(VENDOR / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
