"""The bare Flask "hello" app the throughput benchmark compares against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
