"""Reading Askwell's own route table, and telling an allowed answer from a refusal."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx2 import Response

READING_METHODS = frozenset({"GET", "HEAD"})


def served_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) the app answers, HEAD aside (it is GET without a body)."""
    served = set()
    for route in iter_route_contexts(app.routes):
        for method in route.methods or ():
            if method != "HEAD":
                served.add((method, route.path))
    return sorted(served, key=lambda item: (item[1], item[0]))


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def sends_to_sign_in(response: Response) -> bool:
    """The redirect a signed-out person gets, which brings them back after signing in
    (signing out also lands on the sign-in page, but as an answer, not a refusal)."""
    return response.is_redirect and response.headers["location"].startswith("/sign-in?next=")


def is_refusal(response: Response, identity: str, path: str) -> bool:
    """Signed out: 401 from the API, the sign-in page for a page. Signed in: 403, or 404
    where even the object's existence is not theirs to know."""
    if identity == "anonymous":
        return response.status_code == 401 if is_api(path) else sends_to_sign_in(response)
    return response.status_code in (403, 404)


def is_allowed(response: Response) -> bool:
    """Through the door: any answer but a refusal or a failure (a 4xx about the input or
    the object's state is fine)."""
    return (
        response.status_code < 500
        and response.status_code not in (401, 403, 404)
        and not sends_to_sign_in(response)
    )
