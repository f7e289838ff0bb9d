from django.urls import path

from exceptions import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("case/<int:pk>/", views.case_detail, name="case"),
    path("case/<int:pk>/page/<int:page>.png", views.case_page_image, name="case_page"),
    path("case/<int:pk>/take", views.case_take_view, name="case_take"),
    path("case/<int:pk>/return", views.case_return_view, name="case_return"),
    path("case/<int:pk>/release", views.case_release_view, name="case_release"),
    path("case/<int:pk>/reject", views.case_reject_view, name="case_reject"),
    path("case/<int:pk>/correct", views.case_correct_view, name="case_correct"),
    path("case/<int:pk>/fix/<slug:kind>", views.case_fix_view, name="case_fix"),
]
