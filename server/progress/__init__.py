"""The field supervisor's screen: a round's responses against its targets, per unit and per
volunteer, its pace and its daily progress (services.py puts the page's data together from
scope, counting, rollup, volunteers and days; pages.py: the pages)."""
