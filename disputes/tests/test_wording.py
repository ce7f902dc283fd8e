"""The portal's own words: labels set mid-sentence keep their proper nouns."""


def test_a_label_set_mid_sentence_keeps_its_proper_nouns():
    from django.template import Context, Template

    from disputes.models import Handler

    text = Template("Handled by {{ handler|lowerfirst }}.").render(Context({"handler": Handler.CHAMPIONS.label}))
    assert text == "Handled by the Compact Champions of the organisations in dispute."
