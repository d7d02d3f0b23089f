"""What a successful login answers (password or sign-in card): the token, the user and, for
a volunteer, the assignments with their ETag, so the phone's first home screen needs no
second round trip (on a 400 ms line each one is felt)."""

from server.people.models import User
from server.sync.assignments import assignments_for
from server.sync.conditional import etag_of


def login_reply(user: User, issued) -> dict:
    reply = {"token": issued.token, "expires_at": issued.record.expires_at, "user": user}
    if user.role == "volunteer":
        rounds = assignments_for(user)
        # The same ETag GET /me/assignments gives: the phone's next check is a 304.
        reply["assignments"] = {"rounds": rounds, "etag": f'"{etag_of(rounds)}"'}
    return reply
