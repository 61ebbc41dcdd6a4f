import pytest

from articles.tests.factories import make_article, make_section


@pytest.fixture
def story():
    return make_article(section=make_section(slug="world"), headline="Ferry timetable cut")


@pytest.fixture(autouse=True)
def _provisional_for_a_minute(settings):
    """A first copy holds for longer than a slow machine takes between two requests."""
    settings.PAGE_CACHE_PROVISIONAL_SECONDS = 60
