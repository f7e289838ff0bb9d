from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from rules.views import autonomy_page

admin.site.site_header = "OrderDesk"
admin.site.site_title = "OrderDesk"
admin.site.index_title = "Order desk administration"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("orders.api.urls")),
    path("boundary/autonomy/", autonomy_page, name="autonomy"),
]
