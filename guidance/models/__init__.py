"""Models of the guidance app: the roadmap and guidance pages (roadmap.py) and the
good-practice catalogue (catalogue.py).

The imports below re-export the models so Django and callers find them as ``guidance.models.X``;
that is why they carry ``noqa: F401`` (unused here by design).
"""

from guidance.models.catalogue import *  # noqa: F401,F403 - re-export
from guidance.models.pages import GuidancePage  # noqa: F401 - re-export
from guidance.models.progress import (  # noqa: F401 - re-export
    ResolutionEvidence,
    ResolutionResult,
    StepProgress,
    StepStatus,
)
from guidance.models.roadmap import (  # noqa: F401 - re-export
    Area,
    ChecklistTask,
    Material,
    MaterialKind,
    RoadmapStep,
)
