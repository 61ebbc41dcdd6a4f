"""Kept, empty, for databases that applied it: accounts.roles defines the staff roles now.

accounts/migrations/0001_staff_roles.py grants them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_author_portrait_help"),
        ("photos", "0003_live_photo_permission_and_history"),
    ]

    operations = []
