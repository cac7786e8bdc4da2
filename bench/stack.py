"""The production stack on loopback: what a deployment runs, with stand-ins only for the
outside services.

PostgreSQL (a fresh database) and Redis (three databases: pages and fragments, throttling,
the Celery broker) must already answer; this starts the rest:

- moto's S3 server (PyPI) with a bucket, for the uploads (django-storages);
- localstripe (``shop.payment.localstripe_server``, as ``make localstripe``) through
  ``STRIPE_API_BASE``, its webhook sent to us through the proxy;
- a small SMTP server that keeps every message in a folder (``Stack.mails()``);
- with ``portal.settings.production``: migrate, ``portal build``, ``demo``, collectstatic and
  ``check --deploy --fail-level WARNING``, then gunicorn (2 workers), a Celery worker and
  Celery beat;
- in front of gunicorn a TLS-terminating proxy, as a deployment's would be: HTTPS with a
  self-signed certificate for every portal's host name, ``X-Forwarded-Proto`` and
  ``X-Forwarded-For`` set for gunicorn (``PORTAL_TRUSTED_PROXIES`` = 1). The production
  settings stay as they are (HTTPS redirect, Secure cookies, HSTS).

The portals keep their real host names (www.sondriowelfare.it…): a browser reaches them with
``Stack.chromium_args()`` (Chromium's host resolver maps them to 127.0.0.1).

    python bench/stack.py up            # start, print the addresses, leave it running
    python bench/stack.py down          # stop what `up` started, drop its database
    python bench/stack.py run -- CMD    # up, CMD with the stack's environment, down

From Python (a soak test, say)::

    from bench.stack import Stack
    with Stack() as stack:
        stack.url("www.sondriowelfare.it")   # https://www.sondriowelfare.it:8300

Ports: ``--port`` (8300) is the proxy's, the next four are gunicorn, localstripe, S3 and SMTP.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
STATE = "stack.json"
S3_KEY = "stack-s3-key"  # moto accepts any credentials
S3_REGION = "us-east-1"


def _redis_database(url: str, offset: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{int(parts.path.strip('/') or 0) + offset}"))


def spec_hosts() -> list[str]:
    """Every host name of every spec in sites/: what production's ALLOWED_HOSTS lists."""
    hosts = []
    for path in sorted((ROOT / "sites").glob("*.toml")):
        with path.open("rb") as f:
            spec = tomllib.load(f)
        hosts += spec.get("portal", spec).get("hosts", [])
    return hosts


def wait_for_port(port: int, process: subprocess.Popen | None, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} does not answer on 127.0.0.1:{port} after {seconds:.0f} s")


