"""Bad input at a box: oversized and scripted messages get clear errors or are stored as
text, never published unmoderated; a robot filling the honeypot is refused; flooding a box
is throttled (a bounded number of requests)."""

from server.suggestions.models import SuggestionMessage
from tests.suggestions.conftest import submission, submit_url


def test_an_oversized_body_is_a_413_in_the_error_shape(client, world, db):
    answer = client.post(submit_url(world.box), json=submission(message="x" * 20_000))
    assert answer.status_code == 413
    error = answer.get_json()["error"]
    assert error["code"] == "payload_too_large" and error["message"]
    assert db.session.query(SuggestionMessage).count() == 0


def test_a_message_over_the_limit_says_how_long_it_is(client, world, db):
    answer = client.post(submit_url(world.box), json=submission(message="ý" * 2001))
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "message_too_long"
    assert "2.001" in error["message"] and "2.000" in error["message"]
    assert error["details"]["max_length"] == 2000
    assert client.post(submit_url(world.box),
                       json=submission(message="ý" * 2000)).status_code == 201


def test_a_scripted_message_is_stored_as_text_and_never_shown_unmoderated(client, world, db,
                                                                          web_login):
    from server.suggestions.handling import moderate

    script = '<script>alert("x")</script><img src=x onerror=alert(1)> gọi 0912345678'
    receipt = client.post(submit_url(world.box), json=submission(message=script)).get_json()
    message = db.session.query(SuggestionMessage).one()
    assert message.body == script and message.moderation == "pending"
    page = client.get(f"/y-kien/{world.box.code}").get_data(as_text=True)
    assert "alert" not in page                                  # not on the box's page
    follow = client.get(f"/y-kien/theo-doi/{receipt['receipt_code']}").get_data(as_text=True)
    assert "alert" not in follow                                 # nor on the follow-up page

    # the official sees it escaped
    web_login(world.users["official_a"])
    html = client.get(f"/admin/suggestions/messages/{message.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html

    # published only by an official's action, escaped and masked
    moderate(message, world.users["official_a"], publish=True)
    published = client.get(f"/y-kien/{world.box.code}").get_data(as_text=True)
    assert "&lt;script&gt;" in published and "<script>alert" not in published
    assert "0912345678" not in published and "**********" in published


def test_the_honeypot_refuses_robots(client, world, db):
    answer = client.post(submit_url(world.box), json=submission(website="http://spam.example"))
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "automated_submission"
    assert db.session.query(SuggestionMessage).count() == 0


def test_flooding_a_box_from_one_address_is_throttled(app, client, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_MAX_PER_ADDRESS", 5)
    statuses = [client.post(submit_url(world.box), json=submission(message=f"Ý kiến {n}")).status_code
                for n in range(8)]
    assert statuses == [201] * 5 + [429] * 3
    refused = client.post(submit_url(world.box), json=submission())
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "thử lại sau" in refused.get_json()["error"]["message"]
    assert db.session.query(SuggestionMessage).count() == 5


def test_flooding_a_box_from_many_addresses_is_throttled_per_box(app, client, world, db,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_MAX_PER_BOX", 6)
    statuses = [client.post(submit_url(world.box), json=submission(),
                            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
                for n in range(1, 10)]
    assert statuses == [201] * 6 + [429] * 3


def test_a_resend_does_not_use_up_the_limit(app, client, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_MAX_PER_ADDRESS", 3)
    body = submission()
    statuses = [client.post(submit_url(world.box), json=body).status_code for _ in range(6)]
    assert statuses == [201] + [200] * 5
    assert client.post(submit_url(world.box), json=submission()).status_code == 201
