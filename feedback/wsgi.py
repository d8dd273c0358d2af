"""The WSGI entry point for gunicorn: `gunicorn feedback.wsgi:app`."""

from feedback import serving_app

app = serving_app(freeze=True)
