"""Where the site's static files are served from."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed files, each name's URL worked out once per process.

    The manifest is read when the storage is made, so a running process cannot see a
    name's URL change; every page asks for the same few, and each ``{% static %}`` had the
    name cleaned, split, looked up, quoted and joined again. A forced URL, which bypasses
    the manifest, is not kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
