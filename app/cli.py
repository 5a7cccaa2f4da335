"""The ``askwell`` command."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.content.cli import content_app
from app.core.config import InsecureSettingsError, Settings, get_settings
from app.models.users import AgeBand, Role

if TYPE_CHECKING:
    from sqlmodel import Session

    from app.auth.passwords import Passwords

cli = typer.Typer(
    help="Askwell: co-designed training on young people's online lives.", no_args_is_help=True
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
safeguarding_app = typer.Typer(help="Safeguarding records.", no_args_is_help=True)
export_app = typer.Typer(help="Modules packaged for other learning systems.", no_args_is_help=True)
events_app = typer.Typer(help="Learning events and their delivery.", no_args_is_help=True)
lti_app = typer.Typer(help="LTI 1.3: learning platforms that launch Askwell.", no_args_is_help=True)
cli.add_typer(db_app, name="db")
cli.add_typer(users_app, name="users")
cli.add_typer(content_app, name="content")
cli.add_typer(safeguarding_app, name="safeguarding")
cli.add_typer(export_app, name="export")
cli.add_typer(events_app, name="events")
cli.add_typer(lti_app, name="lti")


def load_settings() -> Settings:
    try:
        return get_settings()
    except InsecureSettingsError as error:
        typer.secho(f"Refusing to start: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from error


def _read_password(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


@contextmanager
def _accounts_unit_of_work(settings: Settings) -> Iterator[tuple[Session, Passwords]]:
    """One transaction for an account command; a problem is printed plainly, exit code 1."""
    from app.auth.passwords import Passwords
    from app.core.db import make_engine, session_scope
    from app.core.errors import AppError

    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            yield session, Passwords(settings.password_hash_profile)
    except AppError as error:
        typer.secho(error.message, err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    finally:
        engine.dispose()


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve Askwell with uvicorn.

    Forwarded headers are believed only from ASKWELL_TRUSTED_PROXIES, by the app itself,
    so uvicorn's own handling is off: it would trust 127.0.0.1 or a FORWARDED_ALLOW_IPS
    the app knows nothing about.
    """
    import uvicorn

    from app.core.db import make_engine
    from app.core.migrations import pending_revisions

    settings = load_settings()
    _refuse_broken_content(settings)
    engine = make_engine(settings.database_url)
    try:
        pending = pending_revisions(engine)
    finally:
        engine.dispose()
    if pending:
        typer.secho(
            f"The database is {len(pending)} migration(s) behind this version of Askwell. "
            "Run `askwell db upgrade` first.",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(2)
    # Each request thread would otherwise get a malloc arena of its own, which keeps what it
    # once used: two arenas hold a worker to a steady size (the workers inherit this).
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    os.environ["ASKWELL_SCHEMA_CHECKED"] = "true"  # checked just above
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        server_header=False,
    )


def _refuse_broken_content(settings: Settings) -> None:
    """A module with errors stops the server before it listens, with the content check's own
    ``path:line: message`` list, rather than a traceback from inside uvicorn."""
    from app.content import ContentError, load_content

    try:
        load_content(settings.modules_dir)
    except ContentError as error:
        typer.secho(f"Refusing to start: {error}", err=True, fg=typer.colors.RED)
        typer.echo("Fix them (`askwell content check` lists the same) and start again.", err=True)
        raise typer.Exit(2) from error


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Bring the database schema up to date."""
    from app.core.migrations import upgrade

    settings = load_settings()
    upgrade(settings.database_url, revision)
    _prepare_content(settings)
    typer.echo("Database is up to date.")


def _prepare_content(settings: Settings) -> None:
    """Keep the text of each module version (for "what changed") and index it for search."""
    from app.content import ContentError, load_content
    from app.content.snapshots import record_content_versions_at_start
    from app.core.db import make_engine
    from app.search.service import index_content_at_start

    try:
        content = load_content(settings.modules_dir)
    except ContentError:
        typer.secho("Content has errors: run `askwell content check`.", err=True)
        return
    engine = make_engine(settings.database_url)
    try:
        record_content_versions_at_start(engine, content)
        index_content_at_start(engine, content)
    finally:
        engine.dispose()


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Take the schema back to REVISION (``base`` empties it)."""
    from app.core.migrations import downgrade

    downgrade(load_settings().database_url, revision)
    typer.echo(f"Database downgraded to {revision}.")


