"""A mail backend for bench/newsletter_send.py: each message is serialised as a mail server
would receive it (the cost a real send pays), its unsubscribe headers checked, and one line
written per message (recipient, List-Unsubscribe, whether the body carries that link and
the one-click header, size) to the file PORTAL_BENCH_MAIL_LOG names. Nothing is kept in
memory, so 100,000 messages cost the worker no more than 100."""

import os

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.path = os.environ["PORTAL_BENCH_MAIL_LOG"]
        self.stream = None

    def open(self) -> bool:
        if self.stream is not None:
            return False
        self.stream = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close)
        return True

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def send_messages(self, messages) -> int:
        opened = self.open()
        try:
            for message in messages:
                data = message.message().as_bytes()
                unsubscribe = message.extra_headers.get("List-Unsubscribe", "").strip("<>")
                one_click = (
                    message.extra_headers.get("List-Unsubscribe-Post")
                    == "List-Unsubscribe=One-Click"
                )
                in_body = bool(unsubscribe) and unsubscribe in message.body
                in_html = any(unsubscribe in body for body, _ in message.alternatives)
                self.stream.write(
                    f"{message.to[0]}\t{unsubscribe}\t{int(one_click)}\t"
                    f"{int(in_body and in_html)}\t{len(data)}\n"
                )
        finally:
            if opened:
                self.close()
        return len(messages)
