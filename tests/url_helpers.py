"""The URL configuration, walked: every named URL with its pattern."""

from django.urls import URLPattern, URLResolver


def walk(patterns, namespace="", parameters=0):
    """(full name, pattern, how many parameters the whole URL takes) for every named URL."""
    for pattern in patterns:
        count = parameters + pattern.pattern.regex.groups
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, count)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern, count
