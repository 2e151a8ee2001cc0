"""The baselines every throughput is compared with, served by the same gunicorn settings."""

from flask import Flask


def bare(environ, start_response):
    """The least a WSGI application can do."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


flask_hello = Flask(__name__)


@flask_hello.route("/")
def hello():
    """Flask's hello world."""
    return "hello"
