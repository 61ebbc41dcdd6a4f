import pytest


@pytest.fixture
def desk(client, django_user_model):
    """A client logged in to the desk as a superuser."""
    client.force_login(django_user_model.objects.create_superuser("desk", "d@example.org", "pw"))
    return client
