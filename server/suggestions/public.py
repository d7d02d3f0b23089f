"""The residents' pages, no login: a box's page (/y-kien/<code>) where a message is written
(and queued on the phone when there is no connection), and the follow-up page
(/y-kien/theo-doi/<receipt>) with the officials' replies. An unknown or closed box, or an
unknown receipt, is a 404 page in the resident's language, never a 500."""

from flask import Blueprint, redirect, render_template, request, url_for

from reports.masking import mask_comment
from server.suggestions import boxes, handling
from server.suggestions.codes import format_receipt, normalise_box_code, normalise_receipt
from server.suggestions.public_i18n import page_words, public_lang, words
from server.suggestions.topics import active_topics

bp = Blueprint("suggestions_public", __name__, url_prefix="/y-kien")
bp.context_processor(page_words)


def _missing(key: str):
    return render_template("suggestions/public_missing.html",
                           message=words(public_lang())[key]), 404


@bp.get("/<code>")
def box_page(code: str):
    normal = normalise_box_code(code)
    box = boxes.box_by_code(normal) if normal else None
    if box is None or not box.is_open:
        return _missing("missing_box")
    published = [(mask_comment(message.body), message.replies)
                 for message in handling.published_messages(box)]
    return render_template("suggestions/public_box.html", box=box, topics=active_topics(),
                           published=published,
                           submit_url=url_for("suggestion_boxes.PublicSubmission", code=box.code))


@bp.get("/theo-doi")
def follow_up_form():
    """The form where a receipt is typed; with ?ma= it goes to that receipt's page."""
    typed = request.args.get("ma")
    if typed is not None:
        receipt = normalise_receipt(typed)
        if receipt:
            return redirect(url_for(".follow_up", receipt=receipt, lang=public_lang()))
        return _missing("missing_receipt")
    return render_template("suggestions/public_follow_up.html", message=None)


@bp.get("/theo-doi/<receipt>")
def follow_up(receipt: str):
    normal = normalise_receipt(receipt)
    message = handling.message_by_receipt(normal) if normal else None
    if message is None:
        return _missing("missing_receipt")
    return render_template("suggestions/public_follow_up.html", message=message,
                           receipt=format_receipt(message.receipt_code))
