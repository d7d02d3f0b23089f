"""Exports stream: the view only checks and plans, the rows are read while the body is sent
(after the request's own transaction has ended), in batches; an abandoned download gives
its database connection back. Requests run as a server runs them: no app context of the
test around them."""

import contextvars
import csv
import gc
import io
import tempfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from server.reporting import export

RESPONSES = 35
BATCH = 10              # rows per batch in these tests (a real export reads 1,000)


@pytest.fixture
def big_round(committed_db, factory_committed, monkeypatch):
    monkeypatch.setattr(export, "BATCH", BATCH)
    factory = factory_committed
    commune = factory.unit("Xã Sơn Thủy")
    volunteer = factory.user("tnv", "volunteer", units=[commune])
    round_ = factory.round(units=[commune], title="Đợt xuất lớn")
    for index in range(RESPONSES):
        factory.response(round_, commune, volunteer,
                         {"sex": "female", "other_comments": f"Ý kiến số {index}"})
    token = factory.token(factory.user("quantri", "admin"))
    round_id = round_.id
    committed_db.session.commit()
    committed_db.session.close()
    return {"round_id": round_id, "token": token, "engine": committed_db.engine}


@pytest.fixture
def statements(big_round):
    """Every SQL statement the app runs, and every COMMIT, in order."""
    seen = []

    def record(connection, cursor, statement, *args):
        seen.append(statement)

    def committed(connection):
        seen.append("COMMIT")

    engine = big_round["engine"]
    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "commit", committed)
    yield seen
    event.remove(engine, "before_cursor_execute", record)
    event.remove(engine, "commit", committed)


def _reads_responses(statement: str) -> bool:
    return "FROM responses JOIN units" in statement


def _rows_read_after_the_request_committed(statements) -> bool:
    """The long read runs after the request's transaction (and its bookkeeping write) has
    ended: no lock of the request is held while the body is made."""
    reads = [i for i, statement in enumerate(statements) if _reads_responses(statement)]
    return len(reads) == 1 and "COMMIT" in statements[:reads[0]]


def _open(app, big_round, extension):
    """The response as a server has it: the view has returned, the body is being sent
    (the test client, like a server, has pulled its first chunk)."""
    path = f"/api/v1/rounds/{big_round['round_id']}/export.{extension}"
    client = app.test_client()
    return client.get(path, headers={"Authorization": f"Bearer {big_round['token']}"})


def test_csv_starts_before_any_row_is_read_and_comes_in_batches(app, big_round, statements):
    def run():
        response = _open(app, big_round, "csv")
        assert response.status_code == 200
        body = iter(response.response)
        first = next(body)
        assert first.decode("utf-8").startswith("\ufeffresponse_uuid,")
        assert not any(map(_reads_responses, statements))    # the header went out first
        chunks = [first, *body]
        response.close()
        return chunks

    chunks = contextvars.Context().run(run)
    assert _rows_read_after_the_request_committed(statements)
    assert len(chunks) == 1 + -(-RESPONSES // BATCH)        # header, then one per batch
    text = b"".join(chunks).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["other_comments"] for row in rows] == [f"Ý kiến số {i}" for i in
                                                       range(RESPONSES)]


def test_xlsx_is_built_after_the_request_and_sent_in_chunks(app, big_round, statements,
                                                        monkeypatch):
    monkeypatch.setattr(export, "FILE_CHUNK", 1024)

    def run():
        response = _open(app, big_round, "xlsx")
        assert response.status_code == 200
        chunks = list(response.response)
        response.close()
        return chunks

    chunks = contextvars.Context().run(run)
    assert _rows_read_after_the_request_committed(statements)
    assert len(chunks) > 3 and all(len(chunk) <= 1024 for chunk in chunks)
    sheet = load_workbook(io.BytesIO(b"".join(chunks))).active
    assert sheet.max_row == RESPONSES + 1


def test_an_abandoned_download_gives_its_connection_back(app, big_round):
    pool = big_round["engine"].pool
    before = pool.checkedout()

    def abandon(extension):
        response = _open(app, big_round, extension)
        next(iter(response.response))     # the client reads a little, then goes away
        response.close()

    for extension in ("csv", "xlsx"):
        contextvars.Context().run(abandon, extension)
        assert pool.checkedout() == before, extension


def test_a_failed_xlsx_build_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows_until_the_database_fails():
        yield ["response_uuid", "comment"]
        yield ["a", "=1+1"]
        raise OSError("connection lost")

    with pytest.raises(OSError, match="connection lost"):
        export.xlsx_file(rows_until_the_database_fails(), "Phieu")
    gc.collect()
    assert list(tmp_path.iterdir()) == []
