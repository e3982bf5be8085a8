from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import set_language

from ocop.api.urls import urls as api_urls
from ocop.public import catalogue, gs1, opendata, outlets, verify
from ocop.public import views as public_views

urlpatterns = [
    path("", public_views.home, name="home"),
    path("healthz", public_views.healthz, name="healthz"),
    path("favicon.ico", public_views.favicon, name="favicon"),
    path("v/<str:code>", verify.verify, name="verify"),
    path("v/<str:code>/report", verify.report_problem, name="report_problem"),
    path("kiem-tra/", verify.offline_check, name="offline_check"),
    # A pack's GS1 Digital Link; key qualifiers after the GTIN (/10/<lot>, /21/<serial>) are accepted and ignored.
    re_path(r"^01/(?P<gtin>[^/]+)(?:/(?P<qualifiers>.*))?$", gs1.resolve, name="gs1_resolve"),
    path("kiem-tra/sw.js", verify.service_worker, name="offline_check_worker"),
    path(".well-known/jwks.json", verify.jwks, name="jwks"),
    path("san-pham/", catalogue.catalogue, name="catalogue"),
    path("san-pham/<id:pk>/", catalogue.product_page, name="catalogue_product"),
    path("san-pham/<id:pk>/anh/<id:photo_pk>", catalogue.product_photo, name="catalogue_photo"),
    path("diem-ban/", outlets.outlet_map, name="outlet_map"),
    path("diem-ban/<str:code>/", outlets.outlet_page, name="outlet_page"),
    path("diem-ban/<str:code>/anh/<id:photo_pk>", outlets.outlet_photo, name="outlet_photo"),
    path("open-data/", opendata.index, name="open_data"),
    path("open-data/dcat.json", opendata.dcat, name="open_data_dcat"),
    path("open-data/checkpoints.json", opendata.download, {"name": "checkpoints.json"}, name="open_data_checkpoints"),
    path("open-data/<str:name>", opendata.download, name="open_data_file"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("bo/", include("ocop.backoffice.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
]

handler400 = "ocop.public.errors.bad_request"
handler403 = "ocop.public.errors.forbidden"
handler404 = "ocop.public.errors.not_found"
handler500 = "ocop.public.errors.server_error"
