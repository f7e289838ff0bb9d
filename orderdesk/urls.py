from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from orders.views import dashboard_page, figure_csv
from rules.views import autonomy_page, backtest_page, owner_page, suggestion_decide

admin.site.site_header = "OrderDesk"
admin.site.site_title = "OrderDesk"
admin.site.index_title = "Order desk administration"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inbox", permanent=False)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", include("exceptions.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("orders.api.urls")),
    path("api/v1/", include("exceptions.api.urls")),
    path("boundary/autonomy/", autonomy_page, name="autonomy"),
    path("boundary/autonomy/suggestions/<int:pk>/", suggestion_decide, name="suggestion_decide"),
    path("boundary/rules/", owner_page, name="rule_owners"),
    path("boundary/backtest/", backtest_page, name="backtest"),
    path("dashboard/", dashboard_page, name="dashboard"),
    path("dashboard/<slug:key>.csv", figure_csv, name="figure_csv"),
]
