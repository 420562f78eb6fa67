"""``/demo``: the embeddable widget on a page of its own, for editors to try and for the e2e test.

Plain files, no build step: ``static/widget.js`` (ES module) renders an article with its claims
highlighted in place and uses the JavaScript client from ``service/claimcheck/web/static/client/`` (served from
``CLAIMCHECK_JS_CLIENT_DIR`` so there is one copy of it).  Not part of the JSON API, so a plain
Flask blueprint rather than a documented one.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

from claimcheck.config import Settings

STATIC = Path(__file__).parent / "static"


def init_app(app: Flask, settings: Settings) -> None:
    bp = Blueprint("demo", __name__)
    client_dir = Path(settings.js_client_dir)

    @bp.get("/demo")
    def page():
        return send_from_directory(STATIC, "demo.html")

    @bp.get("/demo/static/<path:name>")
    def asset(name: str):
        if name == "claimcheck.js":
            if not (client_dir / name).is_file():
                abort(404, description=f"JavaScript client not found in {client_dir} (CLAIMCHECK_JS_CLIENT_DIR)")
            return send_from_directory(client_dir, name, mimetype="text/javascript")
        return send_from_directory(STATIC, name)

    app.register_blueprint(bp)
