"""Reader accounts: sign-up with a display name, verification, limits, and the reader's pages."""

import importlib
import unicodedata

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.models import CommentModeration, ReaderProfile

from .factories import add_comment, make_moderator, make_reader

pytestmark = pytest.mark.django_db


def sign_up(client, email="new@example.org", display_name="New Reader", password="tide-tables-77"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": display_name,
            "password1": password,
            "password2": password,
        },
    )


def test_sign_up_creates_an_unverified_reader_with_a_display_name(client):
    assert sign_up(client).status_code == 302
    user = get_user_model().objects.get(email="new@example.org")
    assert user.reader.display_name == "New Reader"
    assert not EmailAddress.objects.get(user=user).verified


INVISIBLE = "invisible or direction-changing characters"
LOOKALIKE = "looks like the name of another reader"


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("", "This field is required."),
        ("x", "at least 2 characters"),
        ("me@example.org", "cannot contain"),
        ("Moderator", "reserved"),
        ("taken name", "That display name is taken"),
        ("\u0395ditor", "looks like, “editor”"),  # Greek capital Epsilon
        ("EDITOR", "reserved"),
        ("\uff25\uff44\uff49\uff54\uff4f\uff52", "reserved"),  # fullwidth
        ("M\u043ederat\u043er", "looks like, “moderator”"),  # Cyrillic o
        ("Adm1n", "reserved"),
        ("The Newsr\u043eom", "looks like, “The Newsroom”"),  # the site's name
        ("Edi\u00adtor", INVISIBLE),  # soft hyphen
        ("\u202erotaredoM", INVISIBLE),  # right-to-left override: shows "Moderator"
        ("Mei\u200bLin", INVISIBLE),  # zero-width space
        ("Ana\u200fMaria", INVISIBLE),  # right-to-left mark
        ("\u3164\u3164", INVISIBLE),  # Hangul fillers, drawn as nothing
        ("Bell\x07", INVISIBLE),
        ("T\u0430ken N\u0430me", LOOKALIKE),  # Cyrillic a
        ("TAKEN NAME", "That display name is taken"),
        ("Taken Narne", LOOKALIKE),  # rn for m
        ("Z\u0351\u0352\u0353\u0354\u0355algo", "stack more than 3 accents"),
    ],
)
def test_display_name_rules(client, display_name, message):
    make_reader(display_name="Taken Name")
    response = sign_up(client, display_name=display_name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize(
    "display_name",
    [
        "Zoë Ångström",
        "Nguyễn Văn Anh",
        "Nguye\u0302\u0303n Va\u0306n Anh",  # decomposed: two marks on one letter
        "สมศักดิ์ ทองดี",  # Thai: a vowel and a tone mark on one consonant
        "مريم الحداد",  # Arabic, right to left
        "Mei 🌊",
        "❤\ufe0f Ana",  # an emoji with its variation selector
        "Editor Jane",  # a staff title inside a name is not the title
    ],
)
def test_real_names_in_any_script_are_accepted(client, display_name):
    assert sign_up(client, display_name=display_name).status_code == 302
    user = get_user_model().objects.get(email="new@example.org")
    assert user.reader.display_name == unicodedata.normalize("NFKC", display_name)


def test_names_are_stored_in_nfkc_form(client):
    sign_up(client, display_name="\u210carbour \ufb01sher  \u2460")
    reader = get_user_model().objects.get(email="new@example.org").reader
    assert reader.display_name == "Harbour fisher 1"


def test_the_display_name_page_refuses_a_look_alike_and_keeps_the_old_name(client):
    make_reader(display_name="Harbour Watcher")
    user = make_reader(display_name="Quiet Reader")
    client.force_login(user)
    response = client.post(
        reverse("commenting:display-name"), {"display_name": "H\u0430rbour W\u0430tcher"}
    )
    assert response.status_code == 200
    assert LOOKALIKE in response.content.decode()
    user.reader.refresh_from_db()
    assert user.reader.display_name == "Quiet Reader"


def test_the_database_refuses_two_names_that_look_alike():
    """Two sign-ups at the same moment both pass the form; the unique skeleton stops one."""
    make_reader(display_name="Harbour Watcher")
    other = get_user_model().objects.create_user("racer", "racer@example.org", "pw")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReaderProfile.objects.create(user=other, display_name="Harbour W\u0430tcher")


def test_names_that_looked_alike_before_the_rule_keep_working(client):
    """The migration gives the earliest of look-alike names the skeleton; the others stay
    empty, and those readers can still be moderated."""
    first = make_reader(display_name="Reader One")
    second = make_reader(display_name="Quiet Reader")
    # As it was before names were compared: the second reader took a look-alike name.
    ReaderProfile.objects.filter(pk=second.reader.pk).update(
        display_name="Reader 0ne", name_skeleton=None
    )
    ReaderProfile.objects.update(name_skeleton=None)
    backfill = importlib.import_module("discussion.migrations.0005_display_name_skeletons")
    backfill.derive_skeletons(django_apps, None)
    skeletons = dict(ReaderProfile.objects.values_list("user_id", "name_skeleton"))
    assert skeletons[first.pk] == "reader one" and skeletons[second.pk] is None
    comment = add_comment(make_article(), second, "Impersonating?")
    desk = Client()
    desk.force_login(make_moderator())
    desk.post(reverse("admin:discussion_ban", args=[comment.pk]))
    assert ReaderProfile.objects.get(user=second).status == ReaderProfile.Status.BANNED


def test_a_name_from_before_the_rules_does_not_stop_its_reader_being_banned():
    troll = make_reader()
    ReaderProfile.objects.filter(user=troll).update(display_name="\u202erotaredoM  ")
    comments = [add_comment(make_article(), troll, "Provocation") for _ in range(2)]
    desk = Client()
    desk.force_login(make_moderator())
    desk.post(reverse("admin:discussion_ban", args=[comments[0].pk]))
    troll.reader.refresh_from_db()
    assert troll.reader.status == ReaderProfile.Status.BANNED
    assert troll.reader.display_name == "\u202erotaredoM  "


def test_login_is_refused_until_the_email_is_confirmed(client):
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "tide-tables-77"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_repeated_failed_logins_are_rate_limited(client):
    make_reader(email="target@example.org")
    pages = [
        client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": "target@example.org", "password": "a-long-passphrase"}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_my_comments_lists_each_status_with_its_reason(client):
    user = make_reader()
    story = make_article(headline="Library lends tools")
    held = add_comment(story, user, "Held one")
    published = add_comment(story, user, "Published one")
    removed = add_comment(story, user, "Removed one")
    CommentModeration.objects.filter(comment=published).update(state="published", reason="ok")
    CommentModeration.objects.filter(comment=removed).update(state="removed", reason="Off topic.")
    add_comment(story, make_reader(), "Someone else's")
    client.force_login(user)
    html = client.get(reverse("commenting:my-comments")).content.decode()
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert "Awaiting moderation" in html and held.moderation.reason in html
    assert "Removed" in html and "Off topic." in html
    assert "Published one" in html
    assert "Library lends tools" in html


def test_my_comments_name_only_stories_the_reader_can_still_open(client):
    user = make_reader()
    story = make_article(headline="Library lends tools")
    add_comment(story, user, "On a story since taken down")
    story.status = story.Status.UNPUBLISHED
    story.headline = "A rewritten headline, not out yet"
    story.save()
    client.force_login(user)
    html = client.get(reverse("commenting:my-comments")).content.decode()
    assert "On a story since taken down" in html
    assert "rewritten headline" not in html and story.get_absolute_url() not in html
    assert "a story no longer online" in html


def test_my_comments_needs_login():
    response = Client().get(reverse("commenting:my-comments"))
    assert response.status_code == 302


def test_account_without_a_display_name_is_asked_for_one(client):
    user = get_user_model().objects.create_user("staffer", "staffer@example.org", "pw")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    story = make_article()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Choose a display name" in page
    response = client.post(
        reverse("commenting:display-name") + f"?next={story.get_absolute_url()}",
        {"display_name": "Desk Editor"},
    )
    assert response["Location"] == story.get_absolute_url()
    assert ReaderProfile.objects.get(user=user).display_name == "Desk Editor"
    assert 'id="comment-form"' in client.get(story.get_absolute_url()).content.decode()


def test_display_name_page_refuses_offsite_next(client):
    client.force_login(make_reader())
    response = client.post(
        reverse("commenting:display-name") + "?next=https://evil.example/",
        {"display_name": "Renamed"},
    )
    assert response["Location"] == reverse("commenting:my-comments")


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email",
        "account_change_password",
        "account_logout",
        "commenting:display-name",
    ],
)
def test_account_pages_render_in_the_site_layout(client, name):
    client.force_login(make_reader())
    if name in ("account_login", "account_signup", "account_reset_password"):
        client.logout()
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="masthead"' in html
    assert '<form class="form"' in html


