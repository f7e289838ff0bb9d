from django.urls import path

from orders.api import views

app_name = "orders-api"
urlpatterns = [
    path("orders", views.OrderIntakeView.as_view(), name="order-intake"),
    path("documents", views.DocumentUploadView.as_view(), name="document-upload"),
    path("documents/<int:pk>", views.DocumentStatusView.as_view(), name="document-status"),
    path("metrics/", views.FigureListView.as_view(), name="figures"),
    path("metrics/<slug:key>/", views.FigureView.as_view(), name="figure"),
]
