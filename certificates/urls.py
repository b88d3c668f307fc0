"""Under each language prefix: /<lang>/certificates/…"""

from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.verify, name="verify"),
    path("<str:code>/certificate.pdf", views.pdf, name="pdf"),
    path("<str:code>/credential.jwt", views.credential_jwt, name="credential_jwt"),
    path("<str:code>/credential.json", views.credential_json, name="credential_json"),
    path("<str:code>/revoke/", views.revoke, name="revoke"),
]
