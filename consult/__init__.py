"""consult: consultation on the implementation of UN human-rights recommendations."""

from flask import Flask, request

import config as configuration


def create_app(config_class: type[configuration.Config] | None = None, **overrides) -> Flask:
    """Build the application: extensions, blueprints, commands and error pages."""
    app = Flask(
        __name__,
        template_folder=str(configuration.ROOT / "templates"),
        static_folder="static",
        instance_path=str(configuration.INSTANCE),
    )
    app.config.from_object(config_class or configuration.config_from_environment())
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        if not app.config.get("SECRET_KEY_FROM_INSTANCE"):
            raise RuntimeError("SECRET_KEY must be set in the environment")
        app.config["SECRET_KEY"] = configuration.local_secret_key()
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    register_extensions(app)
    register_template_helpers(app)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the request-wide hooks that go with them."""
    from consult import database, disclosure, i18n, mail, pagecache, security, web
    from consult.accounts import session as account_session
    from consult.extensions import csrf, db, limiter, migrate
    from consult.rounds import services as rounds

    db.init_app(app)
    import consult.models  # noqa: F401 - every table registered, for Alembic and relationship strings

    database.init_app(app, db)
    migrate.init_app(app, db, directory=str(configuration.ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    disclosure.init_app(app)
    account_session.init_app(app)
    mail.init_app(app)
    security.init_app(app)
    pagecache.init_app(app, next_clock_change=rounds.next_clock_change)
    web.init_app(app)  # the URL converters, before any blueprint's routes

    @app.before_request
    def move_rounds_with_the_clock() -> None:
        if request.endpoint != "static":
            rounds.tick_if_due()


def register_template_helpers(app: Flask) -> None:
    """Give templates the permission predicates (as `can.verb(...)`) and the form messages."""
    from types import SimpleNamespace

    from consult.accounts import permissions as accounts
    from consult.api import permissions as api
    from consult.comments import permissions as comments
    from consult.comments.public import shown_author
    from consult.forms import TOKEN_EXPIRED_MESSAGE
    from consult.i18n import current_language
    from consult.lifecycle import allowed
    from consult.moderation import permissions as moderation
    from consult.organisations import permissions as organisations
    from consult.plan import permissions as plan
    from consult.plan.browsing import tags_of, text_for
    from consult.privacy import permissions as privacy
    from consult.rounds import permissions as rounds
    from consult.rounds.services import effective_state
    from consult.summaries import permissions as summaries
    from consult.text import safe_output

    features = (accounts, organisations, plan, rounds, comments, moderation, summaries, api, privacy)
    can = SimpleNamespace(
        **{
            name.removeprefix("can_"): predicate
            for feature in features
            for name, predicate in vars(feature).items()
            if name.startswith("can_") and predicate.__module__ == feature.__name__
        }
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    # Every value a template prints (pages, the Atom feed, e-mails) leaves out what XML cannot hold.
    app.jinja_env.finalize = safe_output
    app.jinja_env.globals.update(
        can=can,
        allowed=allowed,
        form_token_message=TOKEN_EXPIRED_MESSAGE,
        recommendation_text=lambda recommendation: text_for(recommendation, current_language()),
        recommendation_tags=tags_of,
        round_state=effective_state,
        comment_author=shown_author,
    )


def register_blueprints(app: Flask) -> None:
    """Every feature's blueprint, and the receivers of what a lower feature announces."""
    import consult.comments.notifications
    import consult.moderation.notifications  # noqa: F401 - e-mails outcomes once they can no longer be undone
    from consult.accounts.views import bp as accounts
    from consult.api.token_views import bp as api_tokens
    from consult.api.views import bp as api
    from consult.audit_views import bp as audit
    from consult.comments.views import bp as comments
    from consult.main.views import bp as main
    from consult.moderation.views import bp as moderation
    from consult.organisations.views import bp as organisations
    from consult.plan.views import bp as plan
    from consult.privacy.views import bp as privacy
    from consult.reports.views import bp as reports
    from consult.rounds.views import bp as rounds
    from consult.summaries.views import bp as summaries

    for blueprint in (
        main,
        accounts,
        organisations,
        plan,
        rounds,
        comments,
        moderation,
        summaries,
        audit,
        api,
        api_tokens,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(reports)
    app.register_blueprint(privacy)


def register_commands(app: Flask) -> None:
    """The `flask consult …` commands."""
    from consult.cli import consult_cli

    app.cli.add_command(consult_cli)


def register_errorhandlers(app: Flask) -> None:
    """Error pages in the site's layout."""
    from consult import errors

    errors.register_errorhandlers(app)
