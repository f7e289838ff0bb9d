"""The four roles of OrderDesk and what each may do to master data.

Applied by data migrations (and re-applied by later ones when new models
arrive), so a fresh installation and an upgraded one end with the same
groups. Permissions are additive: anything not listed is denied.
"""

CUSTOMER_SERVICE = "Customer service"
FINANCE = "Finance"
COMPLIANCE = "Compliance"
ORDER_DESK_MANAGER = "Order desk manager"
#: The groups that work the exception inbox (a superuser may too).
DESK_ROLES = frozenset({CUSTOMER_SERVICE, FINANCE, COMPLIANCE, ORDER_DESK_MANAGER})

MASTER_DATA_MODELS = [
    "customer",
    "customeremaildomain",
    "customeralias",
    "contact",
    "salesrep",
    "shipto",
    "product",
    "productunit",
    "productrestriction",
    "customerpart",
    "price",
    "inventory",
    "credit",
    "orderhistoryline",
    "deniedparty",
    "unitalias",
]
WRITE_ACTIONS = ("add", "change", "delete")


def _codenames(models: list[str], actions: tuple[str, ...]) -> set[str]:
    return {f"{action}_{model}" for model in models for action in actions}


INTAKE_MODELS = ["inbounddocument", "order", "orderline"]
RULE_MODELS = ["autonomysetting", "rule", "rulechange", "rulesetversion", "decision",
               "autonomysuggestion"]
#: Rule owners propose changes to their own rules (rules.services checks which).
PROPOSE_RULES = {"add_rulechange", "change_rulechange"}
OUTBOX_MODELS = ["outboxmessage"]
READ_ALL = _codenames(MASTER_DATA_MODELS + INTAKE_MODELS + RULE_MODELS + OUTBOX_MODELS, ("view",))

ROLE_PERMISSIONS: dict[str, set[str]] = {
    CUSTOMER_SERVICE: READ_ALL | PROPOSE_RULES,
    FINANCE: READ_ALL | PROPOSE_RULES | _codenames(["price", "credit"], WRITE_ACTIONS),
    COMPLIANCE: READ_ALL | PROPOSE_RULES
    | _codenames(["deniedparty", "productrestriction"], WRITE_ACTIONS),
    ORDER_DESK_MANAGER: READ_ALL
    | _codenames(MASTER_DATA_MODELS, WRITE_ACTIONS)
    | _codenames(["importjob"], ("add", "view"))
    | _codenames(["confirmationtemplate"], ("add", "change", "view"))
    # Only a person can tell whether an "unknown" ERP message arrived.
    | {"reconcile_outboxmessage"}
    | _codenames(["inbounddocument"], ("add",))
    | _codenames(["autonomysetting"], ("add", "change")),
}


def sync_roles(apps, app_label: str = "orders") -> None:
    """Create the groups and set their permissions on ``app_label``'s models.

    Runs inside migrations, where permissions for models created in the same
    migrate run do not exist yet, so they are created first.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)

    _assign(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), app_label)


def roles_ensure() -> None:
    """The groups with their permissions, from the running app registry: for a
    database whose migrated rows were flushed (transactional tests), where the
    migrations that create them will not run again."""
    from django.contrib.auth.models import Group, Permission

    for app_label in ("orders", "rules", "integrations"):
        _assign(Group, Permission, app_label)


def _assign(Group, Permission, app_label: str) -> None:
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        others = group.permissions.exclude(content_type__app_label=app_label)
        group.permissions.set([*others, *perms])
