"""One-click unsubscribe for the emails the site sends readers (RFC 8058).

Each kind of email a reader can stop is a *topic*, named by the app that
sends it in its AppConfig.ready() (`register`); the outbox knows none of
them. A topic is a name with an optional argument after a colon
("story:42"). The link carries the reader's id and the topic, signed with the
site's secret key: whoever holds it can stop that one kind of email for that
one reader, and nothing else, so it never expires (an unsubscribe link in a
year-old email must still work, and RFC 8058 asks for the link to work without
a login).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

SALT = "outbox.unsubscribe"


@dataclass(frozen=True)
class Topic:
    # Both take the reader's id and the topic's argument ("" when it has none).
    # `describe` says what stops ("replies to your comments"), or None when
    # the reader or what the argument names no longer exists.
    describe: Callable[[int, str], str | None]
    stop: Callable[[int, str], None]


_topics: dict[str, Topic] = {}


def register(name: str, *, describe: Callable, stop: Callable) -> None:
    """Let readers stop the emails of topic `name`. Call it from an AppConfig's ready()."""
    _topics[name] = Topic(describe=describe, stop=stop)


class BadLink(Exception):
    """The link was altered, cut short, or names something there is nothing to stop for."""


@dataclass(frozen=True)
class Unsubscription:
    """What one signed link stops."""

    user_id: int
    topic: Topic
    argument: str
    description: str

    def stop(self) -> None:
        self.topic.stop(self.user_id, self.argument)


def token_for(*, user_id: int, topic: str) -> str:
    return signing.Signer(salt=SALT).sign_object([user_id, topic], compress=True)


def read_token(token: str) -> Unsubscription:
    try:
        user_id, topic = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink("This unsubscribe link is damaged; nothing was changed.") from error
    name, _, argument = str(topic).partition(":")
    if name not in _topics or not isinstance(user_id, int):
        raise BadLink("This unsubscribe link is for an email we no longer send.")
    description = _topics[name].describe(user_id, argument)
    if description is None:
        raise BadLink(
            "This unsubscribe link is for an account or story that no longer exists, so "
            "there is nothing to stop."
        )
    return Unsubscription(
        user_id=user_id, topic=_topics[name], argument=argument, description=description
    )


def site_url(path: str) -> str:
    """`path` as a full address on the site's configured domain (emails have no request)."""
    return f"https://{Site.objects.get_current().domain}{path}"


def unsubscribe_url(*, user_id: int, topic: str) -> str:
    if topic.partition(":")[0] not in _topics:
        raise ValueError(f"No app registered the unsubscribe topic “{topic}”.")
    return site_url(reverse("outbox:unsubscribe", args=[token_for(user_id=user_id, topic=topic)]))


def stoppable_email(
    *, subject: str, body: str, html: str = "", from_email: str, to: str, unsubscribe: str
) -> EmailMultiAlternatives:
    """An email to one reader, with the headers by which mail programs offer their own
    unsubscribe button for `unsubscribe` (RFC 8058), and `html` as its alternative if given.
    """
    message = EmailMultiAlternatives(
        " ".join(subject.split()),  # a header cannot hold a line break
        body,
        from_email,
        [to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message
