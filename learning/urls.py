from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("code/", views.create_code, name="create_code"),
    path("code/delete/", views.delete_code, name="delete_code"),
    path("restore/", views.restore, name="restore"),
    path("restore/<str:code>/", views.restore, name="restore_code"),
    path("forget/", views.forget, name="forget"),
]
