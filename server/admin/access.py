"""Who reaches the console: admins everywhere, officials the parts of their role."""

from server.auth.web import web_login_required

admin_required = web_login_required(roles=("admin",))
staff_required = web_login_required(roles=("admin", "official"))
