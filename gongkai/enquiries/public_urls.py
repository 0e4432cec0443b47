from django.urls import path

from gongkai.enquiries import feeds
from gongkai.enquiries import public_views as views

app_name = "enquiries_public"
urlpatterns = [
    path("enquiries/", views.column, name="column"),
    path("enquiries/ask/", views.ask_any, name="ask_any"),
    path("enquiries/feed.atom", feeds.AnswersFeed(), name="feed_all"),
    path("enquiries/track/", views.track, name="track"),
    path("enquiries/track/<str:code>/", views.status, name="status"),
    path("agencies/<str:code>/enquiries/", views.agency_list, name="agency"),
    path("agencies/<str:code>/enquiries/ask/", views.ask, name="ask"),
    path("agencies/<str:code>/enquiries/faq/", views.faq, name="faq"),
    path("agencies/<str:code>/enquiries/statistics/", views.stats, name="stats"),
    path("agencies/<str:code>/enquiries/feed.atom", feeds.AnswersFeed(), name="feed"),
    path("agencies/<str:code>/enquiries/<int:pk>/", views.detail, name="detail"),
]
