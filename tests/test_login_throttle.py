"""Issue 13, point 16: failed logins lock the account and the address
(django-axes); wrong API tokens lock the address (ThrottledTokenAuthentication)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # conftest's make_user


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"failed_token": "3/hour"}}
    cache.clear()
    yield
    cache.clear()  # the failed-token counts live in the cache, not the test's transaction


def login(client, username: str, password: str, address: str = "198.51.100.1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_a_right_password_logs_in(client, make_user):
    make_user("clerk")
    response = login(client, "clerk", PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_failed_logins_lock_the_account_even_from_other_addresses(client, make_user):
    make_user("clerk")
    answers = [login(client, "clerk", "wrong", f"198.51.100.{n + 10}").status_code
               for n in range(3)]
    assert answers == [200, 200, 429]  # the form again, then the lockout
    locked = login(client, "clerk", PASSWORD, "198.51.100.99")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_logins_lock_the_address_for_every_account(client, make_user):
    make_user("clerk")
    for name in ("a", "b", "c"):
        login(client, name, "wrong", "198.51.100.7")
    assert login(client, "clerk", PASSWORD, "198.51.100.7").status_code == 429
    assert login(client, "clerk", PASSWORD, "198.51.100.8").status_code == 302


def test_wrong_api_tokens_lock_the_address(make_user):
    token = Token.objects.create(user=make_user("erp"))
    url = reverse("orders-api:figures")
    guesser = APIClient(REMOTE_ADDR="203.0.113.5")
    for n in range(3):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token wrong{n}")
        assert guesser.get(url).status_code == 401
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert guesser.get(url).status_code == 429  # even the right token, until the period ends
    other = APIClient(REMOTE_ADDR="203.0.113.6")
    other.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert other.get(url).status_code == 403  # authenticated; lacks the figures permission
