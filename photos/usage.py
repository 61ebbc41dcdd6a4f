"""Where library photos are used, as the apps that use them tell it.

The library knows no app of ours. An app that puts photos in front of readers
registers a photo user in its AppConfig.ready(); the library asks every user
where a photo appears (for the desk) and whether readers see it (which decides
who may still change it).
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Use:
    """One place a photo appears: what the desk calls it, its state, and where it is edited."""

    title: str
    state: str
    admin_url: str


class PhotoUser(Protocol):
    # Lookups for prefetch_related() that let uses() answer a list of photos
    # without a query per photo.
    prefetch: list[str]

    def uses(self, photo) -> list[Use]: ...

    def is_live(self, photo) -> bool:
        """Readers see the photo there, or will without anyone's word."""
        ...


_users: list[PhotoUser] = []


def register_photo_user(user: PhotoUser) -> None:
    if user not in _users:
        _users.append(user)


def prefetch_lookups() -> list[str]:
    return [lookup for user in _users for lookup in user.prefetch]


def uses_of(photo) -> list[Use]:
    return [use for user in _users for use in user.uses(photo)]


def is_live(photo) -> bool:
    return any(user.is_live(photo) for user in _users)
