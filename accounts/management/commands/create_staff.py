import getpass
import secrets
import sys

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts.roles import GROUP_OF_ROLE


class Command(BaseCommand):
    help = (
        "Create a staff account for the desk: an editor, a reporter or a moderator. "
        "Asks for a password, or generates one and prints it once."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=sorted(GROUP_OF_ROLE))
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Do not ask; generate a password and print it (the default without a terminal).",
        )

    def handle(self, *args, email, role, generate_password, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"“{email}” is not an email address.") from error
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account with {email} exists already.")
        user = User(username=email.lower(), email=email.lower(), is_staff=True)
        password, generated = self.password_for(user, generate_password)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=GROUP_OF_ROLE[role]))
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        self.stdout.write(self.style.SUCCESS(f"Created {role} {user.email}; log in at /admin/."))
        if generated:
            self.stdout.write(f"Password (shown once, pass it on safely): {password}")

    def password_for(self, user, generate):
        if generate or not sys.stdin.isatty():
            return secrets.token_urlsafe(15), True
        password = getpass.getpass("Password (empty to generate one): ")
        if not password:
            return secrets.token_urlsafe(15), True
        if password != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ; nothing was created.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password, False
