"""``python -m easymall.survey.parse_server``: the parse server of :mod:`easymall.survey.sandbox`
(started by it; not a command for people)."""
from easymall.survey.sandbox import serve

if __name__ == "__main__":
    serve()
