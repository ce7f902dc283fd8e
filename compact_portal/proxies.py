"""The address a request really came from, behind the proxies the portal is told to trust."""

from django.conf import settings


def client_ip(request):
    """The client's address: with TRUSTED_PROXY_COUNT proxies in front, each appending the address it saw to
    X-Forwarded-For, it is the one the outermost of them appended (that many places from the right). Entries
    further left are whatever the client sent and are never believed. With no proxies, the socket's address."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
