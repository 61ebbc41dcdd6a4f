app_name = "readers"

urlpatterns = []
