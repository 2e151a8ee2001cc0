"""The rounds a URL names by slug: `@loads("round_", ROUND)` in every feature's views."""

from consult.rounds import services
from consult.rounds.permissions import can_view_round
from consult.web import Loader

#: A round by its slug, for whoever may see it (drafts and cancelled rounds: coordinators only).
ROUND = Loader("slug", services.get_round, can_view_round)
#: The same, without its scope: for the files made from its public record (reports, exports).
ROUND_RECORD = Loader("slug", services.find_round, can_view_round)
