import pytest

from articles.tests.factories import make_article, make_section


@pytest.fixture
def story():
    return make_article(section=make_section(slug="world"), headline="Ferry timetable cut")