@dataclass
class Stack:
    port: int = 8300
    # three Redis databases from this one on (pages and fragments, throttling, the broker)
    redis_url: str = field(
        default_factory=lambda: os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/3")
    )
    postgres_url: str = field(
        default_factory=lambda: os.environ.get(
            "STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"
        )
    )
    database: str = field(default_factory=lambda: os.environ.get("STACK_DATABASE", "stack_portal"))
    workdir: Path | None = None  # /tmp/portal-stack-<port>: logs, certificate, mail
    bucket: str = "portal-media"
    quiet: bool = False
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    migrated_from_template: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir = Path(self.workdir or f"/tmp/portal-stack-{self.port}")

    # the addresses -------------------------------------------------------------------------
    @property
    def gunicorn_port(self) -> int:
        return self.port + 1

    @property
    def localstripe_port(self) -> int:
        return self.port + 2

    @property
    def s3_port(self) -> int:
        return self.port + 3

    @property
    def smtp_port(self) -> int:
        return self.port + 4

    @property
    def s3_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def database_url(self) -> str:
        return f"{self.postgres_url}/{self.database}"

    @property
    def hosts(self) -> list[str]:
        return spec_hosts()

    @property
    def cert(self) -> Path:
        return self.workdir / "cert.pem"

    def url(self, host: str, path: str = "/") -> str:
        return f"https://{host}:{self.port}{path}"

    def chromium_args(self) -> list[str]:
        """Chromium reaches every portal's real host name on this machine."""
        rules = ", ".join(f"MAP {host} 127.0.0.1" for host in self.hosts)
        return [f"--host-resolver-rules={rules}"]

    @property
    def env(self) -> dict[str, str]:
        """What production requires (docs/running.md), pointed at the stand-ins."""
        secret_file = self.workdir / "secrets.json"
        if not secret_file.exists():
            self.workdir.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(
                json.dumps(
                    {"key": secrets.token_urlsafe(50), "webhook": "whsec_" + secrets.token_hex(16)}
                )
            )
        generated = json.loads(secret_file.read_text())
        # not what a deployment has, though a caller may (the browser tests set it for
        # Playwright): check --deploy rightly refuses it
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": generated["key"],
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            # the portals, and the hub host the admin and localstripe's webhook use
            "ALLOWED_HOSTS": ",".join([*self.hosts, "localhost"]),
            "DEFAULT_FROM_EMAIL": "Portali del welfare <noreply@example.org>",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "STRIPE_API_BASE": f"http://127.0.0.1:{self.localstripe_port}",
            "STRIPE_WEBHOOK_SECRET": generated["webhook"],
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.s3_url,
            "AWS_S3_REGION_NAME": S3_REGION,
            "AWS_ACCESS_KEY_ID": S3_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_KEY,
            "PYTHONUNBUFFERED": "1",
            "STACK_URL_PORT": str(self.port),
            "STACK_S3_URL": self.s3_url,
            "STACK_CERT": str(self.cert),
        }

    # starting and stopping -----------------------------------------------------------------
    def say(self, text: str) -> None:
        if not self.quiet:
            print(f"stack: {text}", flush=True)

    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        """A process of the stack in its own session (so that stopping it stops its children,
        gunicorn's and Celery's workers), its output in <workdir>/<name>.log."""
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        self._save()
        return process

    def manage(self, *args: str) -> None:
        started = time.monotonic()
        log = self.workdir / "manage.log"
        with log.open("ab") as out:
            done = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.timings[" ".join(args[:2])] = time.monotonic() - started
        if done.returncode:
            tail = log.read_text(errors="replace").splitlines()[-40:]
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n" + "\n".join(tail))

    def up(self) -> Stack:
        started = time.monotonic()
        if (self.workdir / STATE).exists():
            self.say(f"a stack is recorded in {self.workdir}: taking it down first")
            Stack.from_state(self.workdir).down()
        self.workdir.mkdir(parents=True, exist_ok=True)
        for old in [
            *self.workdir.glob("*.log"),
            *self.workdir.glob("beat-schedule*"),
            *self.workdir.glob("mail/*"),
        ]:
            old.unlink()
        (self.workdir / "mail").mkdir(exist_ok=True)
        self._save()
        self._certificate()
        self._fresh_redis()
        self._fresh_database()
        self.say(f"PostgreSQL database {self.database}, Redis {self.redis_url} (+1, +2)")

        s3 = self.start(
            "s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)]
        )
        smtp = self.start(
            "smtp",
            [
                sys.executable,
                __file__,
                "--port",
                str(self.smtp_port),
                "smtp",
                "--dir",
                str(self.workdir / "mail"),
            ],
        )
        webhook = f"https://localhost:{self.port}/shop/payment/stripe/webhook/"
        stripe = self.start(
            "localstripe",
            [
                sys.executable,
                "-m",
                "shop.payment.localstripe_server",
                "--port",
                str(self.localstripe_port),
                "--webhook",
                webhook,
                "--secret",
                self.env["STRIPE_WEBHOOK_SECRET"],
            ],
            SSL_CERT_FILE=str(self.cert),  # it posts the webhook to our proxy's HTTPS
        )
        wait_for_port(self.s3_port, s3, "moto's S3 server")
        self._bucket()
        wait_for_port(self.smtp_port, smtp, "the SMTP server")
        wait_for_port(self.localstripe_port, stripe, "localstripe")
        self.say(
            f"S3 (moto) {self.s3_url}, localstripe :{self.localstripe_port}, SMTP :{self.smtp_port}"
        )

        # collectstatic reads no database: beside the rest
        collect_started = time.monotonic()
        collect = self.start("collectstatic", [sys.executable, "manage.py", "collectstatic",
                                               "--no-input", "-v0"])  # fmt: skip
        if self.migrated_from_template:
            self.say(f"schema copied from {self.template} (the same migrations, already run)")
        else:
            self.manage("migrate", "--no-input", "-v0")
            self._keep_template()
        self.manage("portal", "build")
        self.manage("demo")
        if collect.wait():
            raise RuntimeError(f"collectstatic failed (exit {collect.returncode})")
        self.processes.pop("collectstatic")
        self._save()
        self.timings["collectstatic (beside)"] = time.monotonic() - collect_started
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        self.say("schema, portals, demo content, collectstatic: ready; check --deploy clean")

        gunicorn = self.start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.gunicorn_port}",
                "--access-logfile",
                "-",
            ],
        )
        worker = self.start(
            "celery-worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--hostname",
                f"stack-{self.port}@%h",
            ],
        )
        self.start(
            "celery-beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.workdir / "beat-schedule"),
            ],
        )
        proxy = self.start(
            "proxy",
            [
                sys.executable,
                __file__,
                "--port",
                str(self.port),
                "proxy",
                "--upstream",
                str(self.gunicorn_port),
                "--cert",
                str(self.cert),
                "--key",
                str(self.workdir / "key.pem"),
            ],
        )
        wait_for_port(self.gunicorn_port, gunicorn, "gunicorn")
        wait_for_port(self.port, proxy, "the TLS proxy")
        self._wait_for_worker(worker)
        self.timings["up"] = time.monotonic() - started
        self.say(", ".join(f"{step} {seconds:.0f} s" for step, seconds in self.timings.items()))
        self.say(
            f"up in {self.timings['up']:.0f} s: {self.url(self.hosts[0])} "
            f"(gunicorn :{self.gunicorn_port}, Celery worker and beat; logs in "
            f"{self.workdir})"
        )
        return self

    def down(self) -> None:
        """Stop every process of the stack, drop its database, empty its Redis databases."""
        for name, process in reversed(list(self.processes.items())):
            self._stop(name, process)
        self.processes.clear()
        try:
            self._drop_database()
            self._fresh_redis()
        except Exception as error:  # the services may be gone: nothing left to clean
            self.say(f"clean-up: {error}")
        (self.workdir / STATE).unlink(missing_ok=True)
        self.say("down")

    def _stop(self, name: str, process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        except AttributeError:  # a process recorded by `up` in another command: no handle
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and _alive(process.pid):
                time.sleep(0.2)
            if _alive(process.pid):
                os.killpg(process.pid, signal.SIGKILL)

    def __enter__(self) -> Stack:
        try:
            return self.up()
        except BaseException:
            self.print_logs()
            self.down()
            raise

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            self.print_logs()
        self.down()

    def print_logs(self, lines: int = 30) -> None:
        for log in sorted(self.workdir.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- {log} (last {len(tail)} lines)\n" + "\n".join(tail), file=sys.stderr)

    # what a test reads -----------------------------------------------------------------
    def mails(self) -> list[email.message.EmailMessage]:
        """Every message the portals sent so far, oldest first."""
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted((self.workdir / "mail").glob("*.eml"))
        ]

    def sql(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def s3_keys(self) -> list[str]:
        return [
            item["Key"]
            for item in self._s3().list_objects_v2(Bucket=self.bucket).get("Contents", [])
        ]

    # the parts -------------------------------------------------------------------------
    def _save(self) -> None:
        state = {
            "port": self.port,
            "redis_url": self.redis_url,
            "postgres_url": self.postgres_url,
            "database": self.database,
            "bucket": self.bucket,
            "pids": {name: p.pid for name, p in self.processes.items()},
        }
        (self.workdir / STATE).write_text(json.dumps(state))

    @classmethod
    def from_state(cls, workdir: Path) -> Stack:
        state = json.loads((workdir / STATE).read_text())
        pids = state.pop("pids")
        stack = cls(workdir=workdir, **state)
        stack.processes = {name: _Recorded(pid) for name, pid in pids.items()}
        return stack

    def _certificate(self) -> None:
        """A self-signed certificate for every portal's host name (and the hub's)."""
        names = [f"DNS:{h}" for h in [*self.hosts, "localhost"]] + ["IP:127.0.0.1"]
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=portal-stack",
                "-addext",
                "subjectAltName=" + ",".join(names),
                "-keyout",
                str(self.workdir / "key.pem"),
                "-out",
                str(self.cert),
            ],
            check=True,
            capture_output=True,
        )

    def _redis_urls(self) -> list[str]:
        return [_redis_database(self.redis_url, offset) for offset in range(3)]

    def _fresh_redis(self) -> None:
        import redis

        for url in self._redis_urls():
            redis.Redis.from_url(url).flushdb()

    def _admin_sql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.postgres_url}/postgres", autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    @property
    def template(self) -> str:
        """The migrated, empty database these migrations make, named by their content and the
        locked packages' (whose migrations come with them): a copy of it is what ``migrate``
        would make, in a second instead of minutes."""
        digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
        for path in sorted(ROOT.glob("*/**/migrations/*.py")):
            if ".venv" not in path.parts and "node_modules" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
        return f"{self.database}_migrated_{digest.hexdigest()[:12]}"

    def _fresh_database(self) -> None:
        if not self.database.replace("_", "").isalnum():
            raise ValueError(f"not a plain database name: {self.database!r}")
        self._drop_database()
        exists = self._admin_sql_one("SELECT 1 FROM pg_database WHERE datname = %s", self.template)
        self.migrated_from_template = bool(exists) and os.environ.get("STACK_MIGRATE") != "1"
        if self.migrated_from_template:
            self._admin_sql(f'CREATE DATABASE "{self.database}" TEMPLATE "{self.template}"')
        else:
            self._admin_sql(f'CREATE DATABASE "{self.database}"')

    def _keep_template(self) -> None:
        """The freshly migrated database, kept as the template of the next stacks (older
        templates of this stack's name are dropped)."""
        for (name,) in self._admin_sql_rows(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            self.database.replace("_", r"\_") + r"\_migrated\_%",
        ):
            self._admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._admin_sql(f'CREATE DATABASE "{self.template}" TEMPLATE "{self.database}"')

    def _admin_sql_rows(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(f"{self.postgres_url}/postgres", autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def _admin_sql_one(self, query: str, *params):
        rows = self._admin_sql_rows(query, *params)
        return rows[0] if rows else None

    def _drop_database(self) -> None:
        self._admin_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def _s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name=S3_REGION,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_KEY,
        )

    def _bucket(self) -> None:
        self._s3().create_bucket(Bucket=self.bucket)

    def _wait_for_worker(self, worker: subprocess.Popen, seconds: float = 60) -> None:
        log = self.workdir / "celery-worker.log"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError("the Celery worker stopped at start")
            if log.exists() and " ready." in log.read_text(errors="replace"):
                return
            time.sleep(0.3)
        raise RuntimeError("the Celery worker is not ready after {seconds:.0f} s")


class _Recorded:
    """A process started by an earlier `up`: known by its id only."""

    def __init__(self, pid: int):
        self.pid = pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# The TLS proxy ----------------------------------------------------------------------------
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "proxy-authorization",
    "proxy-authenticate",
    "content-length",
}


