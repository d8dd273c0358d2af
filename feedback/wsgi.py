"""The WSGI entry point for gunicorn: `gunicorn feedback.wsgi:app`."""

import gc

from feedback import serving_app

app = serving_app()

# What start-up made (modules, mapped classes, settings, the respondent templates) lives as
# long as the worker. Frozen, it is left out of the garbage collector's full passes, which
# otherwise walk all of it every few hundred requests: about 70 ms each, a millisecond a
# request on average.
gc.freeze()
