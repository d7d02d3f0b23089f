"""The admin console (/admin/): the shell every page shares (navigation, language, role
checks). The pages themselves live with their domain (units/pages.py, people/pages.py, ...)."""
