# gunicorn reads this file from its working directory (the Dockerfile's /app, docker-compose's web).
# Its access log lines end with the request id the app put on the response
# (inspection/operations.py), so they join the app's own log lines of that request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)
