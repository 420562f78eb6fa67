"""``/docs`` works offline: Swagger UI's files are served by the app from the ``swagger-ui-bundle`` wheel.

flask-smorest renders the ``/docs`` page and loads Swagger UI from ``OPENAPI_SWAGGER_UI_URL``;
pointing that at a route of our own means no page the service serves refers to another host.
"""

from __future__ import annotations

from flask import Blueprint, Flask, send_from_directory

URL = "/docs/static/"


def init_app(app: Flask) -> None:
    from swagger_ui_bundle import swagger_ui_path

    bp = Blueprint("docs_ui", __name__)

    @bp.get(URL + "<path:name>")
    def asset(name: str):
        return send_from_directory(swagger_ui_path, name, max_age=86400)

    app.register_blueprint(bp)
