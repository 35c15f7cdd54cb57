"""The `eldercare` command: the operator's way into the platform."""

import typer

from orchestration.commands import audit, db, dbt, feeds, ops, pipeline, review, serve, superset

app = typer.Typer(
    help="Tianjin eldercare data platform: store, pipelines and services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold passwords
)
app.add_typer(db.app, name="db")
app.add_typer(feeds.app, name="feeds")
app.add_typer(ops.app, name="ops")
app.add_typer(audit.app, name="audit")
app.add_typer(review.app, name="review")
app.add_typer(superset.app, name="superset")
app.command()(pipeline.run)
app.command()(pipeline.dev)
app.command()(serve.serve)
app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)(dbt.dbt)