def test_display_names_are_isolated_wherever_shown(client):
    """A right-to-left name cannot reorder the date or the words around it."""
    name = "مريم الحداد"
    author = make_reader(display_name=name, status="trusted")
    story = make_article()
    comment = add_comment(story, author, "Published at once.")
    isolated = f"<bdi>{name}</bdi>"

    client.force_login(author)
    assert isolated in client.get(reverse("commenting:my-comments")).content.decode()
    other = Client()
    other.force_login(make_reader(status="trusted"))
    story_page = other.get(story.get_absolute_url()).content.decode()
    assert f'<bdi class="comment__author">{name}</bdi>' in story_page
    reply_form = other.get(f"{story.get_absolute_url()}?reply_to={comment.pk}").content.decode()
    assert f'<a href="#c{comment.pk}">{isolated}</a>' in reply_form
    report_page = other.get(reverse("commenting:report", args=[comment.pk])).content.decode()
    assert isolated in report_page

    desk = Client()
    desk.force_login(make_moderator())
    queue = reverse("admin:django_comments_xtd_xtdcomment_changelist")
    assert isolated in desk.get(queue).content.decode()
    assert (
        isolated in desk.get(reverse("admin:discussion_readerprofile_changelist")).content.decode()
    )
    response = desk.post(reverse("admin:discussion_ban", args=[comment.pk]), follow=True)
    assert f"Banned: {isolated}." in response.content.decode()
