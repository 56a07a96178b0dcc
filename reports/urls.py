"""Report and dashboard pages."""

app_name = "reports"

urlpatterns = []
