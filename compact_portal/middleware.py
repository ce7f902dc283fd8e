"""Middleware of the portal's own."""

from compacts.text import showable


def showable_input(get_response):
    """Take the characters no page can show (compacts.text) out of every query string and form field, and the
    names of uploaded files, before any view or form sees them: nothing the portal keeps or sends back has them."""

    def middleware(request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
            for upload in request.FILES.values():
                upload.name = showable(upload.name)
        return get_response(request)

    return middleware


def _cleaned(query):
    if not any(showable(key) != key or any(showable(v) != v for v in values) for key, values in query.lists()):
        return query
    cleaned = query.copy()
    cleaned.clear()
    for key, values in query.lists():
        cleaned.setlist(showable(key), [showable(value) for value in values])
    cleaned._mutable = False
    return cleaned
