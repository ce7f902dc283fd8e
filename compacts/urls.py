from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import views

app_name = "compacts"

urlpatterns = [
    # The list of Compacts is the home page; a trimmed address finds it there.
    path("compacts/", RedirectView.as_view(url=reverse_lazy("documents:home"), permanent=True), name="list"),
    path("compacts/<slug:slug>/sign-up/", views.sign_up, name="sign_up"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:compact>/<slug:slug>/", views.term, name="term"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("account/", views.account, name="account"),
    path("account/registered/", views.registered, name="registered"),
    path("account/confirm-email/", views.resend_confirmation, name="resend_confirmation"),
    path("account/confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("account/sign-ups/<int:pk>/withdraw/", views.withdraw_sign_up, name="withdraw_sign_up"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:slug>/", views.manage_compact, name="manage_compact"),
    path("manage/<slug:slug>/changes/", views.manage_changes, name="manage_changes"),
    path("manage/<slug:slug>/sign-ups/<int:pk>/", views.decide_sign_up, name="decide_sign_up"),
    path("manage/<slug:slug>/memberships/<int:pk>/", views.decide_membership, name="decide_membership"),
    path("manage/<slug:slug>/champions/<int:organisation>/", views.champion, name="champion"),
    path("manage/<slug:slug>/answers/<int:organisation>/", views.answerer, name="answerer"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
