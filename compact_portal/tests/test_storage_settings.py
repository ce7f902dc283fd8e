"""Where evidence files go, as the portal starts with the environment it is given: a folder with nothing set, a
bucket named by STORAGE_URL or by the AWS variables, and a clear refusal to start for anything malformed."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

VARIABLES = (
    "STORAGE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)
SCRIPT = "import json; from compact_portal import settings; print(json.dumps(settings.EVIDENCE_BUCKET))"
FORM = "STORAGE_URL must be s3://BUCKET?endpoint_url=https://HOST:PORT&region_name=REGION (both parameters optional)"
LOCAL = {"endpoint_url": "http://127.0.0.1:9000", "region_name": "eu-west-2"}
KEYS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCY"}


def start(**variables):
    """Import the settings in a new interpreter with only these storage variables set (the others empty, which
    is unset, whatever .env says): the finished process."""
    env = {**os.environ, **dict.fromkeys(VARIABLES, ""), **variables}
    return subprocess.run(  # noqa: S603 our own interpreter, running our own code
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=False,
        timeout=60,
    )


def evidence_bucket(**variables):
    started = start(**variables)
    assert started.returncode == 0, started.stderr
    return json.loads(started.stdout)


def refusal(**variables):
    """The error that stops start-up."""
    started = start(**variables)
    assert started.returncode != 0
    last = started.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: "), started.stderr
    return last.removeprefix("django.core.exceptions.ImproperlyConfigured: ")


def test_with_nothing_set_evidence_stays_in_the_folder():
    assert evidence_bucket() == {}


@pytest.mark.parametrize(
    "variables",
    [
        {"STORAGE_URL": "s3://evidence-bucket?endpoint_url=http://127.0.0.1:9000&region_name=eu-west-2"},
        {"STORAGE_URL": "s3://evidence-bucket/?region_name=eu-west-2&endpoint_url=http%3A%2F%2F127.0.0.1%3A9000"},
        {
            "AWS_STORAGE_BUCKET_NAME": "evidence-bucket",
            "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "AWS_S3_REGION_NAME": "eu-west-2",
        },
    ],
    ids=["url", "url encoded, parameters the other way round", "aws variables"],
)
def test_a_bucket_is_named_by_storage_url_or_by_the_aws_variables_alike(variables):
    assert evidence_bucket(**variables) == {
        "bucket_name": "evidence-bucket",
        **LOCAL,
        "access_key": None,
        "secret_key": None,
    }
    assert evidence_bucket(**variables, **KEYS) == {
        "bucket_name": "evidence-bucket",
        **LOCAL,
        "access_key": KEYS["AWS_ACCESS_KEY_ID"],
        "secret_key": KEYS["AWS_SECRET_ACCESS_KEY"],
    }


@pytest.mark.parametrize("variables", [{"STORAGE_URL": "s3://evidence"}, {"AWS_STORAGE_BUCKET_NAME": "evidence"}])
def test_the_bucket_alone_is_amazon_s3_in_the_default_region(variables):
    assert evidence_bucket(**variables) == {
        "bucket_name": "evidence",
        "endpoint_url": None,
        "region_name": None,
        "access_key": None,
        "secret_key": None,
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"STORAGE_URL": "https://evidence"}, f"{FORM}: it does not start s3://."),
        ({"STORAGE_URL": "evidence"}, f"{FORM}: it does not start s3://."),
        ({"STORAGE_URL": "s3://evidence/folder"}, f"{FORM}: it has more after the bucket's name."),
        ({"STORAGE_URL": "s3://evidence?region=eu-west-2"}, f"{FORM}: it has other parameters (region)."),
        ({"STORAGE_URL": "s3://evidence?region_name=a&region_name=b"}, f"{FORM}: a parameter is given twice."),
        ({"STORAGE_URL": "s3://evidence?endpoint_url="}, f"{FORM}: a parameter is empty (leave it out instead)."),
        (
            {"STORAGE_URL": "s3://evidence?endpoint_url=127.0.0.1:9000"},
            "STORAGE_URL: the endpoint_url must be an http:// or https:// address.",
        ),
        (
            {"STORAGE_URL": "s3://Evidence_Files"},
            "STORAGE_URL names the bucket 'Evidence_Files': a bucket's name is 3 to 63 lower-case letters, digits, "
            "dots and hyphens, starting and ending with a letter or digit.",
        ),
        (
            {"STORAGE_URL": "s3://evidence:9000"},
            "STORAGE_URL names the bucket 'evidence:9000': a bucket's name is 3 to 63 lower-case letters, digits, "
            "dots and hyphens, starting and ending with a letter or digit.",
        ),
        (
            {"STORAGE_URL": "s3://"},
            "STORAGE_URL names the bucket '': a bucket's name is 3 to 63 lower-case letters, digits, dots and "
            "hyphens, starting and ending with a letter or digit.",
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "evidence", "AWS_S3_ENDPOINT_URL": "ftp://127.0.0.1"},
            "AWS_STORAGE_BUCKET_NAME: the endpoint_url must be an http:// or https:// address.",
        ),
        (
            {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
            "AWS_S3_ENDPOINT_URL and AWS_S3_REGION_NAME need AWS_STORAGE_BUCKET_NAME too.",
        ),
        (
            {"STORAGE_URL": "s3://evidence", "AWS_STORAGE_BUCKET_NAME": "evidence"},
            "Name the evidence bucket in STORAGE_URL or in AWS_STORAGE_BUCKET_NAME (with AWS_S3_ENDPOINT_URL and "
            "AWS_S3_REGION_NAME), not both.",
        ),
        (
            {"STORAGE_URL": "s3://evidence", "AWS_S3_REGION_NAME": "eu-west-2"},
            "Name the evidence bucket in STORAGE_URL or in AWS_STORAGE_BUCKET_NAME (with AWS_S3_ENDPOINT_URL and "
            "AWS_S3_REGION_NAME), not both.",
        ),
        (
            {"STORAGE_URL": "s3://evidence", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"},
            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither.",
        ),
    ],
)
def test_anything_malformed_stops_start_up_saying_what(variables, message):
    assert refusal(**variables) == message


def test_keys_in_storage_url_are_refused_without_being_repeated():
    message = refusal(STORAGE_URL="s3://AKIDEXAMPLE:wJalrXUtnFEMI%2FK7MDENG@evidence")
    assert message == (
        f"{FORM}: it holds a user or password (the keys go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)."
    )
