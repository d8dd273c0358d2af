"""The WSGI entry point for gunicorn: `gunicorn feedback.wsgi:app`."""

from feedback import create_app

app = create_app()
