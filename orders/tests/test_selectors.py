"""Reads of master data worth a name."""

from io import StringIO

import pytest
from django.core.management import call_command

from orders.selectors import system_user


@pytest.fixture(autouse=True)
def _forgotten():
    from orders.selectors import system_user_forget

    system_user_forget()
    yield
    system_user_forget()


@pytest.mark.django_db(transaction=True)
def test_the_system_user_is_read_once_per_process(django_assert_num_queries):
    first = system_user()
    with django_assert_num_queries(0):
        assert system_user() is first


@pytest.mark.django_db(transaction=True)
def test_a_flush_forgets_the_system_user_it_removed(django_assert_num_queries):
    first = system_user()
    call_command("flush", interactive=False, stdout=StringIO())  # post_migrate follows
    again = system_user()
    assert again.pk != first.pk and again.username == first.username


@pytest.mark.django_db
def test_a_read_inside_a_transaction_is_not_kept(django_assert_num_queries):
    # The test runs inside a transaction: what it reads may be rolled back.
    system_user()
    with django_assert_num_queries(1):
        system_user()
