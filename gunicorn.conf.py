"""Gunicorn settings for the Heroku `web` dyno (read by `gunicorn --config gunicorn.conf.py`).

Every knob comes from the environment so a dyno size change is a config var, not a commit:
PORT (set by Heroku), WEB_CONCURRENCY (worker processes; Heroku sets a default per dyno size),
GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_PRELOAD.
"""

import os


def _int_from_env(name: str, default: int, minimum: int = 1) -> int:
    """Read a whole-number setting, failing at boot with the variable's name if it is bad."""
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, got {value}")
    return value


bind = f"0.0.0.0:{_int_from_env('PORT', 8000)}"

# Two processes fit a 512 MB dyno with the model loaded; threads serve I/O-bound pages while one
# request scores. threads > 1 makes gunicorn use the gthread worker.
workers = _int_from_env("WEB_CONCURRENCY", 2)
threads = _int_from_env("GUNICORN_THREADS", 4)

# Heroku's router gives up after 30 s; a worker stuck longer than that is killed and replaced.
timeout = _int_from_env("GUNICORN_TIMEOUT", 30)
# Heroku sends SIGTERM and waits 30 s before SIGKILL: finish in-flight requests within that.
graceful_timeout = 20
keepalive = 5

# Import Flask, pandas, scikit-learn, LightGBM and MLflow once in the master, then fork: the
# workers share those pages copy-on-write (measured in docs/deploy.md). Set GUNICORN_PRELOAD=0
# to load per worker (e.g. to allow `kill -HUP` code reloads).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

# Logs go to stdout/stderr, which Heroku's log router collects.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'

# Heroku's router is the only client and sets X-Forwarded-Proto: trust it so the app knows the
# request came in over HTTPS (secure cookies, redirects).
forwarded_allow_ips = "*"

# No recycling by request count: a worker that exits after N requests closes its keep-alive
# connections while clients may be sending on them ("Remote end closed connection without
# response", measured in docs/benchmarks.md), and its successor reloads the model. Heroku already
# restarts every dyno daily; GUNICORN_MAX_REQUESTS=N turns recycling back on if a leak shows.
max_requests = _int_from_env("GUNICORN_MAX_REQUESTS", 0, minimum=0)
max_requests_jitter = 200 if max_requests else 0


# The model loads where a server starts, never in create_app, so `flask` commands stay light.
# With preload_app the master loads it once before forking (the workers share its pages);
# without, each worker loads it after it starts. Either way the first request is as fast as the
# rest, and a missing model still lets the server start (/api/health says why).
def _load_model(flask_app) -> None:
    from app.services import model_store

    model_store.preload(flask_app)


def when_ready(server) -> None:
    if server.cfg.preload_app:
        _load_model(server.app.wsgi())


def post_worker_init(worker) -> None:
    if not worker.cfg.preload_app:
        _load_model(worker.wsgi)
