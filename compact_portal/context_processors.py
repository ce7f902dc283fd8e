NAV_SECTIONS = {
    "compacts:home": "compacts",
    "compacts:detail": "compacts",
    "commitments:explorer": "explorer",
    "commitments:detail": "explorer",
    "commitments:compare": "compare",
    "compacts:glossary": "glossary",
    "compacts:term": "glossary",
    "disputes:list": "complaints",
    "disputes:new": "complaints",
    "disputes:detail": "complaints",
    "disputes:edit": "complaints",
    "disputes:act": "complaints",
}


def navigation(request):
    """Which item of the service navigation the current page belongs to."""
    match = getattr(request, "resolver_match", None)
    return {"nav_section": NAV_SECTIONS.get(match.view_name) if match else None}
