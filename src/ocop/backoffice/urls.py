from django.urls import path

from ocop.backoffice.views import dashboard, documents, imports, producers, products

app_name = "backoffice"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("producers/", producers.producer_list, name="producer_list"),
    path("producers/export.xlsx", producers.producer_export, name="producer_export"),
    path("producers/new/", producers.producer_create, name="producer_create"),
    path("producers/<int:pk>/", producers.producer_detail, name="producer_detail"),
    path("producers/<int:pk>/edit/", producers.producer_edit, name="producer_edit"),
    path("producers/<int:pk>/delete/", producers.producer_delete, name="producer_delete"),
    path("producers/<int:pk>/documents/new/", producers.document_create, name="document_create"),
    path("products/", products.product_list, name="product_list"),
    path("products/export.xlsx", products.product_export, name="product_export"),
    path("products/new/", products.product_create, name="product_create"),
    path("products/similar/", products.product_similar, name="product_similar"),
    path("products/<int:pk>/", products.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", products.product_edit, name="product_edit"),
    path("products/<int:pk>/delete/", products.product_delete, name="product_delete"),
    path("products/<int:pk>/packs/", products.pack_add, name="pack_add"),
    path("products/<int:pk>/packs/<int:pack_pk>/delete/", products.pack_remove, name="pack_remove"),
    path("products/<int:pk>/photos/", products.photo_add, name="photo_add"),
    path("products/<int:pk>/photos/<int:photo_pk>/", products.photo_file, name="photo_file"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    path("imports/<str:kind>/", imports.import_start, name="import_start"),
    path("imports/<str:kind>/template.xlsx", imports.import_template, name="import_template"),
    path("imports/job/<int:pk>/", imports.import_job, name="import_job"),
    path("imports/job/<int:pk>/commit/", imports.import_commit, name="import_commit"),
]
