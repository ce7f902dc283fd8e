"""Middleware of the portal's own."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from compacts.text import is_id, showable


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


def admin_selection(get_response):
    """The Django admin's list actions run on the ids ticked (`_selected_action`): every model the admin lists has
    whole-number ids, and Django's own actions fail (a 500) on a forged one that is not, so only numbers are kept."""

    def middleware(request):
        if request.method == "POST" and request.path.startswith("/admin/"):
            chosen = request.POST.getlist(ACTION_CHECKBOX_NAME)
            numbers = [value for value in chosen if is_id(value)]
            if numbers != chosen:
                request.POST = request.POST.copy()
                request.POST.setlist(ACTION_CHECKBOX_NAME, numbers)
                request.POST._mutable = False
        return get_response(request)

    return middleware
