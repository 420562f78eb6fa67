"""claimcheck: label the claims of a news article as confirmed, denied or unverified."""

__version__ = "2.0.0"


def create_app(config=None):
    """See :func:`claimcheck.app.create_app` (imported lazily so ``import claimcheck`` stays light)."""
    from claimcheck.app import create_app as _create_app

    return _create_app(config)
