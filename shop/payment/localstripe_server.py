"""Run localstripe (the fake Stripe server from PyPI) on loopback only.

localstripe's own command binds every interface (``::``) and keeps its state in
``/tmp/localstripe.pickle``, shared by every instance on the machine. This launcher serves the
same aiohttp app on 127.0.0.1, keeps the state in the file it is given (or nowhere), and
registers our webhook endpoint with it::

    python -m shop.payment.localstripe_server --port 8420 \\
        --webhook http://127.0.0.1:8000/shop/payment/stripe/webhook/ --secret whsec_localstripe
"""

import argparse
import logging
import pickle
import socket
from pathlib import Path


def serve(
    host: str = "127.0.0.1",
    port: int = 8420,
    state: Path | None = None,
    webhook: str | None = None,
    secret: str | None = None,
    sock: socket.socket | None = None,
) -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app
    from localstripe.webhooks import register_webhook

    store_class = type(resources.store)

    def load(self):
        if state and state.exists():
            with state.open("rb") as f:
                self.clear()
                self.update(pickle.load(f))

    def dump(self):
        if state:
            with state.open("wb") as f:
                pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)

    store_class.try_load_from_disk = load
    store_class.dump_to_disk = dump
    resources.store.try_load_from_disk()
    if webhook:
        register_webhook("portal", webhook, secret, None)

    if sock is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    logging.basicConfig(level=logging.INFO, format="localstripe: %(message)s")
    web.run_app(app, sock=sock, print=None, access_log=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--state", type=Path, help="file that keeps the fake Stripe's data")
    parser.add_argument("--webhook", help="URL our webhook endpoint answers on")
    parser.add_argument("--secret", help="the webhook endpoint's signing secret")
    args = parser.parse_args()
    serve(args.host, args.port, args.state, args.webhook, args.secret)


if __name__ == "__main__":
    main()
