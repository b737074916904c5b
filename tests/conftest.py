import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    user = UserFactory(username="an-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def reporter(db):
    user = UserFactory(username="a-reporter", is_staff=True)
    user.groups.add(Group.objects.get(name="Reporter"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="an-admin", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached by the one before."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def feed_server(settings):
    """A local feed server, and the setting that lets the wire desk read from it."""
    from tests.factories import FeedServer

    settings.ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES = True
    server = FeedServer()
    yield server
    server.close()
