"""The default cache: Django's file-based cache, shared by every process of one site.

Django's FileBasedCache lists its whole folder on every ``set`` to decide whether to
cull, so storing a page costs time in proportion to the pages stored: 20 ms a set with
only 1,000 entries on the loaded 2-core development machine, and a warm-up of 4,000
pages took minutes. This one checks on one set in CULL_EVERY, which keeps the size
within MAX_ENTRIES plus a few hundred.
"""

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 200


class SharedFileCache(FileBasedCache):
    def _cull(self):
        if random.randrange(CULL_EVERY) == 0:
            super()._cull()
