"""Static files: hashed, compressed names served by whitenoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # portal.js imports govuk-frontend as a module: rewrite that import to the
    # hashed file name too.
    support_js_module_import_aggregation = True
