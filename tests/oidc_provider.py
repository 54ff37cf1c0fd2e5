"""A test OpenID Connect provider: what a team's identity provider does for `st.login`, on loopback.

    with OidcProvider() as idp:        # idp.url -> "http://127.0.0.1:PORT"
        idp.user = "ann@example.com"   # who signs in next (the provider's own sign-in page, skipped)

Discovery, an authorization endpoint that approves at once as `user`, a token endpoint that returns
an RS256-signed ID token (joserfc, Authlib's JOSE library) carrying the request's nonce, and the key
set to check it with: enough for Authlib, which Streamlit's sign-in uses, to run the real
authorization-code flow, PKCE included.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "handrail-test", "handrail-test-secret"


class OidcProvider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test"})
        self.user = "ann@example.com"
        self.grants: dict[str, dict[str, Any]] = {}  # code -> what was asked with it
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> OidcProvider:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(16)
        self.grants[code] = query | {"user": self.user}
        return query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})

    def token(self, form: dict[str, str]) -> dict[str, Any] | None:
        grant = self.grants.pop(form.get("code", ""), None)
        if grant is None:
            return None
        if "code_challenge" in grant:  # PKCE: the verifier must be the challenge's
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                return None
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": grant["user"].split("@")[0],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 600,
            "email": grant["user"],
            "name": grant["user"].split("@")[0].title(),
        }
        if "nonce" in grant:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": "test"}, claims, self.key)
        return {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 600,
            "id_token": id_token,
        }

    def handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def reply(self, status: int, body: Any = None, location: str | None = None) -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self.reply(200, provider.metadata())
                elif url.path == "/jwks":
                    self.reply(200, {"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    self.reply(302, location=provider.authorize(query))
                else:
                    self.reply(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                token = provider.token(form) if urlparse(self.path).path == "/token" else None
                self.reply(200, token) if token else self.reply(400, {"error": "invalid_grant"})

            def log_message(self, *_: Any) -> None:
                pass

        return Handler

    def secrets(self, app_url: str) -> str:
        """The app's `.streamlit/secrets.toml` for signing in with this provider."""
        return (
            "[auth]\n"
            f'redirect_uri = "{app_url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(16)}"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{self.url}/.well-known/openid-configuration"\n'
        )
