from django.urls import path

from exceptions.api import views

app_name = "cases-api"
urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/<slug:action>", views.CaseActionView.as_view(), name="case-action"),
]
