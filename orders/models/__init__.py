from orders.models.confirmation import ConfirmationTemplate
from orders.models.imports import ImportJob
from orders.models.intake import InboundDocument
from orders.models.masterdata import (
    Contact,
    Credit,
    Customer,
    CustomerAlias,
    CustomerEmailDomain,
    CustomerPart,
    DeniedParty,
    Inventory,
    OrderHistoryLine,
    Price,
    Product,
    ProductRestriction,
    ProductStatus,
    ProductUnit,
    SalesRep,
    ShipTo,
    Status,
)
from orders.models.order import Order, OrderLine

__all__ = [
    "ConfirmationTemplate",
    "Contact",
    "Credit",
    "Customer",
    "CustomerAlias",
    "CustomerEmailDomain",
    "CustomerPart",
    "DeniedParty",
    "ImportJob",
    "InboundDocument",
    "Inventory",
    "Order",
    "OrderHistoryLine",
    "OrderLine",
    "Price",
    "Product",
    "ProductRestriction",
    "ProductStatus",
    "ProductUnit",
    "SalesRep",
    "ShipTo",
    "Status",
]
