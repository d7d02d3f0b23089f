"""Turns a round summary (plain data, reports.summary) into a PDF with reportlab.

Knows nothing of Flask or the database: the analytics build a ``RoundSummary``,
``render_round_report`` draws it.
"""