@db_app.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="The file to write; it must not exist yet.")],
) -> None:
    """Back the database up while Askwell keeps serving (SQLite: online backup; PostgreSQL:
    pg_dump, custom format)."""
    from app.core.backup import BackupError, backup

    settings = load_settings()
    try:
        outcome = backup(settings.database_url, path)
    except BackupError as error:
        typer.secho(f"No backup made: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    revision = f", schema revision {outcome.revision}" if outcome.revision else ""
    typer.echo(
        f"Backed up the database to {outcome.path} ({outcome.size_bytes:,} bytes{revision})."
    )


@db_app.command("restore")
def db_restore(
    path: Annotated[Path, typer.Argument(help="A file made by `askwell db backup`.")],
    force: Annotated[
        bool,
        typer.Option(help="Restore even though another program (Askwell) has the database open."),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace everything in the database with a backup. Stop Askwell first."""
    from app.core.backup import BackupError, restore
    from app.core.db import make_engine
    from app.core.migrations import pending_revisions

    settings = load_settings()
    if not yes:
        typer.confirm(
            f"This replaces everything in the database with {path}. Continue?", abort=True
        )
    try:
        restore(settings.database_url, path, force=force)
    except BackupError as error:
        typer.secho(f"Nothing restored: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    engine = make_engine(settings.database_url)
    try:
        behind = pending_revisions(engine)
    finally:
        engine.dispose()
    typer.echo(f"Restored the database from {path}.")
    if behind:
        typer.echo("The backup is from an older version of Askwell: run `askwell db upgrade`.")
    typer.echo("Start Askwell again (or restart it) so it serves the restored data.")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Their email address; it is how they sign in.")],
    name: Annotated[str, typer.Option(help="The name Askwell shows.")],
    role: Annotated[list[Role], typer.Option(help="A role; repeat for several.")],
    age_band: Annotated[
        AgeBand | None,
        typer.Option(help="Required for co-designers: their age band (never a date of birth)."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account."""
    from app.auth import service as auth

    settings = load_settings()
    password = _read_password(password_stdin, "Password")
    with _accounts_unit_of_work(settings) as (session, passwords):
        user = auth.create_user(
            session,
            passwords,
            email=email,
            password=password,
            display_name=name,
            roles=role,
            age_band=age_band,
        )
        typer.echo(f"Created {user.email} ({', '.join(sorted(r.value for r in role))}).")


@users_app.command("set-password")
def users_set_password(
    email: Annotated[str, typer.Option(help="The account's email address.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set an account's password and sign it out everywhere (for a locked-out admin)."""
    from app.audit import service as audit
    from app.auth import service as auth

    settings = load_settings()
    password = _read_password(password_stdin, "New password")
    with _accounts_unit_of_work(settings) as (session, passwords):
        user = auth.set_password_by_operator(session, passwords, email, password)
        audit.record(
            session, None, "account.password_set", "user", user.id, "from the command line"
        )
        typer.echo(f"Password set for {user.email}; it has been signed out everywhere.")


@safeguarding_app.command("purge")
def safeguarding_purge() -> None:
    """Delete safeguarding records followed up longer ago than the retention period.

    Open records are never deleted. Run it daily (for example from cron).
    """
    from app.core.db import make_engine, session_scope
    from app.safeguarding.service import purge

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            removed = purge(session, settings.safeguarding_retention_days)
    finally:
        engine.dispose()
    records = "record" if removed == 1 else "records"
    typer.echo(
        f"Deleted {removed} safeguarding {records} followed up more than "
        f"{settings.safeguarding_retention_days} days ago."
    )


@export_app.command("scorm")
def export_scorm(
    slug: Annotated[str, typer.Argument(help="The module's slug, as in /modules/SLUG.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The .zip file to write.", dir_okay=False)
    ],
    version: Annotated[
        int | None,
        typer.Option(help="The version to export; it must be the module's current one."),
    ] = None,
) -> None:
    """Write a SCORM 1.2 package of a module (for ESR/OLM or any LMS): a frozen copy of this
    version, with the scenarios from young people published now."""
    from sqlalchemy.exc import DBAPIError

    from app.content import ContentError, load_content
    from app.core.db import make_engine, session_scope
    from app.core.errors import AppError
    from app.core.templating import Templates
    from app.scorm.service import build_package, record_export

    settings = load_settings()
    if output.suffix.lower() != ".zip":
        typer.secho(f"{output} does not end in .zip: name the package FILE.zip.", err=True)
        raise typer.Exit(2)
    if not output.parent.is_dir():
        typer.secho(f"No package written: the folder {output.parent} does not exist.", err=True)
        raise typer.Exit(1)
    try:
        content = load_content(settings.modules_dir)
    except ContentError as error:
        typer.secho(f"No package written: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            package = build_package(content, Templates(settings), slug, version)
            record_export(session, None, package)
            # Written before the audit event commits, so neither stands without the other.
            output.write_bytes(package.data)
    except OSError as error:
        typer.secho(f"No package written: {error.strerror} ({output}).", err=True)
        raise typer.Exit(1) from error
    except AppError as error:
        typer.secho(f"No package written: {error.message}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    except DBAPIError as error:
        typer.secho(
            "No package written: the database could not be read (run `askwell db upgrade` first).",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1) from error
    finally:
        engine.dispose()
    module = package.module
    typer.echo(
        f"Wrote {output}: a SCORM 1.2 package of “{module.title}”, version {module.version} "
        f"({len(package.data):,} bytes). It is a frozen copy: export again after the module "
        "changes or a scenario from a young person is withdrawn."
    )


@cli.command("check-deploy")
def check_deploy() -> None:
    """Check the environment's settings are safe for production; exit 1 listing what is not."""
    from pydantic import ValidationError

    from app.core.deploy_check import UncheckedSettings, checks_passed, deployment_problems

    try:
        settings = UncheckedSettings()
    except ValidationError as invalid:
        settings, problems = (
            None,
            [
                f"ASKWELL_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
                for error in invalid.errors()
            ],
        )
    else:
        problems = deployment_problems(settings)
    if problems or settings is None:
        typer.secho(
            f"Not safe to deploy: {len(problems)} problem(s).", err=True, fg=typer.colors.RED
        )
        for problem in problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(1)
    typer.secho("Safe to deploy:", fg=typer.colors.GREEN)
    for check in checks_passed(settings):
        typer.echo(f"  - {check}")


@cli.command()
def demo() -> None:
    """Create one demo account per role, with sample progress. Safe to run again."""
    from app.auth.passwords import Passwords
    from app.content import load_content
    from app.core.db import make_engine, session_scope
    from app.core.migrations import upgrade
    from app.demo import seed_demo

    settings = load_settings()
    if settings.is_production:
        typer.secho(
            "The demo accounts are never created in production.", err=True, fg=typer.colors.RED
        )
        raise typer.Exit(2)
    upgrade(settings.database_url)
    _prepare_content(settings)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            accounts = seed_demo(
                session,
                Passwords(settings.password_hash_profile),
                load_content(settings.modules_dir),
            )
    finally:
        engine.dispose()
    typer.echo("Demo sign-ins (development only):")
    for account in accounts:
        roles = " + ".join(role.value for role in account.roles)
        typer.echo(f"  {roles:<26} {account.email:<28} password: {account.password}")


@events_app.command("deliver")
def events_deliver(
    limit: Annotated[
        int, typer.Option(min=1, max=100_000, help="Send at most this many deliveries.")
    ] = 1000,
) -> None:
    """Send the learning events that are due to each destination, and say what happened.

    Safe to run from cron while servers deliver too: no event is sent twice. Exits 1 when
    something failed (it stays queued and is retried later, waiting longer each time).
    """
    from app.core.db import make_engine
    from app.events import service as events
    from app.main import event_destinations

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        destinations = event_destinations(settings, lambda: engine)
        report = events.deliver_due(engine, destinations, limit=limit)
    finally:
        engine.dispose()
    if not report.tried and not report.left_for_later:
        typer.echo("Nothing was due: every learning event has been delivered.")
        return
    typer.echo(
        f"Delivered {report.delivered} event{'s' if report.delivered != 1 else ''} "
        f"to {', '.join(destinations.names())}."
    )
    for problem in report.problems:
        typer.secho(f"  Not delivered: {problem}", err=True, fg=typer.colors.YELLOW)
    if report.failed:
        typer.echo(f"{report.failed} failed; each is tried again later, waiting longer each time.")
    if report.stopped:
        typer.echo(f"{report.stopped} refused for good; an admin can retry them at /admin/events.")
    if report.left_for_later:
        typer.echo(f"{report.left_for_later} left for the next run.")
    if report.failed or report.stopped:
        raise typer.Exit(1)


@lti_app.command("register")
def lti_register(
    name: Annotated[str, typer.Option(help="What admins call it, e.g. 'Trust Moodle'.")],
    issuer: Annotated[str, typer.Option(help="The platform's issuer (iss).")],
    client_id: Annotated[str, typer.Option(help="The client id it gave Askwell.")],
    login_url: Annotated[str, typer.Option(help="Its OIDC authorisation (login) address.")],
    token_url: Annotated[str, typer.Option(help="Its OAuth2 access token address.")],
    jwks_url: Annotated[str, typer.Option(help="Where it publishes its public keys.")],
    deployment: Annotated[list[str], typer.Option(help="A deployment id; repeat for several.")],
) -> None:
    """Register a learning platform (or add deployment ids to one registered already)."""
    from pydantic import ValidationError

    from app.core.db import make_engine, session_scope
    from app.lti import service as lti
    from app.lti.schemas import PlatformIn

    settings = load_settings()
    try:
        platform = PlatformIn(
            name=name,
            issuer=issuer,
            client_id=client_id,
            auth_login_url=login_url,
            auth_token_url=token_url,
            key_set_url=jwks_url,
            deployment_ids=deployment,
        )
    except ValidationError as error:
        for problem in error.errors():
            field = str(problem["loc"][0]).replace("_", " ")
            typer.secho(f"{field}: {problem['msg']}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            registered = lti.register_platform(session, platform)
            if not lti.jwks(session)["keys"]:
                lti.rotate_key(session)
            typer.echo(
                f"Registered {registered.name} ({registered.issuer}, client {registered.client_id})"
                f" with {len(platform.deployment_ids)} deployment id(s)."
            )
    finally:
        engine.dispose()


@lti_app.command("rotate-key")
def lti_rotate_key(
    retire_old: Annotated[
        bool,
        typer.Option(
            "--retire-old",
            help="Stop publishing every key but the newest (once platforms have fetched it).",
        ),
    ] = False,
) -> None:
    """Make a new signing key; older keys stay published until retired."""
    from app.core.db import make_engine, session_scope
    from app.lti import service as lti

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            if retire_old:
                retired = lti.retire_keys_except_newest(session)
                typer.echo(f"Retired {len(retired)} key(s): {', '.join(retired) or 'none'}.")
                return
            kid = lti.rotate_key(session)
            published = len(lti.jwks(session)["keys"])
            typer.echo(f"New signing key {kid}; {published} key(s) published at /lti/jwks.")
    finally:
        engine.dispose()


def main() -> None:
    cli(prog_name="askwell")


if __name__ == "__main__":
    main()
