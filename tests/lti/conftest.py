"""A real LTI 1.3 platform for the tests: lti1p3platform, an independent implementation of
the LMS side, signs launches with its own keys and publishes them over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as LtiPlatformRequest
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService

from app.core.db import session_scope
from app.lti import service as lti
from app.lti.schemas import PlatformIn

ISSUER = "https://lms.example.org"
CLIENT_ID = "askwell-client"
DEPLOYMENT_ID = "deployment-1"
TOOL = "https://testserver"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def new_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class KeyServer:
    """The platform's own web server: its JWKS, its token endpoint and its gradebook's
    score service, over HTTP on a port of its own."""

    def __init__(self) -> None:
        self.jwks: dict[str, Any] = {"keys": []}
        self.requests = 0
        self.token_requests = 0
        self.platform: Platform | None = None
        self.gradebook: list[dict[str, Any]] = []
        self.down = False
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                served.requests += 1
                self._answer(200, served.jwks)

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if served.down:
                    self._answer(503, {"error": "maintenance"})
                    return
                if self.path == "/token":
                    served.token_requests += 1
                    form = dict(parse_qsl(body.decode()))
                    assert served.platform is not None
                    conf = served.platform.conf()
                    self._answer(200, conf.get_access_token(form))
                    return
                if self.path.startswith("/lineitems/") and self.path.endswith("/scores"):
                    assert served.platform is not None
                    line_item = self.path.split("/")[2]
                    request = PlatformRequest(
                        {
                            "method": "POST",
                            "form_data": {},
                            "get_data": {},
                            "headers": dict(self.headers),
                            "content_type": self.headers.get("Content-Type"),
                            "path": self.path,
                            "json": json.loads(body or b"{}"),
                        }
                    )
                    gradebook = Gradebook(
                        request,
                        served.platform.conf(),
                        f"{served.base}/lineitems",
                        f"{served.base}/lineitems/{line_item}/lineitem",
                    )
                    gradebook.scores = served.gradebook
                    answer = gradebook.handle_update_score(line_item)
                    self._answer(answer.code, {"message": answer.message})
                    return
                self._answer(404, {})

            def _answer(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.base}/jwks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class PlatformRequest(LtiPlatformRequest):
    def build_metadata(self, request: Any) -> Any:
        return request


class Gradebook(AssignmentsGradesService):
    """The platform's gradebook: every score it accepted, in order."""

    scores: list[dict[str, Any]]

    def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
        self.scores.append({"line_item": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *_args: Any, **_kwargs: Any) -> Any:
        raise NotImplementedError

    def find_lineitem(self, line_item_id: str) -> Any:
        raise NotImplementedError(line_item_id)

    def create_lineitem(self, creation_data: Any) -> Any:
        raise NotImplementedError(creation_data)

    def update_lineitem(self, update_data: Any) -> Any:
        raise NotImplementedError(update_data)

    def delete_lineitem(self, line_item_id: str) -> None:
        raise NotImplementedError(line_item_id)

    def get_results(self, line_item_id: str, *_args: Any, **_kwargs: Any) -> Any:
        raise NotImplementedError(line_item_id)


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self.cache: dict[str, int] = {}
        self._registration = (
            Registration()
            .set_iss(kwargs.get("issuer", ISSUER))
            .set_client_id(kwargs.get("client_id", CLIENT_ID))
            .set_deployment_id(kwargs.get("deployment_id", DEPLOYMENT_ID))
            .set_launch_url(f"{TOOL}/lti/launch")
            .set_oidc_login_url(f"{TOOL}/lti/login")
            .set_deeplink_launch_url(f"{TOOL}/lti/launch")
            .set_platform_public_key(public_of(kwargs["private_key"]))
            .set_platform_private_key(kwargs["private_key"])
        )
        if kwargs.get("tool_jwks"):
            self._registration.set_tool_key_set(kwargs["tool_jwks"])

    def cache_get(self, key: str) -> int | None:
        return self.cache.get(key)

    def cache_set(self, key: str, exp: int) -> None:
        self.cache[key] = exp

    def get_registration_by_params(self, **_kwargs: Any) -> Registration:
        return self._registration


class PlatformLogin(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs.get("hint", "resource-link-1")

    def get_redirect(self, url: str) -> str:
        return url


class PlatformLaunch(LTIAdvantageMessageLaunchAbstract):
    """The platform's answer to Askwell's authorisation request: a signed launch."""

    def __init__(self, preflight: dict[str, str], platform: PlatformConf) -> None:
        super().__init__(None, platform)  # type: ignore[arg-type]
        self._preflight = preflight

    def get_preflight_response(self) -> dict[str, Any]:
        return self._preflight

    def render_launch_form(self, launch_data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        return launch_data


@dataclass
class Person:
    user_id: str
    roles: list[str]
    name: str = "Lee Learner"
    email: str | None = "lee@university.example.ac.uk"


@dataclass
class Platform:
    """A learning platform with a course that links to Askwell."""

    keys: KeyServer
    private_key: str
    conf_overrides: dict[str, str] = field(default_factory=dict)
    expiration: int = 300
    tool_jwks: dict[str, Any] = field(default_factory=dict)
    grades: bool = True

    def conf(self) -> PlatformConf:
        return PlatformConf(
            private_key=self.private_key, tool_jwks=self.tool_jwks, **self.conf_overrides
        )

    def rotate(self) -> None:
        """A new signing key: published beside the old one, as platforms do."""
        self.private_key = new_private_key()
        self.keys.jwks = {
            "keys": [*self.keys.jwks["keys"], Registration.get_jwk(public_of(self.private_key))]
        }

    def publish(self) -> None:
        self.keys.jwks = {"keys": [Registration.get_jwk(public_of(self.private_key))]}

    def login_url(self, person: Person) -> str:
        login = PlatformLogin(None, self.conf())
        login.set_lti_message_hint()
        return login.initiate_login(person.user_id)

    def authorise(
        self,
        redirect: str,
        person: Person,
        module: str | None = "asking-basics",
        deep_link: bool = False,
    ) -> dict[str, str]:
        """What the platform's authorisation endpoint does with Askwell's redirect."""
        preflight = dict(parse_qsl(urlsplit(redirect).query))
        launch = PlatformLaunch(preflight, self.conf())
        launch.set_id_token_expiration(self.expiration)
        launch.set_user_data(person.user_id, person.roles, person.name, person.email)
        launch.set_resource_link_claim("resource-link-1", title="Asking about online lives")
        launch.set_launch_context_claim("course-1", context_title="Safeguarding 101")
        if module:
            launch.set_custom_parameters_claim({"module": module})
        if self.grades:
            launch.set_ags(
                f"{self.keys.base}/lineitems",
                f"{self.keys.base}/lineitems/7/lineitem",
                allow_creating_lineitems=False,
            )
        if deep_link:
            launch.set_dl(f"{ISSUER}/course/1/deep-link-return", title="Week 3")
        form = launch.lti_launch()
        return {"id_token": form["id_token"], "state": form["state"]}


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.close()


@pytest.fixture
def platform(app, key_server) -> Platform:
    """The platform, registered in Askwell as an admin would, with Askwell's first key."""
    lms = Platform(keys=key_server, private_key=new_private_key())
    lms.publish()
    key_server.platform = lms
    with session_scope(app.state.engine) as session:
        lti.register_platform(
            session,
            PlatformIn(
                name="University Moodle",
                issuer=ISSUER,
                client_id=CLIENT_ID,
                auth_login_url=f"{ISSUER}/auth",
                auth_token_url=f"{key_server.base}/token",
                key_set_url=key_server.url,
                deployment_ids=[DEPLOYMENT_ID],
            ),
        )
        lti.rotate_key(session)
        # The platform knows Askwell's keys, as its admin gave it the JWKS address.
        lms.tool_jwks = lti.jwks(session)
    return lms


@pytest.fixture
def browser(app) -> Iterator[TestClient]:
    """The learner's browser, on Askwell over HTTPS (LTI cookies are Secure)."""
    with TestClient(app, base_url=TOOL) as client:
        yield client


def launch(browser: TestClient, platform: Platform, person: Person, **kwargs: Any):
    """The whole dance: login initiation, the platform's authorisation, the signed POST."""
    login = browser.get(platform.login_url(person).removeprefix(TOOL), follow_redirects=False)
    assert login.status_code == 302, login.text
    form = platform.authorise(login.headers["location"], person, **kwargs)
    return browser.post("/lti/launch", data=form, follow_redirects=False), form
