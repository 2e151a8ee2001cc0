"""The parts of the plan a URL names by id, for every feature's views."""

from consult.extensions import db
from consult.plan import browsing, services
from consult.plan.models import Indicator, PlanVersion
from consult.web import Loader

#: A thematic cluster by its id, with its recommendations and actions.
CLUSTER = Loader("cluster_id", services.get_cluster)
#: An action by its id, with its indicators and the recommendations it answers.
ACTION = Loader("action_id", services.get_action)
#: An indicator by its id.
INDICATOR = Loader("indicator_id", lambda ident: db.session.get(Indicator, ident))
#: A frozen version of the plan by its id.
VERSION = Loader("version_id", lambda ident: db.session.get(PlanVersion, ident))
#: A recommendation by its id, with everything its pages show.
RECOMMENDATION = Loader("recommendation_id", browsing.get_recommendation)
