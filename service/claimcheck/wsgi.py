"""WSGI entry point for gunicorn: each worker imports this and loads the models once."""

from claimcheck import create_app

app = create_app()
