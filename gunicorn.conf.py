"""gunicorn's settings for Feedback: the one place for them.

Used by `feedback serve`, by docs/deploy.md's command line and by the reliability tests
(`gunicorn -c gunicorn.conf.py feedback.wsgi:app`). Command-line options given after
`-c` override what is here; the environment variables below are the usual knobs.

Why these values (docs/adr/0008-proxies-and-slow-clients.md):
- Threaded workers (gthread). A sync worker is held by a client from its first byte to
  its last: two phones on a bad signal, or two connections opened and left to trickle
  their headers, took both workers of a 2-core machine and /healthz timed out. A thread
  is held instead, and each worker has many. Pages spend their time in Python, so
  throughput stays that of one worker per core.
- Threads are still held by a client that sends slowly, so production also puts a
  buffering reverse proxy in front (nginx, or a load balancer that buffers requests),
  which hands gunicorn only whole requests. These settings keep the app standing without
  one, and are what the slow-client test measures.
- Limits on the request line and header fields: a page of answers is a POST body, never
  a long address or many headers.
"""

from __future__ import annotations

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
# One worker per core: CPU-bound pages gain nothing from more processes (measured: on two
# cores 4 workers served fewer responses than 2).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
# Threads per worker: each slow or idle client holds one; requests run one at a time per
# worker anyway (the GIL), so threads cost memory (a little), not speed.
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
# A worker that answers nothing for this long is restarted (a stuck request). Survey
# file imports run in a separate process with their own, shorter, limit.
timeout = 30
graceful_timeout = 10
# Idle kept-alive connections close after this long, freeing their place.
keepalive = 5
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
# Behind a proxy, TRUSTED_PROXIES tells the app which X-Forwarded-For entries to believe
# (werkzeug's ProxyFix); gunicorn itself believes none.
forwarded_allow_ips = ""
# Access log without client addresses, user agents, times of day or respondent page ids
# (a page shown only after some answer would give the answer away), on purpose; the
# logger class takes them out whatever format is set here. With LOG_FORMAT=json (the
# default in production) both logs are JSON lines, a request stamped to the hour only
# (feedback/web/logs.py); the format below is for LOG_FORMAT=plain.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"
logger_class = "feedback.web.access_log.AccessLogger"
errorlog = "-"
