"""gunicorn settings for production: `.venv/bin/gunicorn` in the project folder reads this
file by itself (./gunicorn.conf.py). Command-line flags still win (`-b`, `-w`, ...).

    LANG_NGHE_BIND      address to listen on (default 127.0.0.1:8000, behind a reverse proxy)
    WEB_CONCURRENCY     worker processes (default: CPUs + 1)
"""

import gc
import os

wsgi_app = "server:create_app()"
bind = [os.environ.get("LANG_NGHE_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))

# Threads: a long export or report download occupies one thread, not a whole worker, and
# uploads go on beside it. The app keeps no per-process state, so threads are safe.
worker_class = "gthread"
threads = 4

# With gthread the worker's main loop tells the arbiter it is alive every second while
# its threads serve requests, so `timeout` does not cut a long streamed download (a sync
# worker is killed after `timeout` seconds in one request: the 30 s limit that broke
# large exports). It only catches a worker that is truly stuck.
timeout = 60
# On a reload or shutdown, requests in flight (a download of a large export) get this
# long to finish before their worker is stopped.
graceful_timeout = 120
# Idle keep-alive connections from a reverse proxy.
keepalive = 5

# Logs to stdout/stderr, for the service manager to collect.
accesslog = "-"
errorlog = "-"


def post_worker_init(worker):
    """The app (modules, forms, templates, the bundled PWA) lives as long as the worker:
    moved out of the garbage collector's reach, the collections a big page triggers scan
    only what the request made (about 30 % of the national progress page's Python time)."""
    gc.freeze()
