"""The generator: a validated spec becomes a live portal, in numbered re-runnable steps.

Each territory is built in one transaction; a build of a spec that is already built changes
nothing, and whatever editors changed stays as they left it (:mod:`..seeding`). The steps are
grouped by topic: :mod:`.site`, :mod:`.pages`, :mod:`.access`, :mod:`.shop`; :mod:`.build`
runs them in order.
"""

from .build import STEPS, BuildError, BuildResult, build, portal_urls

__all__ = ["STEPS", "BuildError", "BuildResult", "build", "portal_urls"]
