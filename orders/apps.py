from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders and master data"

    def ready(self):
        from django.db.models.signals import post_migrate

        from orders.selectors import system_user_forget

        # Migrating or flushing a database may remove the system user a
        # process has read.
        post_migrate.connect(system_user_forget, dispatch_uid="orders.system_user_forget")
