"""The field supervisor's screen: a round's responses against its targets, per unit and per
volunteer, its pace and its daily progress (services.py: the SQL; pages.py: the pages)."""
