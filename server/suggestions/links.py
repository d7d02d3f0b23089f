"""The public addresses of a box (printed on its poster, returned by the API) and its poster."""

from flask import current_app, request, url_for

from reports.poster import BoxPoster, render_poster
from server.suggestions.models import SuggestionBox


def _base() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/")


def box_url(box: SuggestionBox) -> str:
    return _base() + url_for("suggestions_public.box_page", code=box.code)


def follow_up_url() -> str:
    return _base() + url_for("suggestions_public.follow_up_form")


def receipt_url(receipt: str) -> str:
    return _base() + url_for("suggestions_public.follow_up", receipt=receipt)


def poster_pdf(box: SuggestionBox) -> bytes:
    return render_poster(BoxPoster(box_name=box.name, unit_name=box.unit.name,
                                   url=box_url(box), follow_up_url=follow_up_url()))


def poster_filename(box: SuggestionBox) -> str:
    return f"hom-thu-gop-y-{box.code}.pdf"
