from django.urls import path

from gongkai.disclosure import staff_catalogue_views as catalogue
from gongkai.disclosure import staff_conference_views as press
from gongkai.disclosure import staff_import_views as imports
from gongkai.disclosure import staff_views as views

app_name = "disclosure_staff"
urlpatterns = [
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/import/", imports.import_upload, name="import_upload"),
    path("items/import/<str:digest>/", imports.import_preview, name="import_preview"),
    path("items/import/<str:digest>/confirm/", imports.import_confirm, name="import_confirm"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/attachments/<int:attachment_id>/", views.attachment_download, name="item_attachment"),
    path("items/<int:item_id>/submit/", views.item_submit, name="item_submit"),
    path("items/<int:item_id>/approve/", views.item_approve, name="item_approve"),
    path("items/<int:item_id>/return/", views.item_return, name="item_return"),
    path("items/<int:item_id>/mask/", views.item_mask, name="item_mask"),
    path("items/<int:item_id>/clear-pii/", views.item_clear_pii, name="item_clear_pii"),
    path("items/<int:item_id>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("items/<int:item_id>/reopen/", views.item_reopen, name="item_reopen"),
    path("items/<int:item_id>/validity/", views.item_validity, name="item_validity"),
    path("press-conferences/", press.conference_list, name="conferences"),
    path("press-conferences/new/", press.conference_new, name="conference_new"),
    path("press-conferences/<int:conference_id>/edit/", press.conference_edit, name="conference_edit"),
    path("press-conferences/<int:conference_id>/delete/", press.conference_delete, name="conference_delete"),
    path("timeliness/", views.timeliness_dashboard, name="timeliness"),
    path("catalogue/", catalogue.catalogue_editor, name="catalogue"),
    path("catalogue/<int:node_id>/", catalogue.catalogue_node_edit, name="catalogue_node"),
    path("catalogue/<int:node_id>/delete/", catalogue.catalogue_node_delete, name="catalogue_node_delete"),
    path("guide/", catalogue.guide_editor, name="guide"),
]