def proxy(port: int, upstream: int, cert: str, key: str) -> None:
    """HTTPS on ``port`` to plain HTTP on ``upstream``, as a deployment's proxy does: the
    request as it came (host, path, body, cookies), plus X-Forwarded-Proto and -For."""
    from aiohttp import ClientSession, ClientTimeout, web

    async def forward(request: web.Request) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-Proto"] = "https"
        headers["X-Forwarded-For"] = request.remote or "127.0.0.1"
        async with request.app["session"].request(
            request.method,
            f"http://127.0.0.1:{upstream}{request.rel_url}",
            headers=headers,
            data=await request.read(),
            allow_redirects=False,
            auto_decompress=False,
        ) as answer:
            body = await answer.read()
            out = web.Response(status=answer.status, body=body)
            for name, value in answer.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    out.headers.add(name, value)
            return out

    async def session(app: web.Application):
        app["session"] = ClientSession(timeout=ClientTimeout(total=120), auto_decompress=False)
        yield
        await app["session"].close()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.cleanup_ctx.append(session)
    app.router.add_route("*", "/{tail:.*}", forward)
    web.run_app(app, host="127.0.0.1", port=port, ssl_context=context, print=None)


# The SMTP server --------------------------------------------------------------------------
def smtp(port: int, folder: Path) -> None:
    """Enough SMTP for Django's backend: every message is written to ``folder`` as .eml."""

    async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 portal-stack")
        while line := await reader.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                reply("250-portal-stack")
                reply("250 8BITMIME")
            elif verb == "DATA":
                reply("354 end with <CR><LF>.<CR><LF>")
                await writer.drain()
                lines = []
                while (data := await reader.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                name = f"{time.time_ns()}.eml"
                (folder / (name + ".part")).write_bytes(b"".join(lines))
                (folder / (name + ".part")).rename(folder / name)
                reply("250 kept")
            elif verb == "QUIT":
                reply("221 bye")
                await writer.drain()
                break
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                reply("250 ok")
            await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(session, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    folder.mkdir(parents=True, exist_ok=True)
    asyncio.run(main())


# The command ------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", 8300)))
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--redis", default=os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/3")
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--database", default=os.environ.get("STACK_DATABASE", "stack_portal"))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the stack and leave it running")
    sub.add_parser("down", help="stop the stack `up` started")
    run = sub.add_parser("run", help="up, run a command with the stack's environment, down")
    run.add_argument("cmd", nargs=argparse.REMAINDER)
    internal = sub.add_parser("proxy")
    internal.add_argument("--upstream", type=int, required=True)
    internal.add_argument("--cert", required=True)
    internal.add_argument("--key", required=True)
    internal = sub.add_parser("smtp")
    internal.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()

    if args.command == "proxy":
        proxy(args.port, args.upstream, args.cert, args.key)
        return 0
    if args.command == "smtp":
        smtp(args.port, args.dir)
        return 0
    workdir = args.workdir or Path(f"/tmp/portal-stack-{args.port}")
    if args.command == "down":
        if not (workdir / STATE).exists():
            print(f"stack: nothing recorded in {workdir}")
            return 0
        Stack.from_state(workdir).down()
        return 0
    stack = Stack(args.port, args.redis, args.postgres, args.database, workdir)
    if args.command == "up":
        try:
            stack.up()
        except BaseException:
            stack.print_logs()
            stack.down()
            raise
        print(f"stack: `python bench/stack.py --port {args.port} down` stops it")
        return 0
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        parser.error("run needs a command: run -- CMD")
    started = time.monotonic()
    with stack:
        returncode = subprocess.run(command, env=stack.env).returncode
    print(
        f"stack: {' '.join(command)} exited {returncode}; "
        f"{time.monotonic() - started:.0f} s from nothing to torn down"
    )
    return returncode


if __name__ == "__main__":
    sys.exit(main())
