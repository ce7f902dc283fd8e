"""The browser checks themselves: each must fail on a page that is wrong."""

import pytest

from conftest import assert_accessible, assert_valid_html

pytestmark = pytest.mark.browser


def test_axe_check_fails_on_an_inaccessible_page(page):
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><h1>Hi</h1></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_html_check_fails_on_invalid_html(tmp_path):
    with pytest.raises(AssertionError, match="HTML errors"):
        assert_valid_html("<!DOCTYPE html><html lang=en><title>t</title><p><div></p>", tmp_path / "bad.html")


def test_html_check_passes_valid_html(tmp_path):
    assert_valid_html("<!DOCTYPE html><html lang=en><title>t</title><p>Fine</p></html>", tmp_path / "good.html")
