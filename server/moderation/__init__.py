"""Comment moderation: an official or an admin hides a resident's comment from a round's
reports (with a reason, audited) until an admin marks the round's reports final."""
