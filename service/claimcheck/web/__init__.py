"""The web layer: app factory, blueprints, schemas and the error handler."""
