"""Sign-in cards on the People pages (people_admin): for the people ticked in the list, a
review (who gets a card, who cannot, whose earlier cards stop working), then the PDF to
print; and, on a person's page, revoking their cards.

The PDF holds live one-time codes: it is made in the response to the POST that issued
them and never cached. The service (server.auth.signin_codes) audits who printed cards for
whom and who revoked them."""

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reports.formatting import VIETNAM
from reports.signin_cards import SigninCard, render_signin_cards
from server.admin.access import admin_required
from server.admin.i18n import tr
from server.auth.signin_codes import (
    LIFETIME,
    IssuedCode,
    can_have_card,
    issue_codes,
    live_codes,
    revoke_cards,
)
from server.auth.web import current_web_user
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User
from server.people.pages import bp
from server.pwa_host.assets import SCOPE
from server.units.pages import form_id

# One request draws at most this many cards (63 pages): a list page shows 100 people.
MAX_CARDS = 500


@bp.context_processor
def _signin_card_helpers():
    # Lazy: only the person's page asks (its sign-in cards box).
    return {"signin_codes_of": lambda person: live_codes(person.id)}


def _selected_people() -> list[User]:
    """The people posted as user_ids, in the order given; 404 for an id no one has."""
    raw = request.form.getlist("user_ids")
    ids = list(dict.fromkeys(form_id(value) for value in raw))
    if None in ids:
        abort(404)
    if len(ids) > MAX_CARDS:
        return []
    people = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_(ids)).options(selectinload(User.units)))}
    if len(people) != len(ids):
        abort(404)
    return [people[user_id] for user_id in ids]


def _why_not(user: User) -> str:
    if not user.is_active:
        return tr("tài khoản đã ngừng", "the account is inactive")
    return tr("thẻ đăng nhập chỉ dành cho tình nguyện viên",
              "sign-in cards are for volunteers only")


def _review(people: list[User], error: str | None = None, status: int = 200):
    cardholders = [user for user in people if can_have_card(user)]
    page = render_template(
        "admin/people/_signin_cards_review.html", error=error, cardholders=cardholders,
        skipped=[(user, _why_not(user)) for user in people if not can_have_card(user)],
        live={user.id: len(live_codes(user.id)) for user in cardholders},
        expires_on=_local_day(utcnow() + LIFETIME), max_cards=MAX_CARDS)
    return page, status


def _local_day(moment) -> date:
    return moment.astimezone(VIETNAM).date()


def _card_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return f"{base.rstrip('/')}{SCOPE}#signin={code}"


def _card(item: IssuedCode) -> SigninCard:
    user = item.user
    return SigninCard(name=user.display_name, username=user.username,
                      units=[unit.name for unit in user.units], url=_card_url(item.code),
                      expires_on=_local_day(item.record.expires_at))


@bp.post("/signin-cards", endpoint="signin_cards")
@admin_required
def signin_cards():
    """Without `print`: the review. With it: new cards for the reviewed people, as a PDF."""
    people = _selected_people()
    if not people:
        message = tr(f"Hãy chọn từ 1 đến {MAX_CARDS} người trong danh sách.",
                     f"Tick between 1 and {MAX_CARDS} people in the list.")
        return _review([], message, 400)
    if request.form.get("print") != "1":
        return _review(people)
    if not all(can_have_card(user) for user in people):
        # Someone changed (deactivated, made an official) since the review.
        return _review(people, tr("Danh sách đã thay đổi từ lúc xem lại: hãy kiểm tra rồi in.",
                                  "The people changed since the review: check, then print."), 409)
    issued = issue_codes(people, current_web_user().id)
    pdf = render_signin_cards([_card(item) for item in issued])
    filename = f"the-dang-nhap-{_local_day(utcnow()).isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        # Live codes: no copy anywhere but the admin's download.
        "Cache-Control": "no-store", "Pragma": "no-cache"})


@bp.post("/<int:user_id>/signin-cards/revoke", endpoint="signin_cards_revoke")
@admin_required
def signin_cards_revoke(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if revoke_cards(user, current_web_user().id):
        flash(tr("Đã thu hồi thẻ đăng nhập: mã QR trên thẻ cũ không dùng được nữa.",
                 "Sign-in cards revoked: the QR codes on the old cards no longer work."),
              "success")
    else:
        flash(tr("Người này không có thẻ đăng nhập nào còn hiệu lực.",
                 "This person has no sign-in card that still works."), "info")
    return redirect(url_for(".person_detail", user_id=user_id))
