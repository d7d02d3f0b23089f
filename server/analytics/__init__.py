"""The SQL that summarises a round for a unit (build_round_summary)."""
