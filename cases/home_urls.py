"""The start page, un-namespaced ("home") because every page's header links to it."""

from django.urls import path

from .views import home

urlpatterns = [path("", home.home, name="home")]
