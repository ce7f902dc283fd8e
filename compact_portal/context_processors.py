from compacts.permissions import is_administrator

NAV_SECTIONS = {
    "documents:home": "compacts",
    "documents:detail": "compacts",
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
    "compacts:manage": "manage",
    "compacts:manage_compact": "manage",
    "compacts:manage_changes": "manage",
    "compacts:decide_sign_up": "manage",
    "compacts:decide_membership": "manage",
    "compacts:champion": "manage",
    "commitments:manage_work_plan": "manage",
    "commitments:work_plan_add": "manage",
    "commitments:work_plan_action": "manage",
    "documents:review": "manage",
    "documents:import_compact": "manage",
    "documents:review_item": "manage",
    "documents:review_preview": "manage",
    "documents:review_publish": "manage",
    "documents:review_published": "manage",
    "compacts:account": "account",
}


def navigation(request):
    """Which item of the service navigation the current page belongs to, and whether to offer the manage area."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        "nav_section": NAV_SECTIONS.get(match.view_name) if match else None,
        # Lazily: public pages (cached for visitors) never ask.
        "manages": (lambda: is_administrator(user)) if user is not None and user.is_authenticated else False,
    }
