import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "group"),
    [("editor", "Editors"), ("reporter", "Reporters"), ("moderator", "Moderators")],
)
def test_create_staff_makes_a_desk_account_and_prints_the_password_once(capsys, role, group):
    call_command("create_staff", "Desk@Example.org", role=role, generate_password=True)
    out = capsys.readouterr().out
    user = get_user_model().objects.get(email="desk@example.org")
    password = out.split("Password (shown once, pass it on safely): ")[1].strip()
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.check_password(password) and len(password) >= 16
    assert EmailAddress.objects.get(user=user).verified


def test_create_staff_refuses_a_duplicate_and_a_bad_address():
    call_command("create_staff", "ed@example.org", role="editor", generate_password=True)
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_staff", "ED@example.org", role="editor", generate_password=True)
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("create_staff", "not-an-address", role="editor", generate_password=True)
    assert get_user_model().objects.count() == 1
