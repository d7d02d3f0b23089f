"""A round's data version: raised by every change to the answers a round has stored.

Report fingerprints include it, so a cached PDF is made again when answers change in place
(a conflict replaced, a response excluded...): the count, sum and last of the response ids
only see responses added or removed. Storing new responses does not raise it (the ids say
so already), which keeps uploads from queueing on the round's row.
"""

from sqlalchemy import update

from server.extensions import db
from server.rounds.models import Round


def mark_answers_changed(round_id: int) -> None:
    """Raise the round's data version, in the caller's transaction (one atomic UPDATE, so
    two changes at once both count)."""
    db.session.execute(update(Round).where(Round.id == round_id)
                       .values(data_version=Round.data_version + 1)
                       .execution_options(synchronize_session="fetch"))
