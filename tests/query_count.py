"""How many SQL statements a page takes: the tests that prove a page's cost does not grow
with what it lists count them the same way."""

from sqlalchemy import event

from server.extensions import db


def statements_of_get(client, url: str) -> int:
    """The statements one GET of `url` runs (it must answer 200)."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)
