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


def test_a_failed_xlsx_stops_with_the_error_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows_until_the_database_fails():
        yield ["response_uuid", "comment"]
        yield ["a", "=1+1"]
        raise OSError("connection lost")

    chunks = export.xlsx_chunks(rows_until_the_database_fails(), "Phieu")
    with pytest.raises(OSError, match="connection lost"):
        list(chunks)
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_the_xlsx_starts_before_any_row_is_read(app, big_round, statements):
    def run():
        response = _open(app, big_round, "xlsx")
        body = iter(response.response)
        first = next(body)
        assert first.startswith(b"PK")                       # a zip: the workbook's start
        assert not any(map(_reads_responses, statements))
        chunks = [first, *body]
        response.close()
        return chunks

    chunks = contextvars.Context().run(run)
    sheet = load_workbook(io.BytesIO(b"".join(chunks))).active
    assert sheet.title == "Phieu" and sheet.max_row == RESPONSES + 1
    comments = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(set(comments)) == RESPONSES


def test_the_rows_are_read_with_a_streaming_cursor(app, big_round):
    """The rows query asks for streaming (yield_per: a server-side cursor on PostgreSQL,
    BATCH rows per round trip), never for the whole round at once."""
    seen = []

    def record(connection, cursor, statement, parameters, context, executemany):
        if _reads_responses(statement):
            seen.append((dict(context.execution_options), cursor))

    engine = big_round["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        contextvars.Context().run(lambda: _open(app, big_round, "csv").get_data())
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1
    options, cursor = seen[0]
    assert options.get("yield_per") == BATCH and options.get("stream_results") is True
    if engine.dialect.name == "postgresql":
        import psycopg

        assert isinstance(cursor, psycopg.ServerCursor)


class _CountedRows:
    """A query's result that counts the rows taken from it."""

    def __init__(self, result):
        self.result, self.taken = result, 0

    def __iter__(self):
        for row in self.result:
            self.taken += 1
            yield row


def _rounds_rows_counted(monkeypatch, session) -> list[_CountedRows]:
    results = []
    execute = session.execute

    def counted(statement, *args, **kwargs):
        result = _CountedRows(execute(statement, *args, **kwargs))
        results.append(result)
        return result

    monkeypatch.setattr(session, "execute", counted)
    return results


def test_rows_come_out_one_by_one_before_the_query_is_exhausted(db, factory, monkeypatch):
    monkeypatch.setattr(export, "BATCH", BATCH)
    commune = factory.unit("Xã Sơn Thủy")
    volunteer = factory.user("tnv", "volunteer", units=[commune])
    round_ = factory.round(units=[commune], title="Đợt xuất lớn")
    for index in range(RESPONSES):
        factory.response(round_, commune, volunteer, {"other_comments": f"Ý kiến số {index}"})
    plan = export.export_plan(round_)
    results = _rounds_rows_counted(monkeypatch, db.session)
    rows = export.response_rows(plan)
    assert next(rows)[0] == "response_uuid"
    first = next(rows)
    responses_read = results[-1]            # after the hidden comments: the responses
    assert responses_read.taken == 1        # no list of the round built first
    rest = list(rows)
    assert responses_read.taken == RESPONSES == 1 + len(rest)
    assert first[0] != rest[0][0]


def test_an_export_of_a_unit_holds_only_the_responses_in_it_and_below(db, factory):
    province = factory.unit("Tỉnh Thử", kind="province")
    communes = [factory.unit(f"Xã {name}", parent=province) for name in ("Bắc", "Nam")]
    groups = [factory.unit(f"Tổ {c.name}", kind="residential_group", parent=c) for c in communes]
    volunteer = factory.user("tnv", "volunteer", units=communes)
    round_ = factory.round(units=groups, title="Đợt theo đơn vị")
    for index, group in enumerate(groups * 3):
        factory.response(round_, group, volunteer, {"other_comments": f"{group.name} {index}"})

    def unit_ids(unit=None):
        rows = export.response_rows(export.export_plan(round_, unit))
        column = next(rows).index("unit_id")
        return sorted(row[column] for row in rows)

    assert unit_ids(communes[0]) == [groups[0].id] * 3
    assert unit_ids(groups[1]) == [groups[1].id] * 3
    assert unit_ids(province) == unit_ids() == sorted([groups[0].id, groups[1].id] * 3)


def test_xlsx_cells_keep_their_type_and_text_on_every_row(monkeypatch):
    """Equal-looking values of different types stay apart however often they repeat, and
    text comes back exactly (markup escaped, never a formula)."""
    monkeypatch.setattr(export, "BATCH", 2)
    values = [True, 1, "1", 1.5, None, "=1+1", "a < b & c > d", "Ý kiến\r\ncuối"]
    rows = [["response_uuid", *(f"c{n}" for n in range(len(values)))],
            *([f"r{n}", *values] for n in range(5))]
    sheet = load_workbook(io.BytesIO(b"".join(export.xlsx_chunks(iter(rows), "Phiếu <1>")))).active
    assert sheet.title == "Phiếu <1>"
    read = list(sheet.iter_rows(min_row=2, values_only=True))
    assert read == [(f"r{n}", *values) for n in range(5)]
    assert [type(value) for value in read[-1][1:4]] == [bool, int, str]
    assert sheet["G6"].quotePrefix and sheet["G6"].data_type == "s"
