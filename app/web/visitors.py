"""Pages for someone who may have no session yet: a sign-in form, an invitation, a reset link."""

from __future__ import annotations

from fastapi.responses import Response

from app.auth import csrf
from app.auth.cookies import set_pre_session_cookie
from app.core.config import Settings
from app.core.templating import PageRenderer


def render_for_visitor(
    render: PageRenderer,
    settings: Settings,
    template: str,
    context: dict[str, object],
    *,
    status_code: int = 200,
) -> Response:
    """A page for someone who may have no session yet (sign-in, an invitation, a reset
    link): its form is protected by a token bound to a random pre-session cookie, or to
    the session when someone is signed in. The handler must resolve ``OptionalViewer``."""
    request = render.request
    if getattr(request.state, "user", None) is not None:
        # Signed in, the form is posted with the session, so it carries the session's
        # token (already chosen when the viewer was found): a link then works signed in too.
        return render(template, context, status_code=status_code)
    pre_session = request.cookies.get(csrf.PRE_SESSION_COOKIE) or csrf.new_pre_session_value()
    request.state.csrf_token = csrf.token_for(settings.secret_key, pre_session)
    response = render(template, context, status_code=status_code)
    if request.cookies.get(csrf.PRE_SESSION_COOKIE) != pre_session:
        set_pre_session_cookie(response, settings, pre_session)
    return response
