"""Kept, empty, for databases that applied it: accounts.roles defines the staff roles now.

accounts/migrations/0001_staff_roles.py grants them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial_workflow"),
        ("photos", "0002_photo_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = []
