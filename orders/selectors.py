"""Reads of master data worth a name."""

from django.conf import settings
from django.contrib.auth import get_user_model


def system_user():
    """The user that history names for changes no person made.

    Created by a data migration; get_or_create keeps tests and fresh
    databases that skipped migrations working.
    """
    user, _ = get_user_model().objects.get_or_create(
        username=settings.ORDERDESK_SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "OrderDesk", "last_name": "system"},
    )
    return user
