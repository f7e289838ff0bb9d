from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rules.models import AutonomySetting


@admin.register(AutonomySetting)
class AutonomySettingAdmin(SimpleHistoryAdmin):
    list_display = ["segment", "level", "updated_at"]
    list_filter = ["level", "channel"]
    search_fields = ["customer_number", "customer_group", "product_family"]
    show_full_result_count = False

    @admin.display(description="Segment")
    def segment(self, obj):
        return obj.segment_label()
