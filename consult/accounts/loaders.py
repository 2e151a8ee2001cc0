"""The accounts a URL names by id, for every feature's views."""

from consult.accounts import services
from consult.accounts.models import User
from consult.extensions import db
from consult.web import Loader

#: An account by its id.
USER = Loader("user_id", lambda ident: db.session.get(User, ident))
#: An account by its id, with its roles, memberships and their organisations, for its page.
USER_PAGE = Loader("user_id", services.get_user_with_memberships)
