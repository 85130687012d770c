"""Imports every area's models so ``Base.metadata`` is complete (migrations, tests, create_all).

One line per area; an area that adds ``models_<area>.py`` adds its import here.
"""
from houshi_desk.store import models  # noqa: F401
from houshi_desk.store.models import Base  # noqa: F401
from houshi_desk.store import models_users  # noqa: F401
from houshi_desk.store import models_sync  # noqa: F401
from houshi_desk.store import models_hall  # noqa: F401
