"""A real OpenID Connect provider on loopback (oidc-provider-mock), and what a person does
at it: the provider's own form, where they are signed in as a given subject or refuse."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import httpx
from authlib.deprecate import AuthlibDeprecationWarning

# The provider is written against Authlib's older modules, which warn when imported.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    import oidc_provider_mock


@contextmanager
def running_provider() -> Iterator[str]:
    """Start the provider on a free loopback port; its issuer address is yielded."""
    logging.getLogger("oidc_provider_mock").setLevel(logging.ERROR)
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def register_person(provider: str, subject: str, **claims: object) -> None:
    """Tell the provider who `subject` is (the claims its ID tokens will carry)."""
    answer = httpx.put(f"{provider}/users/{quote(subject, safe='')}", json=claims)
    assert answer.status_code == 204


def disable_at_provider(provider: str, subject: str) -> None:
    """What disabling an account at the provider does to tokens already given out: they
    are revoked, so its userinfo endpoint refuses them."""
    answer = httpx.post(f"{provider}/users/{quote(subject, safe='')}/revoke-tokens")
    assert answer.status_code == 204


def with_parameter(address: str, name: str, value: str) -> str:
    parts = urlsplit(address)
    query = dict(parse_qsl(parts.query))
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def answer_at_provider(authorize_address: str, subject: str | None) -> str:
    """Submit the provider's sign-in form: as `subject`, or refuse (None). Returns where
    the provider sends the browser back to."""
    form = {"sub": subject} if subject else {"action": "deny"}
    answer = httpx.post(authorize_address, data=form)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]
