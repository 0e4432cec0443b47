from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from gongkai.portal import disclosure_views, participation_views, report_views, search_views, views
from gongkai.portal.participation_feeds import ConferencesFeed, ResponsesFeed
from gongkai.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search_page, name="search"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("agencies/", views.agency_index, name="agency_index"),
    path("hudong/", participation_views.column, name="participation"),
    path("hudong/responses.atom", ResponsesFeed(), name="responses_feed_all"),
    path("hudong/press-conferences.atom", ConferencesFeed(), name="conferences_feed_all"),
    path("reports/", report_views.column, name="reports"),
    path("agencies/<str:code>/reports/<int:pk>/", report_views.report_page, name="report"),
    path("agencies/<str:code>/reports/<int:pk>/v<int:number>.<str:fmt>", report_views.report_file, name="report_file"),
    path("agencies/<str:code>/", views.agency_detail, name="agency_detail"),
    path("agencies/<str:code>/hudong/", participation_views.agency_column, name="agency_participation"),
    path("agencies/<str:code>/hudong/responses.atom", ResponsesFeed(), name="responses_feed"),
    path("agencies/<str:code>/guide/", disclosure_views.guide_page, name="guide"),
    path("agencies/<str:code>/feed.atom", disclosure_views.AgencyFeed(), name="agency_feed"),
    path("agencies/<str:code>/catalogue/<slug:node_code>/", disclosure_views.catalogue_page, name="catalogue"),
    path("agencies/<str:code>/catalogue/<slug:node_code>/feed.atom", disclosure_views.AgencyFeed(), name="catalogue_feed"),
    path("agencies/<str:code>/items/<int:item_id>/", disclosure_views.item_page, name="item"),
    path("agencies/<str:code>/press-conferences/", disclosure_views.conference_list, name="conferences"),
    path("agencies/<str:code>/press-conferences/feed.atom", ConferencesFeed(), name="conferences_feed"),
    path("agencies/<str:code>/press-conferences/<int:conference_id>/", disclosure_views.conference_page, name="conference"),
    path("agencies/<str:code>/items/<int:item_id>/attachments/<int:attachment_id>/", disclosure_views.attachment_download,
         name="attachment"),
]
